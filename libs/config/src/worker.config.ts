import { tmpdir } from 'node:os';
import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, num, str } from './env.parsers.js';

export interface WorkerConfig {
  /** Jobs one worker process runs at once, per queue. Scale further by adding processes. */
  concurrency: { slides: number; voice: number; stitch: number; webhooks: number };
  /** At most this many voice jobs start per second across all workers (protects the TTS quota). */
  voiceRatePerSecond: number;
  /** Silence after each slide's narration, in seconds. */
  slidePauseSeconds: number;
  /**
   * Scratch space: each job works in its own folder here, removed when the job ends;
   * a worker removes the folders of dead processes at start. Must be local to the host.
   */
  workDir: string;
  /**
   * How long a job's lock lives without renewal. A worker that dies (SIGKILL,
   * OOM, lost machine) stops renewing; after about this long another worker
   * takes its job over. BullMQ renews it at half its duration, so a long ffmpeg run
   * keeps it as long as the event loop is not blocked; the stalled check runs at
   * half of it too, so a dead worker's job resumes 1 to 1.5 lock durations later.
   */
  lockDurationMs: number;
  /**
   * Retries of a job hit by an outage of our own infrastructure (database, Redis,
   * storage unreachable): they wait with their own exponential backoff, from
   * `baseMs` up to `capMs`, and spend no attempt, for at most `maxSeconds` in all.
   */
  infraRetry: InfraRetryConfig;
  /** After SIGTERM, how long running jobs get to finish before the worker is force-closed and exits 1. */
  shutdownGraceMs: number;
  /** Recovery of videos whose jobs Redis lost (a restart without persistence). */
  reconcile: ReconcileConfig;
  /** Port of the worker's HTTP listener (/health, /health/ready, /metrics): what probes and Prometheus reach. */
  httpPort: number;
}

export interface InfraRetryConfig {
  baseMs: number;
  capMs: number;
  maxSeconds: number;
}

export interface ReconcileConfig {
  /** How often one of the workers looks for videos without jobs. */
  intervalSeconds: number;
  /** A video must have made no progress for this long before it counts as lost. */
  staleSeconds: number;
  /** Re-enqueues per video; one more loss fails it. */
  maxRestarts: number;
}

export function parseWorkerConfig(env: Env): WorkerConfig {
  return {
    concurrency: {
      slides: int(env, 'WORKER_CONCURRENCY_SLIDES', 2, 1, 64),
      voice: int(env, 'WORKER_CONCURRENCY_VOICE', 4, 1, 256),
      // ffmpeg already uses every core: one stitch per process.
      stitch: int(env, 'WORKER_CONCURRENCY_STITCH', 1, 1, 16),
      // Deliveries mostly wait on receivers (5 s at most each): many at once, and a slow
      // receiver holds only one of these slots, never a video's.
      webhooks: int(env, 'WORKER_CONCURRENCY_WEBHOOKS', 10, 1, 256),
    },
    voiceRatePerSecond: int(env, 'VOICE_RATE_PER_SECOND', 20, 1, 10_000),
    slidePauseSeconds: num(env, 'SLIDE_PAUSE_SECONDS', 0.6, 0, 5),
    workDir: str(env, 'WORK_DIR', tmpdir())!,
    lockDurationMs: int(env, 'WORKER_LOCK_MS', 10_000, 1000, 600_000),
    infraRetry: parseInfraRetry(env),
    shutdownGraceMs: int(env, 'WORKER_SHUTDOWN_GRACE_MS', 30_000, 100, 3_600_000),
    reconcile: {
      intervalSeconds: int(env, 'RECONCILE_INTERVAL_SECONDS', 60, 1, 86_400),
      staleSeconds: int(env, 'RECONCILE_STALE_SECONDS', 300, 1, 7 * 86_400),
      maxRestarts: int(env, 'RECONCILE_MAX_RESTARTS', 3, 0, 100),
    },
    // 0 picks a free port (tests, several workers on one host); the bound one is logged.
    httpPort: int(env, 'WORKER_HTTP_PORT', 9464, 0, 65535),
  };
}

function parseInfraRetry(env: Env): InfraRetryConfig {
  const baseMs = int(env, 'INFRA_RETRY_BASE_MS', 1000, 10, 600_000);
  const capMs = int(env, 'INFRA_RETRY_CAP_MS', 30_000, 10, 3_600_000);
  if (capMs < baseMs) throw new ConfigError(`INFRA_RETRY_CAP_MS (${capMs}) must not be below INFRA_RETRY_BASE_MS (${baseMs})`);
  return { baseMs, capMs, maxSeconds: int(env, 'INFRA_RETRY_MAX_SECONDS', 900, 1, 7 * 86_400) };
}

export const workerConfig = registerAs('worker', () => parseWorkerConfig(process.env));
