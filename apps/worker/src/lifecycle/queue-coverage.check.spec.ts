import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { type CancellationBus, QueueName } from '@app/jobs';
import { PipelineProcessor } from '../processors/pipeline-processor.js';
import { ProcessorRegistry } from '../processors/processor-registry.js';
import { QueueProcessor } from '../processors/queue-processor.decorator.js';
import { JobCancellation } from './job-cancellation.service.js';
import { assertEveryQueueHasProcessor } from './queue-coverage.check.js';

/** A processor whose jobs wait until released, over a fake BullMQ worker that records cancellations. */
abstract class FakeProcessor extends PipelineProcessor {
  readonly cancelled: string[] = [];
  private readonly waiting: (() => void)[] = [];
  constructor() {
    super();
    (this as unknown as { _worker: unknown })._worker = {
      cancelJob: (id: string) => (this.cancelled.push(id), true),
    };
  }
  protected handle(): Promise<unknown> {
    return new Promise((r) => this.waiting.push(() => r('done')));
  }
  finishAll(): void {
    this.waiting.splice(0).forEach((release) => release());
  }
}

@QueueProcessor(QueueName.Slides)
class Slides extends FakeProcessor {}
@QueueProcessor(QueueName.Voice)
class Voice extends FakeProcessor {}
@QueueProcessor(QueueName.Stitch)
class Stitch extends FakeProcessor {}
@QueueProcessor(QueueName.Webhooks)
class Webhooks extends FakeProcessor {}

const job = (id: string, data: object) => ({ id, data }) as unknown as Job;

describe('the worker start-up check', () => {
  it('passes when every queue has a processor', () => {
    expect(() => assertEveryQueueHasProcessor([Slides, Voice, Stitch, Webhooks])).not.toThrow();
  });

  it('refuses, in one line, a worker with a queue nobody serves', () => {
    expect(() => assertEveryQueueHasProcessor([Slides, Stitch, Webhooks])).toThrow(
      'no processor for queue "voice": every queue in ALL_QUEUES needs one in WORKER_PROCESSORS',
    );
    expect(() => assertEveryQueueHasProcessor([class NotAProcessor {}])).toThrow('no processor for queue "slides", "voice", "stitch", "webhooks"');
  });

  it('passes for the real worker', async () => {
    const { WORKER_PROCESSORS } = await import('../worker.module.js');
    expect(() => assertEveryQueueHasProcessor(WORKER_PROCESSORS)).not.toThrow();
  });

  it('keeps a queue to one processor', () => {
    expect(() => new ProcessorRegistry([new Voice(), new Voice()])).toThrow('queue "voice" has two processors');
  });
});

describe('cancelling a deleted video', () => {
  // The cancellation logs what it aborted; this spec checks the ids instead.
  beforeAll(() => Logger.overrideLogger(false));

  it("aborts exactly that video's running jobs, in every queue, through the registry", async () => {
    const [slides, voice, stitch, webhooks] = [new Slides(), new Voice(), new Stitch(), new Webhooks()];
    const cancellation = new JobCancellation({} as CancellationBus, new ProcessorRegistry([slides, voice, stitch, webhooks]));
    const running = [
      // The delivery of the video's own "cancelled" event must go on.
      webhooks.process(job('webhook-d1', { deliveryId: 'd1' })),
      voice.process(job('voice-a-7', { videoId: 'a', slideNumber: 7 })),
      voice.process(job('voice-a-20', { videoId: 'a', slideNumber: 20 })),
      voice.process(job('voice-b-1', { videoId: 'b', slideNumber: 1 })),
      slides.process(job('slides-a', { videoId: 'a' })),
    ];
    cancellation.cancel('a');
    expect(voice.cancelled.sort()).toEqual(['voice-a-20', 'voice-a-7']);
    expect(slides.cancelled).toEqual(['slides-a']);
    expect(stitch.cancelled).toEqual([]);
    expect(webhooks.cancelled).toEqual([]);

    [slides, voice, webhooks].forEach((p) => p.finishAll());
    expect(await Promise.all(running)).toEqual(['done', 'done', 'done', 'done', 'done']);
    // Finished jobs are forgotten: a later delete finds nothing to abort.
    cancellation.cancel('a');
    expect(voice.cancelled).toHaveLength(2);
  });
});
