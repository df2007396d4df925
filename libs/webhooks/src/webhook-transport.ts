import type { VettedUrl } from './webhook-url.js';

/** One POST of one delivery attempt to a URL that was vetted just before. */
export interface WebhookPost {
  target: VettedUrl;
  headers: Record<string, string>;
  body: string;
}

/** What came back: the receiver's status code, or what went wrong before it answered. Never thrown. */
export interface WebhookAnswer {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The port deliveries go through (HttpWebhookTransport in production; specs may give their own). */
export abstract class WebhookTransport {
  abstract post(request: WebhookPost): Promise<WebhookAnswer>;
}
