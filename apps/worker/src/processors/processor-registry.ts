import { ALL_QUEUES, type QueueName } from '@app/jobs';
import type { PipelineProcessor } from './pipeline-processor.js';
import { queueServedBy } from './queue-processor.decorator.js';

/** The queues of ALL_QUEUES that none of these processor classes serves. */
export function queuesWithoutProcessor(processorClasses: readonly object[]): QueueName[] {
  const served = new Set(processorClasses.map((c) => queueServedBy(c)));
  return ALL_QUEUES.filter((q) => !served.has(q));
}

/**
 * The running processors by queue, filled from the processors themselves: what
 * the cancellation listener and the error logger iterate, so adding a queue
 * never means editing them.
 */
export class ProcessorRegistry {
  private readonly byQueue = new Map<QueueName, PipelineProcessor>();

  constructor(processors: readonly PipelineProcessor[]) {
    for (const processor of processors) {
      const queue = queueServedBy(processor.constructor);
      if (!queue) throw new Error(`${processor.constructor.name} is not a @QueueProcessor`);
      if (this.byQueue.has(queue)) throw new Error(`queue "${queue}" has two processors`);
      this.byQueue.set(queue, processor);
    }
  }

  all(): PipelineProcessor[] {
    return [...this.byQueue.values()];
  }
}
