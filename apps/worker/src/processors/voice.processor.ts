import { InjectQueue } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type VoiceSlideJob } from '@app/jobs';
import { stageLabel } from '../stages/stage-label.js';
import { StageRunner } from '../stages/stage-runner.service.js';
import { VoiceStage } from '../stages/voice.stage.js';
import { PipelineProcessor } from './pipeline-processor.js';
import { QueueProcessor } from './queue-processor.decorator.js';

@QueueProcessor(QueueName.Voice)
export class VoiceProcessor extends PipelineProcessor<VoiceSlideJob> {
  constructor(
    private readonly stage: VoiceStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Voice) private readonly queue: Queue,
  ) {
    super();
  }

  protected handle(job: Job<VoiceSlideJob['data']>, token: string | undefined, signal?: AbortSignal) {
    const { videoId, slideNumber } = job.data;
    return this.runner.run(job, this.queue, stageLabel(job.queueName, job.data), videoId, () => this.stage.run(videoId, slideNumber, signal), token);
  }
}
