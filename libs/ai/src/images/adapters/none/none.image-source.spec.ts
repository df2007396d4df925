import { NoneImageSource } from './none.image-source.js';

describe('NoneImageSource', () => {
  it('has no picture for any slide and is never cached', async () => {
    const none = new NoneImageSource();
    expect([none.provider, none.cacheable]).toEqual(['none', false]);
    await expect(none.find({ keywords: ['rocket'], prompt: 'A rocket.', aspectRatio: '9:16', language: 'en' })).resolves.toBeNull();
  });
});
