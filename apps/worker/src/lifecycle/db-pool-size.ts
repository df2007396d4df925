import type { WorkerConfig } from '@app/config';

/** Connections beyond one per job: cancellation checks and throttled progress writes that overlap a running job. */
export const POOL_MARGIN = 4;

/**
 * Webhook deliveries hold a connection only for their few short reads and writes, never
 * while they wait on a receiver, so however many run at once they share these (and the
 * outbox relay's poll uses one of them too).
 */
export const WEBHOOK_CONNECTIONS = 2;

/**
 * The worker's database pool follows its concurrency: every running job may hold
 * a connection at once (a voice or deck job holds one for the whole provider call,
 * under the generation cache's advisory lock), and a pool smaller than that makes
 * jobs queue for connections while their locks and timeouts run.
 */
export function workerPoolSize(concurrency: WorkerConfig['concurrency']): number {
  return concurrency.slides + concurrency.voice + concurrency.stitch + WEBHOOK_CONNECTIONS + POOL_MARGIN;
}
