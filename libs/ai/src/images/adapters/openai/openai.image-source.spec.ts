import { loadImage } from '@napi-rs/canvas';
import { type FakeOpenAi, startFakeOpenAi } from '@test/fakes/fake-openai.server.js';
import { everything, failure } from '@test/support/provider-error.js';
import type { ImageRequest } from '../../image-source.port.js';
import { OpenAiImageSource } from './openai.image-source.js';

const KEY = 'sk-proj-FAKEimageKey0123456789abcdefXYZ';
const MODEL = 'gpt-image-1';
/** Retries in milliseconds, so no test waits for real backoff. */
const FAST = { attempts: 3, backoffMs: 5, maxWaitMs: 2000 };

let fake: FakeOpenAi;
const source = (over: { timeoutMs?: number; attempts?: number; apiKey?: string | null; maxBytes?: number } = {}) =>
  new OpenAiImageSource({
    baseUrl: fake.baseUrl,
    apiKey: over.apiKey === null ? undefined : (over.apiKey ?? KEY),
    model: MODEL,
    timeoutMs: over.timeoutMs ?? 10_000,
    retries: { ...FAST, ...(over.attempts ? { attempts: over.attempts } : {}) },
    maxBytes: over.maxBytes,
  });
const request = (over: Partial<ImageRequest> = {}): ImageRequest => ({
  keywords: ['volcano', 'eruption'],
  prompt: 'A volcano erupting at dusk',
  aspectRatio: '16:9',
  language: 'en-US',
  ...over,
});

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('OpenAiImageSource', () => {
  it('posts {model, prompt, size, n: 1} with a bearer key and returns data[0].b64_json as a PNG', async () => {
    const s = source();
    const result = await s.find(request());

    expect(result).toMatchObject({ kind: 'image', mime: 'image/png', source: `openai:${MODEL}`, attribution: null });
    const picture = await loadImage(result!.data);
    expect(picture.width).toBeGreaterThan(picture.height);
    expect([s.provider, s.model]).toEqual(['openai', MODEL]);

    const sent = fake.lastRequest!;
    expect(sent.path).toBe('/v1/images/generations');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toEqual({ model: MODEL, prompt: expect.stringContaining('A volcano erupting at dusk'), size: '1536x1024', n: 1 });
  });

  it.each([
    ['9:16', '1024x1536'],
    ['1:1', '1024x1024'],
  ] as const)('asks %s as size %s and gets that shape back', async (aspectRatio, size) => {
    const result = await source().find(request({ aspectRatio }));
    expect(fake.lastRequest!.body.size).toBe(size);
    const picture = await loadImage(result!.data);
    expect(aspectRatio === '1:1' ? picture.width === picture.height : picture.height > picture.width).toBe(true);
  });

  it('reads a JPEG as a JPEG from its bytes', async () => {
    fake.script({ kind: 'image', format: 'jpeg' });
    expect((await source().find(request()))!.mime).toBe('image/jpeg');
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    fake.script({ kind: 'rate_limited', retryAfter: '0.05' });
    const started = Date.now();
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('fails fast on a spent balance (429 insufficient_quota), which waiting does not cure', async () => {
    fake.script('insufficient_quota');
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/no quota left/);
    expect(fake.calls).toBe(1);
  });

  it('retries a 500 and a 502, then succeeds', async () => {
    fake.script('server_error', { kind: 'server_error', status: 502 });
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(3);
  });

  it('retries a connection reset, then succeeds', async () => {
    fake.script('reset');
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(2);
  });

  it('fails fast on a rejected key, naming the variable and never the key', async () => {
    fake.script({ kind: 'unauthorized', echoKey: true });
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/^OpenAI-compatible image server at 127\.0\.0\.1:\d+: the API key was rejected \(HTTP 401\).*check OPENAI_API_KEY$/);
    expect(everything(e)).not.toContain(KEY);
    expect(fake.calls).toBe(1);
  });

  it('fails fast when the safety system refuses the prompt', async () => {
    fake.script('moderation_blocked');
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/rejected \(HTTP 400\): Your request was rejected as a result of our safety system/);
    expect(fake.calls).toBe(1);
  });

  it('resolves null for an answer with no picture', async () => {
    fake.script('no_image');
    expect(await source().find(request())).toBeNull();
  });

  it('refuses base64 that is not an image, and a picture over the size limit', async () => {
    fake.script('garbage_image');
    expect((await failure(source({ attempts: 1 }).find(request()))).message).toMatch(/not a PNG, JPEG or WebP image/);
    const e = await failure(source({ maxBytes: 100 }).find(request()));
    expect(e).toMatchObject({ kind: 'permanent' });
    expect(e.message).toMatch(/more than the 100 bytes allowed/);
    expect(fake.calls).toBe(2);
  });

  it('resolves null for JSON of another shape (a chat completion, without `data`)', async () => {
    fake.script({ kind: 'text', text: 'x' });
    expect(await source().find(request())).toBeNull();
  });

  it('stops when the caller aborts, without retrying, and times out a call that hangs', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = source().find(request({ signal: controller.signal }));
    await fake.waitForCalls(1);
    controller.abort();
    expect(await failure(pending)).toMatchObject({ kind: 'permanent', message: expect.stringMatching(/the request was cancelled$/) });
    expect(fake.calls).toBe(1);

    fake.script('hang');
    expect(await failure(source({ timeoutMs: 200, attempts: 1 }).find(request()))).toMatchObject({ kind: 'transient', timedOut: true });
  });
});
