import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PipelineHarness, registerUser, startPipeline, waitForVideo } from './support/pipeline-harness.js';
import type { WorkerProcess } from './support/worker-process.js';

/** maxStalledCount in apps/worker/src/processors/processor-options.ts. */
const MAX_STALLED = 2;

/** Resolves once `worker` starts a stitch (its work folder appears) and has been SIGKILLed for it. */
function killOnStitch(workDir: string, worker: WorkerProcess): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(workDir, (_event, name) => {
      if (name?.startsWith(`blinked-${worker.child.pid}-stitch-`)) {
        watcher.close();
        worker.child.kill('SIGKILL');
        resolve(worker.stop(true));
      }
    });
  });
}

/**
 * A video whose stitch kills its worker every time (OOM, a crash): on main BullMQ
 * failed the job "stalled more than allowable limit" and the video stayed
 * `rendering` forever. It must end `failed`, saying why.
 */
describe('a stitch that kills its worker more often than the stalled limit', () => {
  let h: PipelineHarness;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'blinked-e2e-stall-'));
    h = await startPipeline({ WORKER_LOCK_MS: '1500', WORK_DIR: workDir });
  }, 60_000);

  afterAll(async () => {
    await h?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('fails the video with a reason naming the stall', async () => {
    const token = await registerUser(h.api, 'stella');
    let worker = h.workers[0]!;
    let killed = killOnStitch(workDir, worker);
    const res = await h.api.http.post(
      '/api/v1/videos/generate',
      { prompt: 'Stars fuse hydrogen. Light escapes slowly. Dust forms planets.', slideCount: 3 },
      token,
    );
    expect(res.status).toBe(202);
    for (let kill = 1; kill <= MAX_STALLED + 1; kill++) {
      await killed;
      worker = await h.addWorker();
      if (kill <= MAX_STALLED) killed = killOnStitch(workDir, worker);
    }
    // The last worker finds the job stalled once too often: BullMQ fails it, and the video with it.
    const { video } = await waitForVideo(h.api, token, res.body.id, 60_000);
    expect(video.status).toBe('failed');
    expect(video.error).toMatch(/^Encoding the video failed: the worker running it stopped .*\(job stalled more than allowable limit\)$/);
    expect(video.progress).toBeLessThan(100);
  }, 120_000);
});
