import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the signature is
 * `v1,` + base64 of HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", keyed with
 * the base64-decoded part of the `whsec_` secret. Receivers check it with any Standard
 * Webhooks library, and reject an old timestamp (replays).
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

export type WebhookSignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export function signatureOf(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The three headers of one delivery attempt; the timestamp is the attempt's, so a retry is signed afresh. */
export function signatureHeaders(secret: string, messageId: string, body: string, now: Date = new Date()): WebhookSignatureHeaders {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureOf(secret, messageId, timestamp, body),
  };
}
