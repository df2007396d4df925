import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type StitchVideoJob } from '@app/jobs';
import { stageLabel } from '../stages/stage-label.js';
import { StageRunner } from '../stages/stage-runner.service.js';
import { StitchStage } from '../stages/stitch.stage.js';
import { PipelineProcessor } from './pipeline-processor.js';
import { QueueProcessor } from './queue-processor.decorator.js';

@QueueProcessor(QueueName.Stitch)
export class StitchProcessor extends PipelineProcessor<StitchVideoJob> {
  constructor(
    private readonly stage: StitchStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Stitch) private readonly queue: Queue,
  ) {
    super();
  }

  protected handle(job: Job<StitchVideoJob['data']>, token: string | undefined, signal?: AbortSignal) {
    const { videoId } = job.data;
    return this.runner.run(job, this.queue, stageLabel(job.queueName, job.data), videoId, () => this.stage.run(videoId, signal), token);
  }
}
