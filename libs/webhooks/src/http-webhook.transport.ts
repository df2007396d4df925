import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ResolvedAddress } from './webhook-url.js';
import { type WebhookAnswer, type WebhookPost, WebhookTransport } from './webhook-transport.js';

export const WEBHOOK_TIMEOUT_MS = 5000;
/** A receiver's answer body is read (and thrown away) up to this much; more is cut off. */
export const MAX_ANSWER_BYTES = 64 * 1024;
const USER_AGENT = 'BlinkEd-Webhooks/1.0 (+https://www.standardwebhooks.com)';

/**
 * Delivers over HTTP(S) with what keeps a hostile or broken receiver harmless:
 * - it connects only to the addresses vetted for this attempt (a lookup function that
 *   answers from them), so DNS that changes after the check is never followed; TLS still
 *   checks the certificate against the URL's host name;
 * - it follows no redirect (Node's client never does): a 3xx is an answer that is not 2xx;
 * - one deadline for the whole exchange (connect, send, answer), 5 s by default;
 * - at most MAX_ANSWER_BYTES of the answer are read;
 * - no connection is kept or reused between deliveries.
 */
export class HttpWebhookTransport extends WebhookTransport {
  constructor(private readonly options: { timeoutMs?: number; maxAnswerBytes?: number } = {}) {
    super();
  }

  post({ target, headers, body }: WebhookPost): Promise<WebhookAnswer> {
    const timeoutMs = this.options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    const maxAnswerBytes = this.options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    const started = performance.now();
    const client = target.url.protocol === 'https:' ? https : http;
    return new Promise((resolve) => {
      let statusCode: number | null = null;
      let settled = false;
      const finish = (error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        request.destroy();
        resolve({ statusCode, error: statusCode === null ? error : null, durationMs: Math.round(performance.now() - started) });
      };
      const request = client.request(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target.addresses),
        agent: false,
      });
      const deadline = setTimeout(() => finish(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
      request.on('response', (answer) => {
        statusCode = answer.statusCode ?? null;
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxAnswerBytes) finish(null);
        });
        answer.on('end', () => finish(null));
        answer.on('close', () => finish(null));
        answer.on('error', () => finish(null));
      });
      request.on('error', (e) => finish(describe(e)));
      request.end(body);
    });
  }
}

/** A lookup that answers only with the vetted addresses (of the family asked for). */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = addresses.filter((a) => !options.family || a.family === options.family);
    if (!usable.length) {
      callback(Object.assign(new Error('no vetted address of that family'), { code: 'ENOTFOUND' }), '', 4);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, usable[0]!.address, usable[0]!.family);
    }
  };
}

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset before an answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
};

/** What a person reads in GET /webhooks/{id}/deliveries for a failure below HTTP. */
function describe(error: Error): string {
  const code = (error as { code?: string }).code ?? '';
  if (BY_CODE[code]) return BY_CODE[code];
  if (/CERT|TLS|SSL/i.test(code)) return `TLS: ${error.message}`;
  return error.message || code || 'request failed';
}
