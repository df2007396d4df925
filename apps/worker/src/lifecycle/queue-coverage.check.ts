import { queuesWithoutProcessor } from '../processors/processor-registry.js';

/**
 * Refuses to start a worker that would leave a queue unserved (its jobs would
 * wait forever). Runs before Nest creates anything, so nothing is consumed first
 * and the failure is one line (model: Immich's JobRepository.setup()).
 */
export function assertEveryQueueHasProcessor(processorClasses: readonly object[]): void {
  const missing = queuesWithoutProcessor(processorClasses);
  if (missing.length) {
    throw new Error(`no processor for queue ${missing.map((q) => `"${q}"`).join(', ')}: every queue in ALL_QUEUES needs one in WORKER_PROCESSORS`);
  }
}
