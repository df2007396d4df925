import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthConfig, WebhooksConfig } from '@app/config';
import { HttpWebhookTransport } from './http-webhook.transport.js';
import { WebhookSecretBox } from './webhook-secret.js';
import { WebhookTransport } from './webhook-transport.js';
import { type Resolver, systemResolver } from './webhook-url.js';

/** The resolver URLs are vetted with (the system's; a spec may give a table of its own). */
export const WEBHOOK_RESOLVER = Symbol('WEBHOOK_RESOLVER');

/**
 * What both apps need to handle endpoints: the secret box (keyed from SECRET_KEY: the api
 * seals, the worker opens), the resolver the URL rules are checked with, and the transport
 * deliveries go out through (only the worker uses it).
 */
@Module({
  providers: [
    {
      provide: WebhookSecretBox,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new WebhookSecretBox(config.getOrThrow<AuthConfig>('auth').secretKey),
    },
    {
      provide: WebhookTransport,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new HttpWebhookTransport({ timeoutMs: config.getOrThrow<WebhooksConfig>('webhooks').timeoutMs }),
    },
    { provide: WEBHOOK_RESOLVER, useValue: systemResolver satisfies Resolver },
  ],
  exports: [WebhookSecretBox, WebhookTransport, WEBHOOK_RESOLVER],
})
export class WebhooksModule {}
