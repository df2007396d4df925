import { QueueName } from '@app/jobs';

/** What a user reads in a failed video's `error`: the step, by queue ("Voicing slide 3 failed: …"). */
export function stageLabel(queue: string, data: unknown): string {
  switch (queue as QueueName) {
    case QueueName.Slides:
      return 'Writing the slides';
    case QueueName.Voice:
      return `Voicing slide ${(data as { slideNumber?: number } | undefined)?.slideNumber ?? '?'}`;
    case QueueName.Stitch:
      return 'Encoding the video';
    default:
      return `The ${queue} step`;
  }
}

/** The `stage` label of the metrics: the step's word in "Names of each step" (deck, voice, stitch). */
export function stageName(queue: string): string {
  switch (queue as QueueName) {
    case QueueName.Slides:
      return 'deck';
    case QueueName.Voice:
      return 'voice';
    case QueueName.Stitch:
      return 'stitch';
    default:
      return queue;
  }
}
