import { setTimeout as delay } from 'node:timers/promises';
import { type FakeGoogleTts, startFakeGoogleTts } from './fakes/fake-google-tts.server.js';
import { type FfmpegGate, startFfmpegGate } from './support/ffmpeg-gate.js';
import { type GatedProxy, startGatedProxy } from './support/gated-proxy.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { settledJobState, TTS_KEY } from './support/provider-fakes.js';
import { type S3TestServer, startS3Server } from './support/s3-server.js';
import { heldAt } from './support/wait.js';

const OUTAGE_MS = 15_000;

/**
 * The object store (s3rver, STORAGE_DRIVER=s3) stopped while one video is in its voice
 * stage (TTS calls held) and another in its stitch (ffmpeg held), then started again on
 * the same port with the same data, with the default retry schedule. Both stages write to
 * the store once released; the SDK's refused connections must be waited out as our own
 * infrastructure, never spend the attempts meant for provider errors.
 */
describe('the object store stopped during voice and stitch', () => {
  let s3: S3TestServer;
  let tts: FakeGoogleTts;
  let ttsGate: GatedProxy;
  let ffmpegGate: FfmpegGate;
  let h: PipelineHarness;

  beforeAll(async () => {
    s3 = await startS3Server();
    tts = await startFakeGoogleTts({ apiKey: TTS_KEY });
    ttsGate = await startGatedProxy(tts.endpoint);
    ffmpegGate = await startFfmpegGate();
    h = await startPipeline(
      { TTS_PROVIDER: 'google', GOOGLE_TTS_API_KEY: TTS_KEY, TTS_API_ENDPOINT: ttsGate.baseUrl, PATH: ffmpegGate.path },
      // Provider-error retries are fast: an outage counted as provider failures would spend every attempt within seconds.
      { sharedEnv: { ...s3.env(), JOB_BACKOFF_MS: '50' } },
    );
  }, 60_000);

  afterAll(async () => {
    ffmpegGate?.release();
    ttsGate?.release();
    await h?.close();
    await ffmpegGate?.close();
    await ttsGate?.close();
    await tts?.close();
    await s3?.close();
  });

  it('rides out 15 s without the store: both videos complete and no job spends an attempt', async () => {
    const token = await registerUser(h.api, 'store');
    const submit = async (prompt: string, slideCount: number) => {
      const res = await h.api.http.post('/api/v1/videos/generate', { prompt, slideCount }, token);
      expect(res.status).toBe(202);
      return res.body.id as string;
    };
    const held = (gate: { waiting: number }, what: string) => heldAt(gate, what, 60_000);
    const stitching = await submit('Volcanoes vent molten rock. Lava cools into basalt. Ash enriches the soil.', 3);
    await held(ffmpegGate, 'the first video to reach ffmpeg in its stitch');
    ttsGate.hold();
    const voicing = await submit('Owls hunt at night. Their feathers muffle sound. Their eyes gather light. They swallow prey whole.', 4);
    await held(ttsGate, 'the second video to call the TTS');

    await s3.stop();
    const downAt = Date.now();
    // The narration arrives and is stored; the stitch's ffmpeg runs and its outputs go up: both meet the stopped store.
    ttsGate.release();
    ffmpegGate.release();
    await delay(Math.max(0, downAt + OUTAGE_MS - Date.now())); // the outage itself: a duration, not a synchronisation
    await s3.start();
    const upAt = Date.now();

    for (const id of [stitching, voicing]) {
      const { video } = await waitForVideo(h.api, token, id, 90_000);
      expect([video.status, video.error]).toEqual(['completed', null]);
    }
    // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/storage-outage.e2e-spec.ts
    if (process.env.BLINKED_SHOW_TIMINGS) {
      process.stdout.write(
        `object store outage: down ${(upAt - downAt) / 1000} s; both videos completed ${(Date.now() - upAt) / 1000} s after it was back\n`,
      );
    }
    const log = h.workers[0]!.output();
    expect(log).toMatch(new RegExp(`voice job voice-${voicing}-\\d: infrastructure unavailable \\(.*ECONNREFUSED.*no attempt spent`));
    expect(log).toMatch(new RegExp(`stitch job stitch-${stitching}: infrastructure unavailable \\(.*ECONNREFUSED.*no attempt spent`));
    // BullMQ counts the run that completed a job too: 1 is a job that never failed.
    const jobIds: [string, string][] = [
      ['slides', `slides-${stitching}`],
      ['stitch', `stitch-${stitching}`],
      ['slides', `slides-${voicing}`],
      ...[1, 2, 3, 4].map((n): [string, string] => ['voice', `voice-${voicing}-${n}`]),
      ['stitch', `stitch-${voicing}`],
    ];
    const jobs = await Promise.all(jobIds.map(async ([queue, jobId]) => ({ jobId, ...(await settledJobState(h, queue, jobId)) })));
    expect(jobs).toEqual(jobIds.map(([, jobId]) => ({ jobId, state: 'completed', attemptsMade: 1, failedReason: '' })));
    // The files went to the restarted store, with the data it kept.
    for (const id of [stitching, voicing]) {
      expect(await s3.keys(`videos/${id}/`)).toEqual(expect.arrayContaining([`videos/${id}/video.mp4`, `videos/${id}/thumbnail.jpg`]));
    }
  }, 180_000);
});
