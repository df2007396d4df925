import { setTimeout as delay } from 'node:timers/promises';
import { startFakeGemini } from './fakes/fake-gemini.server.js';
import { startFakeGoogleTts } from './fakes/fake-google-tts.server.js';
import { type FfmpegGate, startFfmpegGate } from './support/ffmpeg-gate.js';
import { type GatedProxy, startGatedProxy } from './support/gated-proxy.js';
import { registerUser, waitForVideo } from './support/pipeline-harness.js';
import { type PrivatePostgres, startPrivatePostgres } from './support/private-postgres.js';
import { type ProcessStack, startProcessStack } from './support/process-stack.js';
import { GEMINI_KEY, GEMINI_MODEL, settledJobState, TTS_KEY } from './support/provider-fakes.js';
import { type EventStream, openEvents } from './support/sse.js';
import { withClient } from './support/test-db.js';
import { heldAt, waitFor } from './support/wait.js';

type Stage = 'slides' | 'voice' | 'stitch';

/** One outage's world: its own PostgreSQL cluster, provider fakes behind gates, an api and a worker. */
interface Rig {
  pg: PrivatePostgres;
  databaseUrl: string;
  llmGate: GatedProxy;
  ttsGate: GatedProxy;
  ffmpegGate: FfmpegGate;
  stack: ProcessStack;
  close(): Promise<void>;
}

