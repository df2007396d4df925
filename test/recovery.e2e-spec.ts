import { watch } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGemini, type FakeGemini } from './fakes/fake-gemini.server.js';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import { settledJobState } from './support/provider-fakes.js';
import { waitFor } from './support/wait.js';
import { errorLines } from './support/log-lines.js';

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

/**
 * How long a SIGKILLed worker's job waits with the default settings (WORKER_LOCK_MS
 * 10000, the stalled check every half lock): on main 49-60 s; .env.example promises ≤ 15 s.
 */
describe('a killed worker, with the default lock', () => {
  let h: PipelineHarness;
  let gemini: FakeGemini;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'test-gemini-key' });
    h = await startPipeline({ LLM_PROVIDER: 'gemini', GOOGLE_GEMINI_API_KEY: 'test-gemini-key', GEMINI_BASE_URL: gemini.baseUrl });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    await gemini?.close();
  });

  it('has its job taken over by a running worker within 15 s', async () => {
    gemini.script('hang');
    const token = await registerUser(h.api, 'kim');
    const res = await h.api.http.post('/api/v1/videos/generate', { prompt: 'Why do leaves fall? Trees save water in winter.', slideCount: 3 }, token);
    expect(res.status).toBe(202);
    await waitFor(
      async () => gemini.calls,
      (n) => n >= 1,
      30_000,
      'the first worker to call Gemini',
    );
    await h.addWorker(); // already running when the first dies: the delay measured is the takeover alone

    const killedAt = Date.now();
    await h.workers[0]!.stop(true);
    await waitFor(
      async () => gemini.calls,
      (n) => n >= 2,
      30_000,
      'the second worker to take the job over',
    );
    const recoveryMs = Date.now() - killedAt;
    // For measuring: BLINKED_SHOW_TIMINGS=1 npm run test:jest -- test/recovery.e2e-spec.ts
    if (process.env.BLINKED_SHOW_TIMINGS) process.stdout.write(`recovery after a SIGKILLed worker: ${recoveryMs} ms\n`);
    expect(recoveryMs).toBeLessThanOrEqual(15_000);
    const { video } = await waitForVideo(h.api, token, res.body.id, 60_000);
    expect(video.status).toBe('completed');
  }, 90_000);
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
    expect(errorLines(worker.output())).toEqual([]);

    await h.addWorker();
    const { video } = await waitForVideo(h.api, token, res.body.id, 90_000);
    expect(video.status).toBe('completed');
    expect(video.slideCount).toBe(12);
  }, 150_000);
});

describe('a worker SIGKILLed mid-stitch', () => {
  let h: PipelineHarness;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-work-'));
    h = await startPipeline({ WORKER_LOCK_MS: '1500', WORK_DIR: workDir });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('leaves its work folder behind, and the next worker to start removes it', async () => {
    const victim = h.workers[0]!;
    const folderOf = (pid: number) => new RegExp(`^blinked-${pid}-stitch-`);
    // Killed the moment its stitch job creates its folder: no `finally` can remove it.
    const killed = new Promise<string>((resolve) => {
      const watcher = watch(workDir, (_event, name) => {
        if (name && folderOf(victim.child.pid!).test(name)) {
          victim.child.kill('SIGKILL');
          watcher.close();
          resolve(name);
        }
      });
    });
    const token = await registerUser(h.api, 'dave');
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Volcanoes form where plates meet. Magma rises. Ash falls.', slideCount: 4 },
      token,
    );
    expect(res.status).toBe(202);

    const leftover = await killed;
    await victim.stop(true);
    expect(await readdir(workDir)).toContain(leftover);

    const next = await h.addWorker();
    // The sweep runs while the worker starts: gone by the time it says it started.
    expect(await readdir(workDir)).not.toContain(leftover);
    expect(next.output()).toContain(`removed 1 work folder(s) left by dead workers in ${workDir}: ${leftover}`);

    const { video } = await waitForVideo(h.api, token, res.body.id, 90_000);
    expect(video.status).toBe('completed');
    // The stitch removes its folder as its job returns, just after it marks the video completed.
    await settledJobState(h, 'stitch', `stitch-${res.body.id}`);
    expect(await readdir(workDir)).toEqual([]);
  }, 120_000);
});
