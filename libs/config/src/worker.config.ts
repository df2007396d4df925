import { tmpdir } from 'node:os';
import { registerAs } from '@nestjs/config';
import { type Env, int, num, str } from './env.parsers.js';

export interface WorkerConfig {
  /** Jobs one worker process runs at once, per queue. Scale further by adding processes. */
  concurrency: { slides: number; voice: number; stitch: number };
  /** At most this many voice jobs start per second across all workers (protects the TTS quota). */
  voiceRatePerSecond: number;
  /** Silence after each slide's narration, in seconds. */
  slidePauseSeconds: number;
  /** Scratch space for ffmpeg; cleaned after each job. */
  workDir: string;
  /**
   * How long a job's lock lives without renewal. A worker that dies (SIGKILL,
   * OOM, lost machine) stops renewing; after about this long another worker
   * takes its job over.
   */
  lockDurationMs: number;
}

export function parseWorkerConfig(env: Env): WorkerConfig {
  return {
    concurrency: {
      slides: int(env, 'WORKER_CONCURRENCY_SLIDES', 2, 1, 64),
      voice: int(env, 'WORKER_CONCURRENCY_VOICE', 4, 1, 256),
      // ffmpeg already uses every core: one stitch per process.
      stitch: int(env, 'WORKER_CONCURRENCY_STITCH', 1, 1, 16),
    },
    voiceRatePerSecond: int(env, 'VOICE_RATE_PER_SECOND', 20, 1, 10_000),
    slidePauseSeconds: num(env, 'SLIDE_PAUSE_SECONDS', 0.6, 0, 5),
    workDir: str(env, 'WORK_DIR', tmpdir())!,
    lockDurationMs: int(env, 'WORKER_LOCK_MS', 30_000, 1000, 600_000),
  };
}

export const workerConfig = registerAs('worker', () => parseWorkerConfig(process.env));
