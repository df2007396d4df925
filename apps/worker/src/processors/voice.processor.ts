import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type VoiceSlideJob } from '@app/jobs';
import { processorOptions } from './processor-options.js';
import { StageRunner } from '../stages/stage-runner.service.js';
import { VoiceStage } from '../stages/voice.stage.js';

@Processor(QueueName.Voice, processorOptions(QueueName.Voice))
export class VoiceProcessor extends WorkerHost {
  constructor(
    private readonly stage: VoiceStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Voice) private readonly queue: Queue,
  ) {
    super();
  }

  process(job: Job<VoiceSlideJob['data']>, _token?: string, signal?: AbortSignal) {
    const { videoId, slideNumber } = job.data;
    return this.runner.run(job, this.queue, `Voicing slide ${slideNumber}`, videoId, () => this.stage.run(videoId, slideNumber, signal));
  }
}
