import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { QueueName, type StitchVideoJob } from '@app/jobs';
import { processorOptions } from './processor-options.js';
import { StageRunner } from '../stages/stage-runner.service.js';
import { StitchStage } from '../stages/stitch.stage.js';

@Processor(QueueName.Stitch, processorOptions(QueueName.Stitch))
export class StitchProcessor extends WorkerHost {
  constructor(
    private readonly stage: StitchStage,
    private readonly runner: StageRunner,
    @InjectQueue(QueueName.Stitch) private readonly queue: Queue,
  ) {
    super();
  }

  process(job: Job<StitchVideoJob['data']>, _token?: string, signal?: AbortSignal) {
    const { videoId } = job.data;
    return this.runner.run(job, this.queue, 'Encoding the video', videoId, () => this.stage.run(videoId, signal));
  }
}
