import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type WriteDeckJob } from '@app/jobs';
import { DeckStage } from '../stages/deck.stage.js';
import { stageLabel } from '../stages/stage-label.js';
import { StageRunner } from '../stages/stage-runner.service.js';
import { PipelineProcessor } from './pipeline-processor.js';
import { QueueProcessor } from './queue-processor.decorator.js';

@QueueProcessor(QueueName.Slides)
export class SlidesProcessor extends PipelineProcessor<WriteDeckJob> {
  constructor(
    private readonly stage: DeckStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Slides) private readonly queue: Queue,
  ) {
    super();
  }

  protected handle(job: Job<WriteDeckJob['data']>, token: string | undefined, signal?: AbortSignal) {
    const { videoId } = job.data;
    return this.runner.run(job, this.queue, stageLabel(job.queueName, job.data), videoId, () => this.stage.run(videoId, signal), token);
  }
}
