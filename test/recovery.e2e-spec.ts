import { startFakeGemini, type FakeGemini } from './fakes/fake-gemini.server.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';

/**
 * No job is lost when a worker dies: a worker is SIGKILLed while it holds the
 * slides job (stuck in a provider call), and a second worker finishes the video.
 */
describe('a killed worker', () => {
  let h: PipelineHarness;
  let gemini: FakeGemini;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'test-gemini-key' });
    h = await startPipeline({
      LLM_PROVIDER: 'gemini',
      GOOGLE_GEMINI_API_KEY: 'test-gemini-key',
      GEMINI_BASE_URL: gemini.baseUrl,
      // Short locks so the dead worker's job is taken over in seconds, not 30 s.
      WORKER_LOCK_MS: '1500',
    });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await gemini?.close();
  });

  it('has its job finished by another worker', async () => {
    gemini.script('hang'); // the first call never answers: the job stays in the first worker's hands
    const token = await registerUser(h.api, 'carol');
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Why is the sky blue? Sunlight scatters off air molecules.', slideCount: 3 },
      token,
    );
    expect(res.status).toBe(202);
    await waitFor(
      async () => gemini.calls,
      (n) => n >= 1,
      30_000,
      'the first worker to call Gemini',
    );

    await h.workers[0]!.stop(true); // SIGKILL: no chance to hand the job back
    await h.addWorker();

    const { video } = await waitForVideo(h.api, token, res.body.id, 90_000);
    expect(video.status).toBe('completed');
    expect(video.providers.llm).toBe('gemini');
    expect(gemini.calls).toBe(2); // the hung call, then the second worker's
  }, 120_000);
});

describe('a worker stopped with SIGTERM', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await startPipeline({ WORKER_LOCK_MS: '1500' });
  }, 60_000);

  afterAll(() => h?.close());

  it('exits cleanly mid-video, and the video is still finished', async () => {
    const token = await registerUser(h.api, 'erin');
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Bridges carry loads across gaps. Arches push outward. Cables pull inward.', slideCount: 12 },
      token,
    );
    await waitFor(
      () => h.api.http.get(`/api/v1/videos/${res.body.id}`, token).then((r) => r.body),
      (v) => v.progress >= 10,
      60_000,
      'work to start',
    );

    const worker = h.workers[0]!;
    const exited = new Promise<string>((resolve) => worker.child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
    worker.child.kill('SIGTERM');
    // Nest closes the app (BullMQ waits for running jobs), then re-raises the signal.
    expect(await exited).toBe('SIGTERM');
    expect(worker.output()).toMatch(/stopping on SIGTERM: finishing running jobs/);
    expect(worker.output()).not.toMatch(/ERROR/);

    await h.addWorker();
    const { video } = await waitForVideo(h.api, token, res.body.id, 90_000);
    expect(video.status).toBe('completed');
    expect(video.slideCount).toBe(12);
  }, 150_000);
});