async function startRig(): Promise<Rig> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    const pg = await startPrivatePostgres();
    closers.push(pg.close);
    await withClient(pg.url(), (c) => c.query('CREATE DATABASE blinked'));
    const gemini = await startFakeGemini({ apiKey: GEMINI_KEY });
    closers.push(gemini.close);
    const llmGate = await startGatedProxy(gemini.baseUrl);
    closers.push(llmGate.close);
    const tts = await startFakeGoogleTts({ apiKey: TTS_KEY });
    closers.push(tts.close);
    const ttsGate = await startGatedProxy(tts.endpoint);
    closers.push(ttsGate.close);
    const ffmpegGate = await startFfmpegGate();
    closers.push(ffmpegGate.close);
    const databaseUrl = pg.url('blinked');
    const stack = await startProcessStack(databaseUrl, {
      // Provider-error retries are fast: an outage counted as provider failures would spend every attempt within seconds.
      sharedEnv: { JOB_BACKOFF_MS: '50' },
      workerEnv: {
        LLM_PROVIDER: 'gemini',
        GOOGLE_GEMINI_API_KEY: GEMINI_KEY,
        GEMINI_MODEL,
        GEMINI_BASE_URL: llmGate.baseUrl,
        TTS_PROVIDER: 'google',
        GOOGLE_TTS_API_KEY: TTS_KEY,
        TTS_API_ENDPOINT: ttsGate.baseUrl,
        PATH: ffmpegGate.path,
      },
    });
    closers.push(stack.close);
    return { pg, databaseUrl, llmGate, ttsGate, ffmpegGate, stack, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Three videos of one user, one held in each stage: the first in its stitch (ffmpeg
 * held), the second in voice (its TTS calls held), the third in slides (its LLM call
 * held). Each has its own slide count, so the fake deck's narrations differ and none
 * comes from the cache.
 */
async function holdOneVideoInEachStage(rig: Rig, token: string): Promise<Record<Stage, string>> {
  const { api } = rig.stack;
  const submit = async (slideCount: number) => {
    const res = await api.http.post('/api/v1/videos/generate', { prompt: `Rivers carve canyons over ${slideCount} million years.`, slideCount }, token);
    expect(res.status).toBe(202);
    return res.body.id as string;
  };
  const held = (gate: { waiting: number }, what: string) => heldAt(gate, what, 90_000);
  const stitch = await submit(3);
  await held(rig.ffmpegGate, 'the first video to reach ffmpeg in its stitch');
  rig.ttsGate.hold();
  const voice = await submit(4);
  await held(rig.ttsGate, 'the second video to call the TTS');
  rig.llmGate.hold();
  const slides = await submit(5);
  await held(rig.llmGate, 'the third video to call the LLM');
  return { slides, voice, stitch };
}

/** Every job of a finished video: its state and the attempts BullMQ counted. */
async function jobsOf(rig: Rig, id: string, slideCount: number) {
  const ids: [string, string][] = [
    ['slides', `slides-${id}`],
    ...Array.from({ length: slideCount }, (_, i): [string, string] => ['voice', `voice-${id}-${i + 1}`]),
    ['stitch', `stitch-${id}`],
  ];
  return Promise.all(ids.map(async ([queue, jobId]) => ({ jobId, ...(await settledJobState(rig.stack, queue, jobId)) })));
}

/**
 * PostgreSQL really stopped (`pg_ctl stop -m fast` on a private cluster, then `pg_ctl
 * start` on the same port) while one video is in each stage, with the default
 * infrastructure retry schedule (1 s doubling to 30 s, for up to 900 s). The two
 * outages run at once, each in its own cluster and stack, so the file takes about as
 * long as the longer one. Before the infrastructure retries, a job's retries all ran
 * into the outage within seconds, its attempts were spent and the video failed (or,
 * before that, stayed in its working status forever).
 */
describe('PostgreSQL stopped while one video is in each stage, with the default retry schedule', () => {
  const outages = [
    { label: '60 s', ms: 60_000 },
    { label: '2 minutes', ms: 120_000 },
  ];
  const rigs = new Map<number, Rig>();

  beforeAll(async () => {
    const started = await Promise.allSettled(outages.map(() => startRig()));
    // Whatever started is kept, so afterAll stops it even when the other failed.
    started.forEach((r, i) => r.status === 'fulfilled' && rigs.set(outages[i]!.ms, r.value));
    for (const r of started) if (r.status === 'rejected') throw r.reason;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...rigs.values()].map((r) => r.close()));
  });

  it.concurrent.each(outages)(
    'rides out $label, spending no attempt, and every video and its event stream end completed',
    async ({ label, ms }) => {
      const rig = rigs.get(ms)!;
      const { api, worker } = rig.stack;
      const token = await registerUser(api, `outage${ms / 1000}`);
      const ids = await holdOneVideoInEachStage(rig, token);
      const statuses = await withClient(rig.databaseUrl, (c) => c.query<{ id: string; status: string }>('SELECT id, status FROM videos'));
      expect(Object.fromEntries(statuses.rows.map((r) => [r.id, r.status]))).toEqual({
        [ids.slides]: 'generating_slides',
        [ids.voice]: 'generating_voice',
        [ids.stitch]: 'rendering',
      });
      const streams: Record<Stage, EventStream> = {
        slides: await openEvents(`${api.http.baseUrl}/api/v1/videos/${ids.slides}/events`, token),
        voice: await openEvents(`${api.http.baseUrl}/api/v1/videos/${ids.voice}/events`, token),
        stitch: await openEvents(`${api.http.baseUrl}/api/v1/videos/${ids.stitch}/events`, token),
      };

      const stopAt = Date.now();
      await rig.pg.stop();
      const downAt = Date.now();
      // Each held step goes on now and meets the stopped server at its next statement.
      rig.ffmpegGate.release();
      rig.ttsGate.release();
      rig.llmGate.release();
      await delay(Math.max(0, downAt + ms - Date.now())); // the outage itself: a duration, not a synchronisation
      await rig.pg.start();
      const upAt = Date.now();

      const completedAfter: Record<string, number> = {};
      const videos = await Promise.all(
        (['slides', 'voice', 'stitch'] as const).map(async (stage) => {
          const { video } = await waitForVideo(api, token, ids[stage], 120_000);
          completedAfter[stage] = (Date.now() - upAt) / 1000;
          return { stage, status: video.status, error: video.error };
        }),
      );
      expect(videos).toEqual([
        { stage: 'slides', status: 'completed', error: null },
        { stage: 'voice', status: 'completed', error: null },
        { stage: 'stitch', status: 'completed', error: null },
      ]);
      expect(upAt - downAt).toBeGreaterThanOrEqual(ms);

      for (const stage of ['slides', 'voice', 'stitch'] as const) {
        await waitFor(
          async () => streams[stage].ended,
          (ended) => ended,
          10_000,
          `the ${stage} video's event stream to end`,
        );
        expect(streams[stage].status).toBe(200);
        expect(streams[stage].progress().at(-1)).toMatchObject({ id: ids[stage], status: 'completed', progress: 100 });
      }
      // Each stage met the outage and waited it out; no job of any of the three spent an attempt.
      const log = worker.output();
      expect(log).toMatch(new RegExp(`slides job slides-${ids.slides}: infrastructure unavailable .*no attempt spent`));
      expect(log).toMatch(new RegExp(`voice job voice-${ids.voice}-\\d: infrastructure unavailable .*no attempt spent`));
      expect(log).toMatch(new RegExp(`stitch job stitch-${ids.stitch}: infrastructure unavailable .*no attempt spent`));
      expect(log).not.toMatch(/counting it as a failed attempt|could not delay it/);
      // BullMQ counts the run that completed a job too: 1 is a job that never failed.
      const jobs = (await Promise.all([jobsOf(rig, ids.slides, 5), jobsOf(rig, ids.voice, 4), jobsOf(rig, ids.stitch, 3)])).flat();
      expect(jobs).toEqual(jobs.map(({ jobId }) => ({ jobId, state: 'completed', attemptsMade: 1, failedReason: '' })));

      // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/database-outage.e2e-spec.ts
      if (process.env.BLINKED_SHOW_TIMINGS) {
        process.stdout.write(
          `PostgreSQL outage (${label}): stop took ${downAt - stopAt} ms, server down ${(upAt - downAt) / 1000} s; ` +
            `completed after it was back: ${JSON.stringify(completedAfter)} s\n`,
        );
      }
    },
    300_000,
  );
});
