import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type WriteDeckJob } from '@app/jobs';
import { DeckStage } from '../stages/deck.stage.js';
import { processorOptions } from './processor-options.js';
import { StageRunner } from '../stages/stage-runner.service.js';

@Processor(QueueName.Slides, processorOptions(QueueName.Slides))
export class SlidesProcessor extends WorkerHost {
  constructor(
    private readonly stage: DeckStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Slides) private readonly queue: Queue,
  ) {
    super();
  }

  process(job: Job<WriteDeckJob['data']>, _token?: string, signal?: AbortSignal) {
    const { videoId } = job.data;
    return this.runner.run(job, this.queue, 'Writing the slides', videoId, () => this.stage.run(videoId, signal));
  }
}
