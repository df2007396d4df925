import { ProviderError } from './provider.error.js';
import { oneLine, redactSecrets } from './redact.js';

/**
 * Turns a failed HTTP call to an AI provider into a ProviderError the queue can act on.
 * Generic on purpose: it reads both Google's error envelope
 * (`{error: {code, status, message, details: [google.rpc.RetryInfo, ErrorInfo…]}}`)
 * and the OpenAI one (`{error: {message, type, code}}` or Ollama's `{error: "…"}`).
 */
export interface HttpFailureOptions {
  /** The variable holding the key, named in the credentials message, e.g. GOOGLE_GEMINI_API_KEY. */
  keyVariable?: string;
  /** Values that must never reach a message or a cause (API keys). */
  secrets?: readonly (string | undefined)[];
  cause?: unknown;
}

export function classifyHttpFailure(
  provider: string,
  status: number | undefined,
  body: unknown,
  retryAfterHeader?: string | null,
  options: HttpFailureOptions = {},
): ProviderError {
  const secrets = options.secrets ?? [];
  const info = readErrorBody(body);
  const detail = info.message ? `: ${oneLine(redactSecrets(info.message, secrets)).replace(/\.$/, '')}` : '';
  const cause = options.cause === undefined ? undefined : { cause: safeCause(options.cause, secrets) };
  const fail = (kind: 'rate_limited' | 'transient' | 'permanent', message: string, retryAfterMs?: number) =>
    new ProviderError(provider, kind, message, retryAfterMs, cause);

  if (status === undefined) return fail('transient', `could not reach the server${detail}`);
  const label = `HTTP ${status}${info.status ? ` ${info.status}` : ''}${info.reason ? ` ${info.reason}` : ''}`;

  // Waiting does not refill a prepaid balance.
  if (info.code === 'insufficient_quota') {
    return fail('permanent', `the account has no quota left (${label})${detail}; check the plan and billing`);
  }
  if (status === 429 || info.status === 'RESOURCE_EXHAUSTED') {
    const retryAfterMs = info.retryDelayMs ?? parseRetryAfter(retryAfterHeader);
    const wait = retryAfterMs !== undefined ? `; the server asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : '';
    return fail('rate_limited', `rate limit or quota reached (${label})${wait}`, retryAfterMs);
  }
  const keyHint = options.keyVariable ? `; check ${options.keyVariable}` : '';
  if (status === 401 || info.status === 'UNAUTHENTICATED' || info.reason === 'API_KEY_INVALID' || info.code === 'invalid_api_key') {
    return fail('permanent', `the API key was rejected (${label})${detail}${keyHint}`);
  }
  if (status === 403) {
    return fail('permanent', `the API key was rejected or lacks permission (${label})${detail}${keyHint}`);
  }
  if (status === 408 || status >= 500) {
    return fail('transient', `the server failed or is unavailable (${label})${detail}`);
  }
  if (status === 404) return fail('permanent', `the model or endpoint was not found (${label})${detail}`);
  return fail('permanent', `the request was rejected (${label})${detail}`);
}

export interface RequestErrorContext {
  /** The caller's signal fired: the job was cancelled or the video deleted. */
  cancelled?: boolean;
  /** Our own deadline fired. */
  timedOut?: boolean;
  timeoutMs?: number;
  secrets?: readonly (string | undefined)[];
}

/** For a call that threw before any HTTP status was read: abort, timeout, reset, refused. */
export function classifyRequestError(provider: string, error: unknown, ctx: RequestErrorContext = {}): ProviderError {
  if (error instanceof ProviderError) return error;
  const secrets = ctx.secrets ?? [];
  const cause = { cause: safeCause(error, secrets) };
  if (ctx.cancelled) {
    // Nobody wants the result any more, so a retry would only spend money.
    return new ProviderError(provider, 'permanent', 'the request was cancelled', undefined, cause);
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (ctx.timedOut || name === 'TimeoutError' || name === 'AbortError') {
    const after = ctx.timeoutMs ? ` within ${ctx.timeoutMs} ms` : '';
    return new ProviderError(provider, 'transient', `no reply${after} (timed out)`, undefined, { ...cause, timedOut: true });
  }
  if (name === 'SyntaxError') {
    // A 200 whose body is not JSON: a proxy or a server cut short, worth another try.
    return new ProviderError(provider, 'transient', 'the server sent a reply that is not JSON', undefined, cause);
  }
  const code = networkCode(error);
  const message = code ?? oneLine(redactSecrets(errorMessage(error), secrets));
  return new ProviderError(provider, 'transient', `could not reach the server (${message})`, undefined, cause);
}

/** `Retry-After` is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A protobuf Duration in JSON: "7s", "0.5s", "1.000340s". */
export function parseGoogleDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/**
 * A copy of an error that is safe to attach as `cause`: the original may carry
 * server text echoing a key, so only its name, code and a redacted message survive.
 */
export function safeCause(error: unknown, secrets: readonly (string | undefined)[]): Error {
  const copy = new Error(redactSecrets(errorMessage(error), secrets));
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string') copy.name = name;
  const code = networkCode(error);
  if (code) (copy as Error & { code?: string }).code = code;
  return copy;
}

interface ErrorInfo {
  message?: string;
  /** Google's canonical status, e.g. RESOURCE_EXHAUSTED. */
  status?: string;
  /** google.rpc.ErrorInfo reason, e.g. API_KEY_INVALID. */
  reason?: string;
  /** OpenAI's error code, e.g. invalid_api_key. */
  code?: string;
  retryDelayMs?: number;
}

function readErrorBody(body: unknown): ErrorInfo {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return { message: body.trim() || undefined };
    }
  }
  if (!parsed || typeof parsed !== 'object') return {};
  const root = parsed as Record<string, unknown>;
  const err = root.error;
  if (typeof err === 'string') return { message: err };
  if (!err || typeof err !== 'object') {
    return { message: typeof root.message === 'string' ? root.message : undefined };
  }
  const e = err as Record<string, unknown>;
  const info: ErrorInfo = {
    message: typeof e.message === 'string' ? e.message : undefined,
    status: typeof e.status === 'string' ? e.status : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
  };
  for (const d of Array.isArray(e.details) ? e.details : []) {
    if (!d || typeof d !== 'object') continue;
    const detail = d as Record<string, unknown>;
    const type = String(detail['@type'] ?? '');
    if (type.endsWith('google.rpc.RetryInfo')) info.retryDelayMs = parseGoogleDuration(detail.retryDelay);
    if (type.endsWith('google.rpc.ErrorInfo') && typeof detail.reason === 'string') info.reason = detail.reason;
  }
  return info;
}

function networkCode(error: unknown): string | undefined {
  // undici hides the socket error under `cause` of a TypeError("fetch failed").
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  // Duck-typed: errors from another realm (undici's, under a VM sandbox) fail instanceof Error.
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string') return message;
  return typeof error === 'string' ? error : 'unknown error';
}
