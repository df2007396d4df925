import { ConfigError, parseImageConfig } from '@app/config';
import { createImageSource } from './image-source.factory.js';

describe('createImageSource', () => {
  it('builds icons by default and none on request', () => {
    expect(createImageSource(parseImageConfig({})).provider).toBe('icons');
    expect(createImageSource(parseImageConfig({ IMAGE_PROVIDER: 'none' })).provider).toBe('none');
  });

  it('stops at start, with a config error, for a remote source this build does not have yet', () => {
    const config = parseImageConfig({ IMAGE_PROVIDER: 'pexels', PEXELS_API_KEY: 'px-123456789012' });
    expect(() => createImageSource(config)).toThrow(ConfigError);
    expect(() => createImageSource(config)).toThrow('IMAGE_PROVIDER=pexels is not available yet in this build; use icons or none');
  });
});
