import { loadImage } from '@napi-rs/canvas';
import { type FakeGemini, startFakeGemini } from '@test/fakes/fake-gemini.server.js';
import { everything, failure } from '@test/support/provider-error.js';
import type { ImageRequest } from '../../image-source.port.js';
import { GeminiImageSource } from './gemini.image-source.js';

const KEY = 'AIzaSyFAKE-image-key-0123456789abcdef';
const MODEL = 'gemini-2.5-flash-image';
/** Retries in milliseconds, so no test waits for real backoff. */
const FAST = { attempts: 3, backoffMs: 5, maxWaitMs: 2000 };

let fake: FakeGemini;
const source = (over: { timeoutMs?: number; attempts?: number } = {}) =>
  new GeminiImageSource({
    apiKey: KEY,
    model: MODEL,
    baseUrl: fake.baseUrl,
    timeoutMs: over.timeoutMs ?? 10_000,
    retries: { ...FAST, ...(over.attempts ? { attempts: over.attempts } : {}) },
  });
const request = (over: Partial<ImageRequest> = {}): ImageRequest => ({
  keywords: ['honeybee', 'flower'],
  prompt: 'A honeybee collecting pollen from a sunflower',
  aspectRatio: '16:9',
  language: 'en-US',
  ...over,
});

beforeAll(async () => {
  fake = await startFakeGemini({ apiKey: KEY });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('GeminiImageSource', () => {
  it('asks generateContent for an IMAGE in the video shape and returns the inline PNG', async () => {
    const s = source();
    const result = await s.find(request());

    expect(result).toMatchObject({ kind: 'image', mime: 'image/png', source: `gemini:${MODEL}`, attribution: null });
    const picture = await loadImage(result!.data);
    expect(picture.width).toBeGreaterThan(picture.height);
    expect([s.provider, s.model]).toEqual(['gemini', MODEL]);

    const sent = fake.lastRequest!;
    expect(fake.calls).toBe(1);
    // The SDK default version, as the slide writer gets it.
    expect(sent.path).toBe(`/v1/models/${MODEL}:generateContent`);
    expect(sent.apiKey).toBe(KEY);
    expect(sent.body.generationConfig).toMatchObject({ responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } });
    const prompt: string = sent.body.contents[0].parts[0].text;
    expect(prompt).toContain('A honeybee collecting pollen from a sunflower');
    expect(prompt).toMatch(/No text/);
  });

  it('sends 9:16 for a vertical video and reads the format from the bytes, not the mimeType field', async () => {
    fake.script({ kind: 'image', format: 'jpeg' });
    const result = await source().find(request({ aspectRatio: '9:16' }));
    expect(fake.lastRequest!.body.generationConfig.imageConfig.aspectRatio).toBe('9:16');
    expect(result!.mime).toBe('image/jpeg');
    const picture = await loadImage(result!.data);
    expect(picture.height).toBeGreaterThan(picture.width);
  });

  it('waits out a 429 for the RetryInfo delay, then succeeds', async () => {
    fake.script({ kind: 'rate_limited', retryDelay: '0.05s' });
    const started = Date.now();
    const result = await source().find(request());
    expect(result?.kind).toBe('image');
    expect(fake.calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives up at once on a 429 that asks for a longer wait than allowed', async () => {
    fake.script({ kind: 'rate_limited', retryDelay: '60s' });
    const e = await failure(source().find(request()));
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    expect(fake.calls).toBe(1);
  });

  it('retries a 500 and a 503, then succeeds', async () => {
    fake.script('server_error', { kind: 'server_error', status: 503 });
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(3);
  });

  it('fails transient after the last attempt when the server keeps failing', async () => {
    fake.script('server_error', 'server_error', 'server_error', 'server_error');
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('transient');
    expect(e.message).toMatch(/^Gemini image: the server failed or is unavailable \(HTTP 500 INTERNAL\)/);
    expect(fake.calls).toBe(3);
  });

  it('fails fast on a rejected key, naming the variable and never the key', async () => {
    fake.script({ kind: 'unauthorized', echoKey: true });
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/^Gemini image: the API key was rejected \(HTTP 401 UNAUTHENTICATED\).*check GOOGLE_GEMINI_API_KEY$/);
    expect(everything(e)).not.toContain(KEY);
    expect(fake.calls).toBe(1);
  });

  it('resolves null when the model answers in words only', async () => {
    fake.script('no_image');
    expect(await source().find(request())).toBeNull();
    expect(fake.calls).toBe(1);
  });

  it('refuses inline data that is not an image with a ProviderError', async () => {
    fake.script('garbage_image');
    const e = await failure(source({ attempts: 1 }).find(request()));
    expect(e.kind).toBe('transient');
    expect(e.message).toMatch(/bytes that are not a PNG, JPEG or WebP image/);
  });

  it('fails fast on a blocked prompt', async () => {
    fake.script({ kind: 'blocked_prompt', reason: 'PROHIBITED_CONTENT' });
    const e = await failure(source().find(request()));
    expect(e).toMatchObject({ kind: 'permanent', message: "Gemini image: Gemini blocked this picture's prompt (PROHIBITED_CONTENT)" });
    expect(fake.calls).toBe(1);
  });

  it('times out a call that never answers, as a transient failure', async () => {
    fake.script('hang');
    const e = await failure(source({ timeoutMs: 200, attempts: 1 }).find(request()));
    expect(e).toMatchObject({ kind: 'transient', timedOut: true });
  });

  it('stops when the caller aborts, without retrying', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = source().find(request({ signal: controller.signal }));
    await fake.waitForCalls(1);
    controller.abort();
    const e = await failure(pending);
    expect(e).toMatchObject({ kind: 'permanent', message: 'Gemini image: the request was cancelled' });
    expect(fake.calls).toBe(1);
  });

  it('stops waiting out a 429 when the caller aborts', async () => {
    fake.script({ kind: 'rate_limited', retryDelay: '1.5s' });
    const controller = new AbortController();
    const pending = source().find(request({ signal: controller.signal }));
    await fake.waitForCalls(1);
    const started = Date.now();
    controller.abort();
    const e = await failure(pending);
    expect(e.message).toMatch(/cancelled/);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.calls).toBe(1);
  });
});
