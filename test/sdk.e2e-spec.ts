import { JwtService } from '@nestjs/jwt';
import {
  authMe,
  authRegister,
  BlinkedApiError,
  type BlinkedClient,
  BlinkedVideoError,
  createBlinkedClient,
  unwrap,
  type VideoDto,
  videosCancel,
  videosFile,
  videosGet,
  videosRemove,
} from '@blinked/sdk';
import { TEST_SECRET } from './support/api-harness.js';
import { type PipelineHarness, startPipeline } from './support/pipeline-harness.js';
import { startStreamCuttingProxy } from './support/stream-cutting-proxy.js';

// @blinked/sdk against the real stack (the api in-process, a worker process, offline
// providers): what a consumer of the generated SDK gets.

let h: PipelineHarness;
let seq = 0;

beforeAll(async () => {
  h = await startPipeline();
});

afterAll(async () => {
  await h?.close();
});

async function signedUp(baseUrl = h.api.http.baseUrl): Promise<BlinkedClient> {
  seq += 1;
  const blinked = createBlinkedClient({ baseUrl });
  const pair = unwrap(
    await authRegister({ client: blinked.client, body: { email: `sdk${seq}@example.com`, username: `sdk${seq}`, password: 'correct horse battery' } }),
  );
  blinked.setTokens(pair);
  return blinked;
}

const prompt = (topic: string) => `${topic}. It matters to people. There is a history behind it. Here is how it works today.`;

function expectMonotonic(seen: VideoDto[]) {
  const progress = seen.map((v) => v.progress);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
}

describe('@blinked/sdk', () => {
  it('drives register → generate → progress → download → delete', async () => {
    const blinked = await signedUp();
    const seen: VideoDto[] = [];
    const video = await blinked.generateAndWait({ prompt: prompt('Tides rise and fall'), slideCount: 3 }, { onProgress: (v) => seen.push(v) });

    expect(video.status).toBe('completed');
    expect(seen[0]!.status).toBe('queued');
    expect(seen.at(-1)).toEqual(video);
    expect(new Set(seen.map((v) => v.stage)).size).toBeGreaterThan(2); // it saw the stages go by, not just the end
    expectMonotonic(seen);

    const mp4 = Buffer.from(
      unwrap(await videosFile({ client: blinked.client, path: { id: video.id }, parseAs: 'arrayBuffer' })) as unknown as ArrayBuffer,
    );
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');

    const removed = await videosRemove({ client: blinked.client, path: { id: video.id } });
    expect(removed.response?.status).toBe(204);
    const gone = await videosGet({ client: blinked.client, path: { id: video.id } });
    expect(gone.response?.status).toBe(404);
    expect(() => unwrap(gone)).toThrow(BlinkedApiError);
  });

  it('refreshes an expired access token once, for many requests at a time, and reports the new pair', async () => {
    const first = await signedUp();
    const { refreshToken } = first.tokens()!;
    const userId = unwrap(await authMe({ client: first.client })).id;
    const expired = new JwtService({ secret: TEST_SECRET }).sign(
      { sub: userId, role: 'user', typ: 'access', iat: Math.floor(Date.now() / 1000) - 3600 },
      { expiresIn: 60, algorithm: 'HS256' },
    );
    const reported: { accessToken: string; refreshToken: string }[] = [];
    const blinked = createBlinkedClient({ baseUrl: h.api.http.baseUrl, accessToken: expired, refreshToken, onTokens: (t) => reported.push(t) });

    const answers = await Promise.all(Array.from({ length: 5 }, () => authMe({ client: blinked.client })));
    expect(answers.map((a) => a.response?.status)).toEqual([200, 200, 200, 200, 200]);
    // One refresh: a second use of the same refresh token would have revoked the whole family.
    expect(reported).toHaveLength(1);
    expect(reported[0]!.refreshToken).not.toBe(refreshToken);
    expect(blinked.tokens()).toEqual(reported[0]);
    expect((await authMe({ client: blinked.client })).response?.status).toBe(200);
  });

  it('answers 401 as it came when no refresh token is known, or the refresh is refused', async () => {
    const noRefresh = createBlinkedClient({ baseUrl: h.api.http.baseUrl, accessToken: 'not-a-token' });
    expect((await authMe({ client: noRefresh.client })).response?.status).toBe(401);
    const refused = createBlinkedClient({ baseUrl: h.api.http.baseUrl, accessToken: 'not-a-token', refreshToken: 'not-a-refresh-token' });
    const res = await authMe({ client: refused.client });
    expect(res.response?.status).toBe(401);
    expect(() => unwrap(res)).toThrow(/401/);
  });

  it('follows a video by polling when the event stream breaks', async () => {
    const proxy = await startStreamCuttingProxy(h.api.http.baseUrl);
    try {
      const blinked = await signedUp(proxy.url);
      const seen: VideoDto[] = [];
      const video = await blinked.generateAndWait(
        { prompt: prompt('Bridges carry loads'), slideCount: 3 },
        { onProgress: (v) => seen.push(v), pollIntervalMs: 200 },
      );
      expect(proxy.cut).toBe(1);
      expect(video.status).toBe('completed');
      expect(seen.at(-1)).toEqual(video);
      expectMonotonic(seen);
    } finally {
      await proxy.close();
    }
  });

  it("rejects with the video's end when it is cancelled while waited for", async () => {
    const blinked = await signedUp();
    const waiting = blinked.generateAndWait(
      { prompt: prompt('Comets have tails'), slideCount: 5 },
      {
        onProgress: (v) => {
          if (v.status === 'queued') void videosCancel({ client: blinked.client, path: { id: v.id } });
        },
      },
    );
    await expect(waiting).rejects.toThrow(BlinkedVideoError);
    await expect(waiting).rejects.toMatchObject({ status: 'cancelled', message: expect.stringMatching(/was cancelled/) });
  });

  it("rejects with the API's message when the request is refused", async () => {
    const blinked = await signedUp();
    const refused = blinked.generateAndWait({ prompt: prompt('Maps'), slideCount: 999 });
    await expect(refused).rejects.toThrow(BlinkedApiError);
    await expect(refused).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/slideCount/) });
  });

  it('stops waiting when its signal aborts', async () => {
    const blinked = await signedUp();
    const controller = new AbortController();
    const waiting = blinked.generateAndWait(
      { prompt: prompt('Rivers meander'), slideCount: 3 },
      { signal: controller.signal, onProgress: (v) => v.status === 'queued' && controller.abort(new Error('enough')) },
    );
    await expect(waiting).rejects.toThrow(/enough|abort/i);
  });
});
