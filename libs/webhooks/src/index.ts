export * from './address-kind.js';
export * from './webhook-url.js';
export * from './retry-schedule.js';
export * from './webhook-signature.js';
export * from './webhook-secret.js';
export * from './webhook-transport.js';
export * from './http-webhook.transport.js';
export * from './webhooks.module.js';
