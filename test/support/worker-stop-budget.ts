import { DECK_LIMITS } from '@app/ai';
import { type Env, parseLlmConfig, parseWorkerConfig } from '@app/config';
import { FORCE_CLOSE_MS } from '../../apps/worker/src/lifecycle/worker-shutdown.service.js';

/**
 * How long a stopping worker may need, for the deployment files (compose's
 * stop_grace_period, Kubernetes' terminationGracePeriodSeconds) to give it. On SIGTERM a
 * worker lets its running jobs finish for WORKER_SHUTDOWN_GRACE_MS, then force-closes
 * within FORCE_CLOSE_MS and exits; a platform that kills it sooner loses the job in
 * progress (it runs again elsewhere from the start, a lock duration later). So the grace
 * must cover the longest job, and the platform's timeout the grace.
 */

/**
 * The slowest narration, in characters per second. espeak-ng at its slowest (80 wpm, what
 * TTS_SPEAKING_RATE 0.25 gives it) speaks 1,500 characters in 150 s: 10 per second,
 * measured. Google TTS at rate 0.25 is a quarter of normal speech (~15 per second, what
 * espeak-ng's 175 wpm measures): 3.75, the slower of the two.
 */
const SLOWEST_NARRATION_CHARS_PER_SECOND = 3.75;
/** docs/ARCHITECTURE.md, "Rendering": the stitch runs at 66× real time idle, 35–60× under load; the low end. */
const SLOWEST_STITCH_TIMES_REALTIME = 35;
/** Downloads and upload around ffmpeg, a slower host than the measured one: twice the estimate. */
const SAFETY_FACTOR = 2;

export interface WorkerStopBudget {
  /** WORKER_SHUTDOWN_GRACE_MS as the worker reads it from this environment (its default when unset). */
  graceMs: number;
  /** After the grace, the forced close. */
  forceCloseMs: number;
  /** The longest stitch: the longest deck (most slides, longest narration, slowest voice) at the slowest measured speed. */
  longestStitchMs: number;
  /** The longest single provider request a running deck or voice job may be waiting on. */
  providerRequestMs: number;
}

export function workerStopBudget(env: Env): WorkerStopBudget {
  const worker = parseWorkerConfig(env);
  const slideSeconds = DECK_LIMITS.narrationMaxChars / SLOWEST_NARRATION_CHARS_PER_SECOND + worker.slidePauseSeconds;
  const videoSeconds = DECK_LIMITS.maxSlides * slideSeconds;
  return {
    graceMs: worker.shutdownGraceMs,
    forceCloseMs: FORCE_CLOSE_MS,
    longestStitchMs: Math.ceil((videoSeconds / SLOWEST_STITCH_TIMES_REALTIME) * SAFETY_FACTOR * 1000),
    providerRequestMs: parseLlmConfig(env).requestTimeoutMs,
  };
}
