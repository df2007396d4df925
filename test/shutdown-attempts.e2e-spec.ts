import { Queue } from 'bullmq';
import { jobIds, QueueName, redisOptions } from '@app/jobs';
import { parseRedisConfig } from '@app/config';
import { startFakeGemini, type FakeGemini } from './fakes/fake-gemini.server.js';
import { type GatedProxy, startGatedProxy } from './support/gated-proxy.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { waitFor } from './support/wait.js';

/**
 * SIGTERM while the slides stage is in a provider call. On main the queues the stage
 * still needed were closed under it ("Connection is closed") and the job spent one of
 * its attempts; a job handed back on shutdown must keep them.
 */
describe('a worker stopped with SIGTERM mid-slides', () => {
  let h: PipelineHarness;
  let gemini: FakeGemini;
  let proxy: GatedProxy;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'test-gemini-key' });
    proxy = await startGatedProxy(gemini.baseUrl);
    h = await startPipeline({ LLM_PROVIDER: 'gemini', GOOGLE_GEMINI_API_KEY: 'test-gemini-key', GEMINI_BASE_URL: proxy.baseUrl, WORKER_LOCK_MS: '1500' });
  }, 60_000);

  afterAll(async () => {
    proxy?.release();
    await h?.close();
    await proxy?.close();
    await gemini?.close();
  });

  it('finishes the stage before closing its queues, spending no attempt', async () => {
    proxy.hold();
    const token = await registerUser(h.api, 'tess');
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Ants farm fungus. Leaves feed the fungus. The fungus feeds the ants.', slideCount: 3 },
      token,
    );
    expect(res.status).toBe(202);
    await waitFor(
      async () => proxy.waiting,
      (n) => n >= 1,
      30_000,
      'the worker to call Gemini',
    );

    const worker = h.workers[0]!;
    const exited = new Promise<string>((resolve) => worker.child.once('exit', (code, signal) => resolve(`${code ?? signal}`)));
    worker.child.kill('SIGTERM');
    await waitFor(
      async () => worker.output(),
      (out) => /stopping on SIGTERM/.test(out),
      10_000,
      'the worker to start shutting down',
    );
    proxy.release(); // the deck arrives while the worker shuts down: the stage still has to store it and queue the voices
    expect(await exited).toBe('SIGTERM');
    expect(worker.output()).not.toMatch(/Connection is closed|attempt 1\//);

    const redis = parseRedisConfig(h.env);
    const slides = new Queue(QueueName.Slides, { connection: redisOptions(redis, 'worker'), prefix: h.env.QUEUE_PREFIX });
    try {
      const job = await slides.getJob(jobIds.slides(res.body.id));
      // One run, the one that completed (BullMQ counts a completion in attemptsMade); no failed attempt before it.
      expect({ state: await job!.getState(), attemptsMade: job!.attemptsMade, failedReason: job!.failedReason ?? null }).toEqual({
        state: 'completed',
        attemptsMade: 1,
        failedReason: null,
      });
    } finally {
      await slides.close();
    }
    await h.addWorker();
    const { video } = await waitForVideo(h.api, token, res.body.id, 60_000);
    expect(video.status).toBe('completed');
  }, 90_000);
});
