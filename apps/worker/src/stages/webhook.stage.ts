import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkerMetrics } from '@app/observability';
import { ConfigService } from '@nestjs/config';
import { SignedUrlService } from '@app/auth';
import { toVideoResource } from '@app/common';
import type { WebhooksConfig } from '@app/config';
import { type DeliveryWork, type DisablePolicy, WebhookDeliveryRepository, type WebhookEventSubject, WebhookEventType } from '@app/db';
import {
  parseWebhookUrl,
  type Resolver,
  retryDelayMs,
  signatureHeaders,
  vetWebhookUrl,
  WEBHOOK_RESOLVER,
  type WebhookAnswer,
  WebhookSecretBox,
  WebhookSecretUnreadable,
  WebhookTransport,
  WebhookUrlRefused,
} from '@app/webhooks';

/** A job may run a little before its attempt is due by the clock that set it (another host's). */
const EARLY_TOLERANCE_MS = 5000;

/** When the job is to run again (the delivery's next attempt); nothing when the delivery is finished. */
export interface DeliveryStep {
  retryAt?: Date;
}

/**
 * One attempt at one webhook delivery: the event body (for a video event, the video
 * resource as it was at the event, mapped as GET /videos/{id} maps it, with media links
 * signed now for its owner), signed the Standard Webhooks way, POSTed to the endpoint's URL
 * after its host is vetted again (DNS can change since registration), and the outcome
 * recorded: 2xx delivers it; anything else is tried again on the retry schedule, and
 * failed for good after the last attempt. An endpoint whose deliveries keep failing for
 * WEBHOOK_DISABLE_AFTER_HOURS is disabled; its pending deliveries are then closed unsent,
 * except test events, which are how its owner checks a fix (a delivered one enables it).
 */
@Injectable()
export class WebhookStage {
  private readonly logger = new Logger(WebhookStage.name);
  private readonly config: WebhooksConfig;
  private readonly policy: DisablePolicy;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly signer: SignedUrlService,
    private readonly secrets: WebhookSecretBox,
    private readonly transport: WebhookTransport,
    @Inject(WEBHOOK_RESOLVER) private readonly resolver: Resolver,
    private readonly metrics: WorkerMetrics,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<WebhooksConfig>('webhooks');
    const hours = this.config.disableAfterHours;
    this.policy = {
      afterSeconds: Math.round(hours * 3600),
      reason: (since) =>
        `Disabled because every delivery attempt since ${since.toISOString()} failed (for more than ${hours} hours). ` +
        'Fix the receiver, then send a test event (POST /webhooks/{id}/test): once it is delivered, the endpoint is enabled again.',
    };
  }

  async run(deliveryId: string): Promise<DeliveryStep> {
    const work = await this.deliveries.findWork(deliveryId);
    // Gone with its endpoint or account, or finished by an earlier run of this job.
    if (!work || work.status !== 'pending') return {};
    if (work.nextAttemptAt.getTime() - Date.now() > EARLY_TOLERANCE_MS) return { retryAt: work.nextAttemptAt };

    const unsent = work.endpoint.disabled && work.event.type !== WebhookEventType.Test;
    const { answer, refused } = unsent
      ? { answer: { statusCode: null, error: 'not sent: the endpoint is disabled', durationMs: 0 }, refused: true }
      : await this.send(work);
    const delivered = answer.statusCode !== null && answer.statusCode >= 200 && answer.statusCode < 300;
    const attempt = work.attempts + 1;
    const delay = delivered || unsent ? undefined : retryDelayMs(attempt, this.config.retryBaseMs);
    const retryAt = delay === undefined ? null : new Date(Date.now() + delay);

    const change = await this.deliveries.recordAttempt(deliveryId, { ...answer, delivered, retryAt, countsForEndpoint: !unsent }, this.policy);
    const what = `webhook ${work.event.type} (delivery ${deliveryId}, attempt ${attempt})`;
    const result = answer.statusCode === null ? answer.error : `HTTP ${answer.statusCode}`;
    if (delivered) this.logger.debug(`${what}: delivered in ${answer.durationMs} ms`);
    else if (retryAt) this.logger.debug(`${what}: ${result}; next attempt at ${retryAt.toISOString()}`);
    else this.logger.warn(`${what}: ${result}; not delivered, no attempt left`);
    if (change === 'disabled')
      this.logger.warn(`webhook endpoint ${work.endpoint.id} disabled: its deliveries failed for ${this.config.disableAfterHours} h`);
    if (change === 'enabled') this.logger.log(`webhook endpoint ${work.endpoint.id} enabled again: a delivery went through`);
    this.metrics.webhookDelivery(delivered ? 'delivered' : refused ? 'refused' : retryAt ? 'retrying' : 'failed');
    return retryAt ? { retryAt } : {};
  }

  /** Vets, signs and posts; a URL refused now or a secret that cannot be read is a failed attempt like any other. */
  private async send(work: DeliveryWork): Promise<{ answer: WebhookAnswer; refused: boolean }> {
    try {
      const url = parseWebhookUrl(work.endpoint.url, this.config);
      const target = await vetWebhookUrl(url, this.config, this.resolver);
      const secret = this.secrets.open(work.endpoint.secretSealed, work.endpoint.id);
      const body = JSON.stringify({
        type: work.event.type,
        timestamp: work.event.createdAt.toISOString(),
        data: this.dataOf(work.event.subject, work.endpoint.userId),
      });
      // The event's id: the same for every attempt and every endpoint, so receivers can drop repeats.
      return { answer: await this.transport.post({ target, headers: signatureHeaders(secret, work.event.id, body), body }), refused: false };
    } catch (e) {
      if (e instanceof WebhookUrlRefused || e instanceof WebhookSecretUnreadable)
        return { answer: { statusCode: null, error: `not sent: ${e.message}`, durationMs: 0 }, refused: true };
      throw e;
    }
  }

  private dataOf(subject: WebhookEventSubject, ownerId: string): unknown {
    return subject.kind === 'video' ? toVideoResource(subject.video, subject.prompt, (path) => this.signer.sign(path, ownerId)) : subject.data;
  }
}
