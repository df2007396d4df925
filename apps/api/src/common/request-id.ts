import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Fastify's genReqId: an incoming X-Request-Id is kept (a proxy or client that made
 * one can find our lines by it) when it is printable ASCII of at most 200 characters;
 * anything else (empty, control characters, a megabyte) is replaced by a fresh UUID.
 */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value !== undefined && /^[\x20-\x7e]{1,200}$/.test(value) ? value : randomUUID();
}
