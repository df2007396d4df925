import { DelayedError, type Job } from 'bullmq';
import { type DeliverWebhookJob, QueueName } from '@app/jobs';
import { WebhookStage } from '../stages/webhook.stage.js';
import { PipelineProcessor } from './pipeline-processor.js';
import { QueueProcessor } from './queue-processor.decorator.js';

@QueueProcessor(QueueName.Webhooks)
export class WebhooksProcessor extends PipelineProcessor<DeliverWebhookJob> {
  constructor(private readonly stage: WebhookStage) {
    super();
  }

  /**
   * One attempt. The next one, when there is one, is this same job moved back to delayed
   * until it is due: a receiver's failure spends none of the job's own attempts (those are
   * for our outages, such as the database being down when the attempt is recorded).
   */
  protected async handle(job: Job<DeliverWebhookJob['data']>, token: string | undefined): Promise<void> {
    const { retryAt } = await this.stage.run(job.data.deliveryId);
    if (!retryAt) return;
    if (!token) throw new Error('no lock token: the next attempt cannot be scheduled');
    await job.moveToDelayed(retryAt.getTime(), token);
    throw new DelayedError();
  }
}
