import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGoogleTts, type FakeGoogleTts } from './fakes/fake-google-tts.server.js';
import { type GatedProxy, startGatedProxy } from './support/gated-proxy.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { generate, settledJobState, sql, TTS_KEY } from './support/provider-fakes.js';
import { deleteKeysUnder } from './support/redis-keys.js';
import { waitFor } from './support/wait.js';

const INTERVAL_SECONDS = 1;
const STALE_SECONDS = 2;
const SLIDES = 3;

/**
 * Redis restarted without persistence loses every job. Here the keys of this test's
 * queue prefix (this deployment's whole share of Redis) are deleted while the video's
 * voice jobs are held at a gate in front of the TTS fake; the worker's reconciler
 * finds the video working with no job and re-enqueues it from its stage, and the video
 * completes with exactly one set of everything.
 */
describe('Redis losing the jobs of a video being voiced', () => {
  let h: PipelineHarness;
  let tts: FakeGoogleTts;
  let gate: GatedProxy;
  let workDir: string;

  beforeAll(async () => {
    tts = await startFakeGoogleTts({ apiKey: TTS_KEY });
    gate = await startGatedProxy(tts.endpoint);
    workDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-work-'));
    h = await startPipeline({
      TTS_PROVIDER: 'google',
      GOOGLE_TTS_API_KEY: TTS_KEY,
      TTS_API_ENDPOINT: gate.baseUrl,
      RECONCILE_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      RECONCILE_STALE_SECONDS: String(STALE_SECONDS),
      WORK_DIR: workDir,
    });
  }, 60_000);

  afterAll(async () => {
    gate?.release();
    await h?.close();
    await gate?.close();
    await tts?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('is re-enqueued by the reconciler and completes, with one set of slides, voiceovers and files', async () => {
    gate.hold();
    const token = await registerUser(h.api, 'lost');
    const id = await generate(h.api, token, { prompt: 'Glaciers carve valleys. Ice flows downhill. Moraines mark the edges.', slideCount: SLIDES });
    await waitFor(
      async () => ({ waiting: gate.waiting, status: (await h.api.http.get(`/api/v1/videos/${id}`, token)).body.status as string }),
      (s) => s.status === 'generating_voice' && s.waiting === SLIDES,
      60_000,
      'every voice job to be calling TTS',
    );

    await deleteKeysUnder(h.env.REDIS_URL, h.env.QUEUE_PREFIX);
    const lostAt = Date.now();
    // The running jobs finish their work, but BullMQ can no longer record it: their keys are gone.
    gate.release();

    const { video, seen } = await waitForVideo(h.api, token, id, 90_000);
    const recoveryMs = Date.now() - lostAt;
    expect(video).toMatchObject({ status: 'completed', error: null, slideCount: SLIDES });
    expect(seen.map((s) => s.status)).not.toContain('failed');
    // Not before the video had been unchanged for RECONCILE_STALE_SECONDS.
    expect(recoveryMs).toBeGreaterThanOrEqual(STALE_SECONDS * 1000);

    const restarts = h.workers[0]!.output().match(
      new RegExp(`video ${id}: generating_voice with no job in the queue.*re-enqueued from the voice stage \\(restart 1 of 3\\)`, 'g'),
    );
    expect(restarts).toHaveLength(1);
    expect((await sql(h.api, 'SELECT restarts FROM videos WHERE id = $1', [id]))[0]).toEqual({ restarts: 1 });

    const counts = await sql(
      h.api,
      `SELECT (SELECT count(*)::int FROM slides s WHERE s.prompt_id = v.prompt_id) AS slides,
              (SELECT count(*)::int FROM voiceovers o JOIN slides s ON s.id = o.slide_id WHERE s.prompt_id = v.prompt_id) AS voiceovers
         FROM videos v WHERE v.id = $1`,
      [id],
    );
    expect(counts[0]).toEqual({ slides: SLIDES, voiceovers: SLIDES });
    // Each slide narrated once: the restarted voice jobs found their audio stored.
    expect(tts.requests).toHaveLength(SLIDES);

    // The stitch discards the slides' segments and removes its work folder after it marks the video completed, before its job returns.
    await settledJobState(h, 'stitch', `stitch-${id}`);
    const files = (await readdir(h.storageDir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) =>
        join(e.parentPath, e.name)
          .slice(h.storageDir.length + 1)
          .replace(/[0-9a-f]{64}/, '<sha>')
          .replace(/^(blobs\/audio\/)[0-9a-f]{2}\//, '$1xx/'),
      )
      .sort();
    expect(files).toEqual(
      [
        ...Array.from({ length: SLIDES }, () => 'blobs/audio/xx/<sha>.mp3'),
        `videos/${id}/captions.srt`,
        `videos/${id}/captions.vtt`,
        ...Array.from({ length: SLIDES }, (_, i) => `videos/${id}/slides/00${i + 1}.png`),
        `videos/${id}/thumbnail.jpg`,
        `videos/${id}/video.mp4`,
      ].sort(),
    );
    // Work folders are removed when their job ends.
    expect(await readdir(workDir)).toEqual([]);
    // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/lost-jobs.e2e-spec.ts
    if (process.env.BLINKED_SHOW_TIMINGS) process.stdout.write(`recovery: ${recoveryMs} ms from keys deleted to completed\n`);
  }, 120_000);
});
