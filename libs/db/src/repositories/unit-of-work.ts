import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PromptRepository } from './prompt.repository.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { SlideRepository } from './slide.repository.js';
import { UserRepository } from './user.repository.js';
import { VideoRepository } from './video.repository.js';
import { VideoQuotaRepository } from './video-quota.repository.js';
import { VoiceoverRepository } from './voiceover.repository.js';
import { WebhookDeliveryRepository } from './webhook-delivery.repository.js';
import { WebhookEndpointRepository } from './webhook-endpoint.repository.js';
import { WebhookOutboxRepository } from './webhook-outbox.repository.js';

/** Every repository, bound to one EntityManager (the pool's, or a transaction's). */
export interface Repositories {
  videos: VideoRepository;
  videoQuotas: VideoQuotaRepository;
  prompts: PromptRepository;
  slides: SlideRepository;
  voiceovers: VoiceoverRepository;
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  webhookEndpoints: WebhookEndpointRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  webhookOutbox: WebhookOutboxRepository;
}

export function repositoriesFor(manager: EntityManager): Repositories {
  return {
    videos: new VideoRepository(manager),
    videoQuotas: new VideoQuotaRepository(manager),
    prompts: new PromptRepository(manager),
    slides: new SlideRepository(manager),
    voiceovers: new VoiceoverRepository(manager),
    users: new UserRepository(manager),
    refreshTokens: new RefreshTokenRepository(manager),
    webhookEndpoints: new WebhookEndpointRepository(manager),
    webhookDeliveries: new WebhookDeliveryRepository(manager),
    webhookOutbox: new WebhookOutboxRepository(manager),
  };
}

/**
 * For a business rule that spans statements (refresh-token rotation): `work` gets
 * repositories bound to one transaction, committed when it returns and rolled
 * back when it throws. Services keep the rule; the SQL stays in the repositories.
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly manager: EntityManager) {}

  run<T>(work: (repositories: Repositories) => Promise<T>): Promise<T> {
    return this.manager.transaction((em) => work(repositoriesFor(em)));
  }
}
