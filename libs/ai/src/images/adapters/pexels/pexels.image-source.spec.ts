import { loadImage } from '@napi-rs/canvas';
import { type FakePexels, startFakePexels } from '@test/fakes/fake-pexels.server.js';
import { everything, failure } from '@test/support/provider-error.js';
import type { ImageRequest } from '../../image-source.port.js';
import { PexelsImageSource } from './pexels.image-source.js';

const KEY = 'pexelsFAKEkey0123456789abcdefghijklmnopqrstuvwxyzAB';
/** Retries in milliseconds, so no test waits for real backoff. */
const FAST = { attempts: 3, backoffMs: 5, maxWaitMs: 2000 };

let fake: FakePexels;
const source = (over: { timeoutMs?: number; attempts?: number } = {}) =>
  new PexelsImageSource({
    apiKey: KEY,
    baseUrl: fake.baseUrl,
    timeoutMs: over.timeoutMs ?? 10_000,
    retries: { ...FAST, ...(over.attempts ? { attempts: over.attempts } : {}) },
  });
const request = (over: Partial<ImageRequest> = {}): ImageRequest => ({
  keywords: ['honeybee', 'sunflower', 'pollen'],
  prompt: 'A honeybee on a sunflower',
  aspectRatio: '16:9',
  language: 'en-US',
  ...over,
});

beforeAll(async () => {
  fake = await startFakePexels({ apiKey: KEY });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('PexelsImageSource', () => {
  it('searches the keywords in the video orientation with the bare key, and credits the photographer', async () => {
    fake.script({ kind: 'photos', id: 2014422, photographer: 'Pixabay' });
    const s = source();
    const result = await s.find(request());

    expect(result).toMatchObject({ kind: 'image', mime: 'image/jpeg', source: 'pexels:2014422', attribution: 'Photo by Pixabay on Pexels' });
    expect([s.provider, s.model]).toEqual(['pexels', 'v1']);
    const sent = fake.lastRequest!;
    expect(sent.path).toBe('/v1/search');
    expect(sent.apiKey).toBe(KEY);
    expect(sent.query).toEqual({ query: 'honeybee sunflower pollen', orientation: 'landscape', per_page: '5' });

    // The photo is fetched in the landscape cut, without the key (it lives on another host in production).
    expect(fake.downloads).toHaveLength(1);
    expect(fake.downloads[0]).toMatchObject({ path: '/photos/2014422/pexels-photo-2014422.jpeg', variant: 'landscape' });
    expect(fake.downloads[0].headers.authorization).toBeUndefined();
    const picture = await loadImage(result!.data);
    expect(picture.width).toBeGreaterThan(picture.height);
  });

  it.each([
    ['9:16', 'portrait', 'portrait'],
    ['1:1', 'square', 'large'],
  ] as const)('for %s asks orientation %s and downloads the %s size', async (aspectRatio, orientation, variant) => {
    const result = await source().find(request({ aspectRatio }));
    expect(fake.lastRequest!.query.orientation).toBe(orientation);
    expect(fake.downloads[0].variant).toBe(variant);
    const picture = await loadImage(result!.data);
    if (aspectRatio === '9:16') expect(picture.height).toBeGreaterThan(picture.width);
  });

  it('detects the format from the bytes, not the .jpeg address or the Content-Type', async () => {
    fake.script({ kind: 'photos', format: 'png' });
    expect((await source().find(request()))!.mime).toBe('image/png');
  });

  it('tries the first keyword alone when all of them find nothing, then gives null', async () => {
    fake.script('no_results');
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.requests.map((r) => r.query.query)).toEqual(['honeybee sunflower pollen', 'honeybee']);

    fake.reset();
    fake.script('no_results', 'no_results');
    expect(await source().find(request())).toBeNull();
    expect(fake.calls).toBe(2);

    fake.reset();
    fake.script('no_results');
    expect(await source().find(request({ keywords: ['honeybee'] }))).toBeNull();
    expect(fake.calls).toBe(1);
    expect(await source().find(request({ keywords: [' '] }))).toBeNull();
    expect(fake.calls).toBe(1);
  });

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    fake.script({ kind: 'rate_limited', retryAfter: '0.05' });
    const started = Date.now();
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('gives up at once when the monthly quota resets in a day (X-Ratelimit-Reset, no Retry-After)', async () => {
    fake.script({ kind: 'rate_limited', retryAfter: null });
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('rate_limited');
    expect(e.retryAfterMs).toBeGreaterThan(86_000_000);
    expect(fake.calls).toBe(1);
  });

  it('retries a 500 and a 503, then succeeds', async () => {
    fake.script('server_error', { kind: 'server_error', status: 503 });
    expect((await source().find(request()))?.kind).toBe('image');
    expect(fake.calls).toBe(3);
  });

  it('fails fast on a rejected key, naming the variable and never the key', async () => {
    fake.script({ kind: 'unauthorized', echoKey: true });
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/^Pexels: the API key was rejected \(HTTP 401\).*check PEXELS_API_KEY$/);
    expect(everything(e)).not.toContain(KEY);
    expect(fake.calls).toBe(1);
  });

  it('refuses a search reply that is not JSON, and a photo that is not an image', async () => {
    fake.script('garbage');
    expect((await failure(source({ attempts: 1 }).find(request()))).message).toBe('Pexels: the server sent a reply that is not JSON');

    fake.script('garbage_photo');
    const e = await failure(source({ attempts: 2 }).find(request()));
    expect(e).toMatchObject({ kind: 'transient' });
    expect(e.message).toMatch(/bytes that are not a PNG, JPEG or WebP image/);
    // The download, not the search, was retried.
    expect(fake.calls).toBe(2);
    expect(fake.downloads).toHaveLength(2);
  });

  it('fails fast when the photo address answers 404', async () => {
    fake.script('missing_photo');
    const e = await failure(source().find(request()));
    expect(e.kind).toBe('permanent');
    expect(e.message).toMatch(/not found \(HTTP 404\)/);
    expect(fake.downloads).toHaveLength(1);
  });

  it('stops when the caller aborts, without retrying, and times out a search that hangs', async () => {
    fake.script('hang');
    const controller = new AbortController();
    const pending = source().find(request({ signal: controller.signal }));
    await fake.waitForCalls(1);
    controller.abort();
    expect(await failure(pending)).toMatchObject({ kind: 'permanent', message: 'Pexels: the request was cancelled' });
    expect(fake.calls).toBe(1);

    fake.script('hang');
    expect(await failure(source({ timeoutMs: 200, attempts: 1 }).find(request()))).toMatchObject({ kind: 'transient', timedOut: true });
  });
});
