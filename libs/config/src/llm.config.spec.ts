import { ConfigError } from './config.error.js';
import { DEFAULT_GEMINI_MODEL, parseLlmConfig } from './llm.config.js';

describe('parseLlmConfig', () => {
  it('is offline with nothing set', () => {
    const c = parseLlmConfig({});
    expect(c.provider).toBe('offline');
    expect(c.requestTimeoutMs).toBe(60_000);
    expect(c.gemini).toEqual({ apiKey: undefined, model: DEFAULT_GEMINI_MODEL, baseUrl: undefined });
    expect(c.openai).toEqual({ baseUrl: 'https://api.openai.com/v1', apiKey: undefined, model: undefined });
  });

  it('defaults to gemini when a Gemini key is set, under either name', () => {
    expect(parseLlmConfig({ GOOGLE_GEMINI_API_KEY: 'k1' })).toMatchObject({ provider: 'gemini', gemini: { apiKey: 'k1' } });
    expect(parseLlmConfig({ GEMINI_API_KEY: 'k2' })).toMatchObject({ provider: 'gemini', gemini: { apiKey: 'k2' } });
    // The BlinkEd name wins over the SDK's generic one.
    expect(parseLlmConfig({ GOOGLE_GEMINI_API_KEY: 'k1', GEMINI_API_KEY: 'k2' }).gemini.apiKey).toBe('k1');
  });

  it('lets LLM_PROVIDER override the default', () => {
    expect(parseLlmConfig({ GEMINI_API_KEY: 'k', LLM_PROVIDER: 'offline' }).provider).toBe('offline');
  });

  it('treats an empty GEMINI_BASE_URL as Google and keeps a set one without a trailing slash', () => {
    expect(parseLlmConfig({ GEMINI_BASE_URL: '  ' }).gemini.baseUrl).toBeUndefined();
    expect(parseLlmConfig({ GEMINI_BASE_URL: 'http://127.0.0.1:4000/' }).gemini.baseUrl).toBe('http://127.0.0.1:4000');
    expect(() => parseLlmConfig({ GEMINI_BASE_URL: 'ftp://x' })).toThrow(/GEMINI_BASE_URL must use https: or http:/);
  });

  it('reads model, timeout and OpenAI-compatible settings', () => {
    const c = parseLlmConfig({
      LLM_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
      OPENAI_MODEL: 'llama3.1',
      GEMINI_MODEL: 'gemini-2.5-flash',
      AI_REQUEST_TIMEOUT_MS: '30000',
    });
    expect(c).toMatchObject({
      provider: 'openai',
      requestTimeoutMs: 30_000,
      gemini: { model: 'gemini-2.5-flash' },
      openai: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1', apiKey: undefined },
    });
  });

  it.each([
    [{ LLM_PROVIDER: 'gemini' }, /^LLM_PROVIDER=gemini needs GOOGLE_GEMINI_API_KEY \(or GEMINI_API_KEY\)/],
    [{ LLM_PROVIDER: 'openai' }, /^LLM_PROVIDER=openai needs OPENAI_MODEL/],
    [{ LLM_PROVIDER: 'openai', OPENAI_MODEL: 'gpt-4o-mini' }, /needs OPENAI_API_KEY/],
    [{ LLM_PROVIDER: 'openai', OPENAI_MODEL: 'm', OPENAI_BASE_URL: 'not a url' }, /OPENAI_BASE_URL is not a valid URL/],
    [{ LLM_PROVIDER: 'claude' }, /LLM_PROVIDER must be one of gemini, openai, offline, got "claude"/],
    [{ AI_REQUEST_TIMEOUT_MS: '0' }, /AI_REQUEST_TIMEOUT_MS must be between/],
  ])('refuses %j in one line', (env, message) => {
    let error: unknown;
    try {
      parseLlmConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('needs no key for a local OpenAI-compatible server', () => {
    const c = parseLlmConfig({ LLM_PROVIDER: 'openai', OPENAI_MODEL: 'm', OPENAI_BASE_URL: 'http://localhost:8000/v1' });
    expect(c.provider).toBe('openai');
  });
});
