import { parseImageConfig } from '@app/config';
import { createImageSource } from './image-source.factory.js';

describe('createImageSource', () => {
  it('builds icons by default and none on request', () => {
    expect(createImageSource(parseImageConfig({})).provider).toBe('icons');
    expect(createImageSource(parseImageConfig({ IMAGE_PROVIDER: 'none' })).provider).toBe('none');
  });

  it.each([
    ['gemini', { GOOGLE_GEMINI_API_KEY: 'AIza-123456789012' }, 'gemini-2.5-flash-image'],
    ['openai', { OPENAI_API_KEY: 'sk-123456789012' }, 'gpt-image-1'],
    ['pexels', { PEXELS_API_KEY: 'px-123456789012' }, 'v1'],
  ])('builds the %s source with its model', (provider, keys, model) => {
    const source = createImageSource(parseImageConfig({ IMAGE_PROVIDER: provider, ...keys }));
    expect([source.provider, source.model]).toEqual([provider, model]);
  });
});
