import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { WebhooksConfig } from '@app/config';
import { DEFAULT_EVENTS, type WebhookDeliveryView, WebhookDeliveryRepository, type WebhookEndpoint, WebhookEndpointRepository } from '@app/db';
import { newWebhookSecret, parseWebhookUrl, type Resolver, vetWebhookUrl, WEBHOOK_RESOLVER, WebhookSecretBox, WebhookUrlRefused } from '@app/webhooks';
import type {
  CreatedWebhookDto,
  CreateWebhookDto,
  WebhookDeliveriesQueryDto,
  WebhookDeliveryDto,
  WebhookDeliveryListDto,
  WebhookDto,
  WebhookListDto,
} from './webhook.dto.js';

/** Endpoints per user: enough for a few systems and environments, few enough that one video's events stay cheap. */
export const MAX_ENDPOINTS = 10;

@Injectable()
export class WebhooksService {
  private readonly rules: WebhooksConfig;

  constructor(
    private readonly endpoints: WebhookEndpointRepository,
    private readonly deliveryRows: WebhookDeliveryRepository,
    private readonly secrets: WebhookSecretBox,
    @Inject(WEBHOOK_RESOLVER) private readonly resolver: Resolver,
    config: ConfigService,
  ) {
    this.rules = config.getOrThrow<WebhooksConfig>('webhooks');
  }

  /**
   * The URL is refused (400) when its form or any address its host resolves to breaks the
   * rules; the same check runs again at every delivery. The secret is returned this once
   * and stored only encrypted.
   */
  async create(userId: string, dto: CreateWebhookDto): Promise<CreatedWebhookDto> {
    const url = await this.vet(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const outcome = await this.endpoints.createWithinLimit(
      userId,
      { id, url: url.href, description: dto.description ?? '', events: dto.events ?? [...DEFAULT_EVENTS], secretSealed: this.secrets.seal(secret, id) },
      MAX_ENDPOINTS,
    );
    if ('refused' in outcome) {
      throw new ConflictException(`You already have ${outcome.count} webhook endpoints, the most allowed (${MAX_ENDPOINTS}); delete one first`);
    }
    return { ...toWebhookDto(outcome.created), secret };
  }

  async list(userId: string): Promise<WebhookListDto> {
    const items = (await this.endpoints.listForUser(userId)).map(toWebhookDto);
    return { items, total: items.length };
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.endpoints.deleteOwned(userId, id))) throw notFound();
  }

  async deliveries(userId: string, id: string, query: WebhookDeliveriesQueryDto): Promise<WebhookDeliveryListDto> {
    if (!(await this.endpoints.findOwned(userId, id))) throw notFound();
    const { items, total } = await this.deliveryRows.listForEndpoint(id, { page: query.page, limit: query.limit });
    return { items: items.map(toDeliveryDto), total, page: query.page, limit: query.limit };
  }

  /** Queues a webhook.test event for the endpoint, enabled or disabled (a delivered one enables it again). */
  async test(userId: string, id: string): Promise<WebhookDeliveryDto> {
    const data = { webhookId: id, message: 'A test event from BlinkEd, sent on request (POST /api/v1/webhooks/{id}/test)' };
    const deliveryId = await this.deliveryRows.createTest(userId, id, data);
    if (!deliveryId) throw notFound();
    return toDeliveryDto((await this.deliveryRows.findView(deliveryId))!);
  }

  private async vet(raw: string): Promise<URL> {
    try {
      const url = parseWebhookUrl(raw, this.rules);
      await vetWebhookUrl(url, this.rules, this.resolver);
      return url;
    } catch (e) {
      if (e instanceof WebhookUrlRefused) throw new BadRequestException(e.message);
      throw e;
    }
  }
}

// Another user's endpoint answers exactly like a missing one.
const notFound = () => new NotFoundException('Webhook not found');

function toWebhookDto(e: WebhookEndpoint): WebhookDto {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    events: e.events,
    enabled: e.disabledAt === null,
    disabledAt: e.disabledAt,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

function toDeliveryDto(d: WebhookDeliveryView): WebhookDeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.type,
    videoId: d.videoId,
    status: d.status,
    nextRetryAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    finishedAt: d.finishedAt,
    attempts: d.attempts,
  };
}
