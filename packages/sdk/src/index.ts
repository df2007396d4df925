// @blinked/sdk: the generated functions and types (one function per operationId, from
// openapi.json) and a small hand-written layer on top. See README.md.
export * from './gen/index.js';
export { createClient, createConfig, type Client } from './gen/client/index.js';
export { type BlinkedClient, type BlinkedClientOptions, type BlinkedTokens, createBlinkedClient } from './blinked-client.js';
export { BlinkedApiError, BlinkedVideoError, unwrap } from './errors.js';
export { generateAndWait, type GenerateAndWaitOptions } from './generate-and-wait.js';
export { verifyWebhook, type WebhookEvent, WebhookVerificationError } from './webhooks.js';
