import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { Queue } from 'bullmq';
import { ffprobe, ffprobeChapters, parseVtt } from './support/media-check.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';
import { errorLines } from './support/log-lines.js';

const PROMPT =
  'Tides are the rise and fall of the sea. The Moon pulls the oceans toward it, and the Earth turns beneath that bulge. ' +
  'The Sun adds a smaller pull, so spring tides come at new and full moon. Coastal life has adapted to this daily rhythm.';

let h: PipelineHarness;
let alice: string;
let bob: string;
const ids: Record<string, string> = {};

async function generate(token: string, body: Record<string, unknown>) {
  return h.api.http.post('/api/v1/videos/generate', body, token);
}

async function download(path: string, token: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.api.http.baseUrl + path, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  // The default offline narrator: Festival for English, espeak-ng for the French video.
  h = await startPipeline({ TTS_PROVIDER: 'festival' });
  alice = await registerUser(h.api, 'alice');
  bob = await registerUser(h.api, 'bob');
  // Three videos made at once, one per aspect ratio: the worker runs them concurrently.
  for (const [name, aspectRatio, theme] of [
    ['wide', '16:9', 'light'],
    ['tall', '9:16', 'dark'],
    ['square', '1:1', 'dark'],
  ] as const) {
    const res = await generate(alice, { prompt: PROMPT, slideCount: 3, aspectRatio, theme, title: `Tides ${name}` });
    expect(res.status).toBe(202);
    ids[name] = res.body.id;
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('POST /videos/generate', () => {
  it('answers 202 with the resource and a Location header', async () => {
    const res = await generate(alice, { prompt: `  ${PROMPT}  ` });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/api/v1/videos/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'queued',
      progress: 0,
      prompt: PROMPT,
      slideCount: 6,
      aspectRatio: '16:9',
      language: 'en-US',
      theme: 'light',
      error: null,
      durationSeconds: null,
      links: { self: `/api/v1/videos/${res.body.id}`, file: null, thumbnail: null, captions: null },
    });
    // Not done yet: the files answer 409, not 404.
    const file = await h.api.http.get(`/api/v1/videos/${res.body.id}/file`, alice);
    expect(file.status).toBe(409);
    expect(file.body.message).toMatch(/not ready/);
    ids.queued = res.body.id;
  });

  it.each([
    ['an empty prompt', { prompt: '   ' }, /prompt must be 1 to 4000/],
    ['a 4001-character prompt', { prompt: 'x'.repeat(4001) }, /prompt must be 1 to 4000/],
    ['a missing prompt', {}, /prompt/],
    ['2 slides', { prompt: 'p', slideCount: 2 }, /slideCount must be between 3 and 20/],
    ['21 slides', { prompt: 'p', slideCount: 21 }, /slideCount must be between 3 and 20/],
    ['a fractional slide count', { prompt: 'p', slideCount: 4.5 }, /slideCount must be a whole number/],
    ['a 4:3 aspect ratio', { prompt: 'p', aspectRatio: '4:3' }, /aspectRatio must be one of 16:9, 9:16, 1:1/],
    ['an unknown theme', { prompt: 'p', theme: 'neon' }, /theme must be one of light, dark/],
    ['a language that is not BCP-47', { prompt: 'p', language: 'english!' }, /language must be a BCP-47 tag/],
    ['an unknown field', { prompt: 'p', priority: 'high' }, /property priority should not exist/],
    ['metadata that is a list', { prompt: 'p', metadata: ['a'] }, /metadata must be an object whose values are strings/],
    ['metadata with a number', { prompt: 'p', metadata: { count: 3 } }, /metadata\.count must be a string/],
    ['metadata with 17 keys', { prompt: 'p', metadata: Object.fromEntries([...Array(17).keys()].map((i) => [`k${i}`, 'v'])) }, /at most 16 keys/],
    ['metadata over 2 KB', { prompt: 'p', metadata: { a: 'x'.repeat(1100), b: 'x'.repeat(1100) } }, /metadata must be at most 2048 bytes/],
    ['a metadata key with a space', { prompt: 'p', metadata: { 'order id': '1' } }, /metadata key "order id" must be/],
  ])('refuses %s with 400 naming the field', async (_, body, message) => {
    const res = await generate(alice, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });

  it('stores metadata and returns it in the resource, {} when none was given', async () => {
    const metadata = { orderId: 'A-1001', 'lesson:id': 'tides-7' };
    // Bob's, and deleted at once: alice's list and the worker's time stay as the other tests expect.
    const res = await generate(bob, { prompt: PROMPT, slideCount: 3, metadata });
    expect(res.status).toBe(202);
    expect(res.body.metadata).toEqual(metadata);
    expect((await h.api.http.get(`/api/v1/videos/${res.body.id}`, bob)).body.metadata).toEqual(metadata);
    expect((await h.api.http.request('DELETE', `/api/v1/videos/${res.body.id}`, { token: bob })).status).toBe(204);
    expect((await h.api.http.get(`/api/v1/videos/${ids.queued}`, alice)).body.metadata).toEqual({});
  });

  it('normalises the language tag', async () => {
    const res = await generate(alice, { prompt: 'Bonjour à tous. Voici une courte leçon.', language: 'fr-fr', slideCount: 3 });
    expect(res.status).toBe(202);
    expect(res.body.language).toBe('fr-FR');
    ids.french = res.body.id;
  });

  it('requires a bearer token', async () => {
    expect((await h.api.http.post('/api/v1/videos/generate', { prompt: 'p' })).status).toBe(401);
  });
});

describe('a video made end to end', () => {
  let video: any;
  let file: Buffer;

  beforeAll(async () => {
    const { video: done, seen } = await waitForVideo(h.api, alice, ids.wide!);
    video = done;
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThanOrEqual(seen[i - 1]!.progress);
    file = (await download(`/api/v1/videos/${video.id}/file`, alice)).body;
  }, 150_000);

  it('completes, with progress 100, a duration and links', () => {
    expect(video).toMatchObject({
      status: 'completed',
      stage: 'Done',
      progress: 100,
      error: null,
      title: 'Tides wide',
      providers: { llm: 'offline', model: 'offline-v1', tts: 'festival' },
      links: {
        file: expect.stringMatching(new RegExp(`^/api/v1/videos/${video.id}/file\\?uid=[0-9a-f-]{36}&iat=\\d+&expires=\\d+&sig=[\\w-]{43}$`)),
        thumbnail: expect.stringContaining(`/api/v1/videos/${video.id}/thumbnail?`),
        captions: expect.stringContaining(`/api/v1/videos/${video.id}/captions?`),
      },
    });
    expect(video.durationSeconds).toBeGreaterThan(3);
    expect(video.completedAt).not.toBeNull();
    expect(video.usage.ttsCharacters).toBeGreaterThan(0);
  });

  it('is an H.264/AAC MP4 whose length is the narration plus pauses', async () => {
    const path = join(h.storageDir, 'check-wide.mp4');
    await writeFile(path, file);
    const probe = await ffprobe(path);
    const v = probe.streams.find((s) => s.codec_type === 'video')!;
    const a = probe.streams.find((s) => s.codec_type === 'audio')!;
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 1920, height: 1080 });
    expect(a.codec_name).toBe('aac');
    const total = Number(probe.format.duration);
    expect(Math.abs(total - Number(a.duration))).toBeLessThan(0.1);
    expect(Math.abs(total - video.durationSeconds)).toBeLessThan(0.01);
    const [{ narration }] = await h.api.db.query(
      `SELECT sum(vo.duration) AS narration FROM voiceovers vo JOIN slides s ON s.id = vo.slide_id JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1`,
      [video.id],
    );
    // Each slide: its narration plus a pause of at most a second.
    expect(total).toBeGreaterThanOrEqual(Number(narration) - 0.1);
    expect(total).toBeLessThanOrEqual(Number(narration) + 3 * 1 + 0.1);
    // +faststart: the index (moov) comes before the media data (mdat).
    expect(file.indexOf('moov')).toBeGreaterThan(0);
    expect(file.indexOf('moov')).toBeLessThan(file.indexOf('mdat'));
  });

  it('serves byte ranges a player can seek with', async () => {
    const part = await download(`/api/v1/videos/${video.id}/file`, alice, { range: 'bytes=100-1099' });
    expect(part.res.status).toBe(206);
    expect(part.res.headers.get('content-range')).toBe(`bytes 100-1099/${file.length}`);
    expect(part.res.headers.get('content-type')).toBe('video/mp4');
    expect(part.body.equals(file.subarray(100, 1100))).toBe(true);

    const tail = await download(`/api/v1/videos/${video.id}/file`, alice, { range: 'bytes=-500' });
    expect(tail.res.status).toBe(206);
    expect(tail.body.equals(file.subarray(file.length - 500))).toBe(true);

    const open = await download(`/api/v1/videos/${video.id}/file`, alice, { range: `bytes=${file.length - 10}-` });
    expect(open.body.equals(file.subarray(file.length - 10))).toBe(true);

    const whole = await download(`/api/v1/videos/${video.id}/file`, alice);
    expect(whole.res.status).toBe(200);
    expect(whole.res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(whole.res.headers.get('content-length'))).toBe(file.length);

    const beyond = await download(`/api/v1/videos/${video.id}/file`, alice, { range: `bytes=${file.length}-` });
    expect(beyond.res.status).toBe(416);
    expect(beyond.res.headers.get('content-range')).toBe(`bytes */${file.length}`);
  });

  it('has signed links a browser can use without a bearer token', async () => {
    const plain = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(h.api.http.baseUrl + path, { headers });
      return { res, body: Buffer.from(await res.arrayBuffer()) };
    };
    const whole = await plain(video.links.file);
    expect(whole.res.status).toBe(200);
    expect(whole.body.equals(file)).toBe(true);
    const part = await plain(video.links.file, { range: 'bytes=0-9' });
    expect(part.res.status).toBe(206);
    expect(part.body.equals(file.subarray(0, 10))).toBe(true);
    expect((await plain(video.links.thumbnail)).res.headers.get('content-type')).toBe('image/jpeg');
    expect((await plain(video.links.captions)).body.toString()).toMatch(/^WEBVTT/);

    const forged = await plain(video.links.file.replace(/sig=.{5}/, 'sig=AAAAA'));
    expect(forged.res.status).toBe(401);
    expect(JSON.parse(forged.body.toString()).message).toMatch(/link is invalid or has expired/);
    // A link signs one path: the file's signature does not open the thumbnail.
    expect((await plain(video.links.file.replace('/file?', '/thumbnail?'))).res.status).toBe(401);
    // Without a signature the route still wants a bearer token.
    expect((await plain(`/api/v1/videos/${video.id}/file`)).res.status).toBe(401);
    // And signatures open only media routes, never the JSON resource.
    expect((await plain(`/api/v1/videos/${video.id}?${video.links.file.split('?')[1]}`)).res.status).toBe(401);
  });

  it('has one chapter per slide, titled with the slide, matching GET /slides', async () => {
    const path = join(h.storageDir, 'check-chapters.mp4');
    await writeFile(path, file);
    const chapters = await ffprobeChapters(path);
    const res = await h.api.http.get(`/api/v1/videos/${video.id}/slides`, alice);
    expect(res.status).toBe(200);
    const slides = res.body.items as any[];
    expect(slides.map((s) => s.number)).toEqual([1, 2, 3]);
    expect(chapters.map((c) => c.tags?.title)).toEqual(slides.map((s) => s.title));
    const rows = await h.api.db.query(
      `SELECT s.title, s.bullets, s.text FROM slides s JOIN videos v ON v.prompt_id = s.prompt_id WHERE v.id = $1 ORDER BY s.slide_number`,
      [video.id],
    );
    for (const [i, slide] of slides.entries()) {
      expect(slide).toMatchObject({ title: rows[i].title, bullets: rows[i].bullets, narration: rows[i].text });
      // The chapter is the slide's window: they start together and touch the next slide.
      expect(Math.abs(Number(chapters[i]!.start_time) - slide.startSeconds)).toBeLessThan(0.002);
      expect(Math.abs(Number(chapters[i]!.end_time) - slide.endSeconds)).toBeLessThan(0.002);
      expect(slide.endSeconds).toBeGreaterThan(slide.startSeconds);
      if (i > 0) expect(slide.startSeconds).toBe(slides[i - 1].endSeconds);
    }
    expect(slides[0].startSeconds).toBe(0);
    expect(Math.abs(slides[2].endSeconds - video.durationSeconds)).toBeLessThan(0.01);
  });

  it('has captions whose cues lie inside the video', async () => {
    const { res, body } = await download(`/api/v1/videos/${video.id}/captions`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/vtt/);
    const cues = parseVtt(body.toString('utf8'));
    expect(cues.length).toBeGreaterThanOrEqual(3);
    for (const [i, cue] of cues.entries()) {
      expect(cue.text.trim()).not.toBe('');
      expect(cue.start).toBeGreaterThanOrEqual(0);
      expect(cue.end).toBeGreaterThan(cue.start);
      expect(cue.end).toBeLessThanOrEqual(video.durationSeconds + 0.001);
      if (i > 0) expect(cue.start).toBeGreaterThanOrEqual(cues[i - 1]!.end - 0.001);
    }
    // One cue per narration sentence: the prompt's own sentences are spoken.
    expect(cues.map((c) => c.text).join(' ')).toMatch(/Moon/);
  });

  it('has a thumbnail that decodes', async () => {
    const { res, body } = await download(`/api/v1/videos/${video.id}/thumbnail`, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const image = await loadImage(body);
    expect(image.width).toBeGreaterThan(100);
    expect(image.width / image.height).toBeCloseTo(16 / 9, 1);
  });

  it('streams progress as server-sent events, ending in the final state', async () => {
    const { res, body } = await download(`/api/v1/videos/${video.id}/events`, alice);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = body
      .toString()
      .split('\n\n')
      .filter((e) => e.startsWith('event: progress'))
      .map((e) => JSON.parse(e.split('\ndata: ')[1]!));
    expect(events.at(-1)).toMatchObject({ id: video.id, status: 'completed', progress: 100 });
  });

  it('renames', async () => {
    const res = await h.api.http.request('PUT', `/api/v1/videos/${video.id}`, {
      body: { title: 'Why the sea moves', description: 'A short one' },
      token: alice,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Why the sea moves', description: 'A short one', status: 'completed' });
    const bad = await h.api.http.request('PUT', `/api/v1/videos/${video.id}`, { body: { title: '' }, token: alice });
    expect(bad.status).toBe(400);
  });

  it('is invisible to another user: 404 on every route', async () => {
    const base = `/api/v1/videos/${video.id}`;
    for (const path of [base, `${base}/file`, `${base}/thumbnail`, `${base}/captions`, `${base}/events`, `${base}/slides`]) {
      const res = await h.api.http.get(path, bob);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect((await h.api.http.request('PUT', base, { body: { title: 'mine now' }, token: bob })).status).toBe(404);
    expect((await h.api.http.request('DELETE', base, { token: bob })).status).toBe(404);
    expect((await h.api.http.get('/api/v1/videos', bob)).body).toMatchObject({ items: [], total: 0 });
  });

  it('answers 404 for an id that is not a UUID', async () => {
    expect((await h.api.http.get('/api/v1/videos/not-a-uuid', alice)).status).toBe(404);
  });
});

describe('other aspect ratios', () => {
  it.each([
    ['tall', 1080, 1920],
    ['square', 1080, 1080],
  ])(
    '%s video has the right resolution',
    async (name, width, height) => {
      const { video } = await waitForVideo(h.api, alice, ids[name]!);
      expect(video.status).toBe('completed');
      const { body } = await download(`/api/v1/videos/${video.id}/file`, alice);
      const path = join(h.storageDir, `check-${name}.mp4`);
      await writeFile(path, body);
      const v = (await ffprobe(path)).streams.find((s) => s.codec_type === 'video')!;
      expect([v.width, v.height]).toEqual([width, height]);
    },
    150_000,
  );

  it('narrates in French, with espeak-ng since Festival has no French voice', async () => {
    const { video } = await waitForVideo(h.api, alice, ids.french!);
    expect(video.status).toBe('completed');
    expect(video.providers.tts).toBe('espeak');
  }, 150_000);
});

describe('GET /videos', () => {
  it('lists the caller’s videos newest first, paginated and filterable', async () => {
    const all = await h.api.http.get('/api/v1/videos?limit=100', alice);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(all.body.items.length);
    const created = all.body.items.map((v: any) => Date.parse(v.createdAt));
    expect([...created].sort((a, b) => b - a)).toEqual(created);

    const page = await h.api.http.get('/api/v1/videos?limit=2&page=2', alice);
    expect(page.body).toMatchObject({ page: 2, limit: 2, total: all.body.total });
    expect(page.body.items.map((v: any) => v.id)).toEqual(all.body.items.slice(2, 4).map((v: any) => v.id));

    await waitForVideo(h.api, alice, ids.wide!);
    const done = await h.api.http.get('/api/v1/videos?status=completed', alice);
    expect(done.body.items.length).toBeGreaterThan(0);
    expect(done.body.items.every((v: any) => v.status === 'completed')).toBe(true);
  });

  it.each([
    ['limit=101', /limit must be between 1 and 100/],
    ['page=0', /page must be 1 or more/],
    ['status=done', /status must be one of/],
    ['sort=asc', /property sort should not exist/],
  ])('refuses %s', async (query, message) => {
    const res = await h.api.http.get(`/api/v1/videos?${query}`, alice);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(message);
  });
});

describe('DELETE /videos/:id', () => {
  it('removes a finished video: rows, files and all', async () => {
    const { video } = await waitForVideo(h.api, alice, ids.square!);
    const dir = join(h.storageDir, 'videos', video.id);
    expect(existsSync(join(dir, 'video.mp4'))).toBe(true);
    const res = await h.api.http.request('DELETE', `/api/v1/videos/${video.id}`, { token: alice });
    expect(res.status).toBe(204);
    expect(existsSync(dir)).toBe(false);
    expect((await h.api.http.get(`/api/v1/videos/${video.id}`, alice)).status).toBe(404);
    expect(await h.api.db.query('SELECT 1 FROM videos WHERE id = $1', [video.id])).toHaveLength(0);
    expect(await h.api.db.query('SELECT 1 FROM slides s JOIN prompts p ON p.id = s.prompt_id WHERE p.title = $1', ['Tides square'])).toHaveLength(0);
  });

  it('stops a video deleted mid-way: its jobs end without writing anything', async () => {
    const res = await generate(alice, { prompt: PROMPT, slideCount: 12 });
    const id = res.body.id as string;
    // Wait until the worker is really busy with it (slides rendered, voice jobs running).
    await waitFor(
      () => h.api.http.get(`/api/v1/videos/${id}`, alice).then((r) => r.body),
      (v) => v.progress >= 10,
      60_000,
      'work to start',
    );
    expect((await h.api.http.request('DELETE', `/api/v1/videos/${id}`, { token: alice })).status).toBe(204);

    // Every job of that video ends (skipped or removed), none is left waiting or running.
    const queues = ['slides', 'voice', 'stitch'].map((name) => new Queue(name, { connection: { url: h.env.REDIS_URL }, prefix: h.env.QUEUE_PREFIX }));
    try {
      const jobIds = [`slides-${id}`, `stitch-${id}`, ...Array.from({ length: 12 }, (_, i) => `voice-${id}-${i + 1}`)];
      await waitFor(
        async () => {
          const states = await Promise.all(queues.flatMap((q) => jobIds.map((j) => q.getJobState(j))));
          return states.filter((s) => s !== 'unknown' && s !== 'completed' && s !== 'failed');
        },
        (pending) => pending.length === 0,
        60_000,
        'the deleted video’s jobs to end',
      );
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
    expect(existsSync(join(h.storageDir, 'videos', id))).toBe(false);
    expect(await h.api.db.query('SELECT 1 FROM videos WHERE id = $1', [id])).toHaveLength(0);
    expect(errorLines(h.workers[0]!.output())).toEqual([]);
  }, 120_000);
});
