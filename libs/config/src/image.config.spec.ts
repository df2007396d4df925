import { ConfigError } from './config.error.js';
import { parseImageConfig } from './image.config.js';

describe('parseImageConfig', () => {
  it('defaults to offline icons with the documented models and Pexels endpoint', () => {
    expect(parseImageConfig({})).toEqual({
      provider: 'icons',
      timeoutMs: 90_000,
      gemini: { apiKey: undefined, model: 'gemini-2.5-flash-image', baseUrl: undefined },
      openai: { apiKey: undefined, model: 'gpt-image-1', baseUrl: 'https://api.openai.com/v1' },
      pexels: { apiKey: undefined, baseUrl: 'https://api.pexels.com' },
    });
  });

  it('reuses the LLM keys and base URLs for gemini and openai', () => {
    const config = parseImageConfig({
      IMAGE_PROVIDER: 'gemini',
      GEMINI_API_KEY: 'g-key-123456789',
      GEMINI_BASE_URL: 'http://127.0.0.1:9000/',
      GEMINI_IMAGE_MODEL: 'img-model',
      OPENAI_BASE_URL: 'http://127.0.0.1:9001/v1/',
    });
    expect(config.gemini).toEqual({ apiKey: 'g-key-123456789', model: 'img-model', baseUrl: 'http://127.0.0.1:9000' });
    expect(config.openai.baseUrl).toBe('http://127.0.0.1:9001/v1');
  });

  it.each([
    [{ IMAGE_PROVIDER: 'gemini' }, 'IMAGE_PROVIDER=gemini needs GOOGLE_GEMINI_API_KEY (or GEMINI_API_KEY) to be set'],
    [{ IMAGE_PROVIDER: 'openai' }, 'IMAGE_PROVIDER=openai with OPENAI_BASE_URL at api.openai.com needs OPENAI_API_KEY'],
    [{ IMAGE_PROVIDER: 'pexels' }, 'IMAGE_PROVIDER=pexels needs PEXELS_API_KEY (free at https://www.pexels.com/api/)'],
    [{ PEXELS_API_KEY: 'abc def ghi jkl' }, 'PEXELS_API_KEY contains whitespace; check how it was pasted'],
    [{ PEXELS_BASE_URL: 'ftp://example.com' }, /PEXELS_BASE_URL/],
    [{ IMAGE_PROVIDER: 'dalle' }, /IMAGE_PROVIDER/],
    [{ IMAGE_REQUEST_TIMEOUT_MS: '0' }, /IMAGE_REQUEST_TIMEOUT_MS/],
  ])('refuses %j with a clear message', (env, message) => {
    expect(() => parseImageConfig(env)).toThrow(ConfigError);
    expect(() => parseImageConfig(env)).toThrow(message);
  });

  it('lets openai run without a key against a local server, and pexels with its key', () => {
    expect(parseImageConfig({ IMAGE_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).provider).toBe('openai');
    expect(parseImageConfig({ IMAGE_PROVIDER: 'pexels', PEXELS_API_KEY: 'px-123456789012' }).pexels.apiKey).toBe('px-123456789012');
  });
});
