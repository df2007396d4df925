export * from './video.repository.js';
export type { VideoListKey, VideoListQuery, VideoPage } from './video-list.sql.js';
export * from './video-quota.repository.js';
export * from './prompt.repository.js';
export * from './slide.repository.js';
export * from './voiceover.repository.js';
export * from './user.repository.js';
export * from './refresh-token.repository.js';
export * from './database-health.repository.js';
export * from './generation-cache.repository.js';
export * from './webhook-endpoint.repository.js';
export * from './webhook-delivery.repository.js';
export * from './webhook-outbox.repository.js';
export type { WebhookEventSubject } from './webhook-event.sql.js';
export type { IdempotencyClaim, IdempotencyExisting } from './idempotency-key.sql.js';
export * from './unit-of-work.js';
export * from './standalone.js';

import { DatabaseHealthRepository } from './database-health.repository.js';
import { GenerationCacheRepository } from './generation-cache.repository.js';
import { PromptRepository } from './prompt.repository.js';
import { RefreshTokenRepository } from './refresh-token.repository.js';
import { SlideRepository } from './slide.repository.js';
import { UnitOfWork } from './unit-of-work.js';
import { UserRepository } from './user.repository.js';
import { VideoRepository } from './video.repository.js';
import { VideoQuotaRepository } from './video-quota.repository.js';
import { VoiceoverRepository } from './voiceover.repository.js';
import { WebhookDeliveryRepository } from './webhook-delivery.repository.js';
import { WebhookEndpointRepository } from './webhook-endpoint.repository.js';
import { WebhookOutboxRepository } from './webhook-outbox.repository.js';

/** What DbModule provides and exports to both apps. */
export const REPOSITORIES = [
  VideoRepository,
  VideoQuotaRepository,
  PromptRepository,
  SlideRepository,
  VoiceoverRepository,
  UserRepository,
  RefreshTokenRepository,
  DatabaseHealthRepository,
  GenerationCacheRepository,
  WebhookEndpointRepository,
  WebhookDeliveryRepository,
  WebhookOutboxRepository,
  UnitOfWork,
];
export * from './video-changes.js';
