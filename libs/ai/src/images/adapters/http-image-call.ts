import { classifyHttpFailure, classifyRequestError } from '../../errors/http-failure.js';
import { ProviderError } from '../../errors/provider.error.js';

/** One HTTP exchange of an image adapter (OpenAI, Pexels): the deadline, the abort and the error mapping. */
export interface HttpImageCall {
  label: string;
  url: string;
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string };
  timeoutMs: number;
  signal?: AbortSignal;
  /** Values never to show in an error (the API key). */
  secrets: readonly (string | undefined)[];
  /** The key's variable, named when the key is rejected. */
  keyVariable?: string;
  /** Bodies longer than this are cut off unread: an image or search reply is never this big. */
  maxBytes: number;
}

/**
 * Sends one request and reads the whole body as bytes, as the OpenAI slide writer does
 * (plain fetch, one deadline for headers and body): a non-2xx becomes a classified
 * ProviderError (429 with its Retry-After, 5xx transient, 4xx permanent), a throw before
 * the status (reset, refused, timeout, cancellation) too.
 */
export async function httpImageCall(call: HttpImageCall): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const { label, secrets } = call;
  const deadline = AbortSignal.timeout(call.timeoutMs);
  const signal = call.signal ? AbortSignal.any([call.signal, deadline]) : deadline;
  let response: Response;
  let body: Buffer;
  try {
    response = await fetch(call.url, { ...call.init, signal });
    body = await readCapped(response, call.maxBytes);
  } catch (error) {
    throw classifyRequestError(label, error, {
      cancelled: call.signal?.aborted,
      timedOut: deadline.aborted,
      timeoutMs: call.timeoutMs,
      secrets,
    });
  }
  if (!response.ok) {
    throw classifyHttpFailure(label, response.status, body.toString('utf8'), retryAfter(response.headers), {
      keyVariable: call.keyVariable,
      secrets,
    });
  }
  if (body.length > call.maxBytes) {
    throw new ProviderError(label, 'permanent', `sent a reply of more than the ${call.maxBytes} bytes allowed`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** Reads at most `maxBytes` + 1 bytes, so a huge or endless body cannot fill the memory. */
async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks);
}

/**
 * OpenAI sends `retry-after-ms` next to the standard `retry-after`; Pexels sends neither
 * on a spent quota but `X-Ratelimit-Reset` (Unix seconds), turned into a delay here.
 */
function retryAfter(headers: Headers, now = Date.now()): string | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return String(ms / 1000);
  const standard = headers.get('retry-after');
  if (standard !== null) return standard;
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset) && reset > 0) {
    return String(Math.max(0, Math.ceil(reset - now / 1000)));
  }
  return null;
}
