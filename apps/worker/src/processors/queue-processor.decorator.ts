import { Processor } from '@nestjs/bullmq';
import type { QueueName } from '@app/jobs';
import { processorOptions } from './processor-options.js';

const QUEUE = Symbol('blinked:queue');

/**
 * Marks a class as the processor of one queue, with that queue's worker options;
 * the queue it serves is recorded once, here, for the start-up check and the registry.
 */
export function QueueProcessor(queue: QueueName): ClassDecorator {
  return (target) => {
    Processor(queue, processorOptions(queue))(target);
    Reflect.defineMetadata(QUEUE, queue, target);
  };
}

/** The queue a class serves, or undefined when it is not a @QueueProcessor. */
export function queueServedBy(target: object): QueueName | undefined {
  return Reflect.getMetadata(QUEUE, target) as QueueName | undefined;
}
