/** The fields of the SDK's errors this driver looks at. */
interface ErrorShape {
  name?: string;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function shape(e: unknown): ErrorShape {
  return typeof e === 'object' && e !== null ? (e as ErrorShape) : {};
}

/**
 * No such object. GET answers NoSuchKey; HEAD has no body, so its 404 arrives as
 * NotFound. A missing bucket is not a missing object: it stays an error.
 */
export function isMissingObject(e: unknown): boolean {
  const { name, $metadata } = shape(e);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

/** A range that starts at or past the end of the object (HTTP 416). */
export function isInvalidRange(e: unknown): boolean {
  const { name, $metadata } = shape(e);
  return name === 'InvalidRange' || $metadata?.httpStatusCode === 416;
}

/**
 * Node's socket errors, which the SDK passes on with their `code` (after its own
 * retries); a body cut off mid-download ends its stream early.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
/**
 * The same codes in a message ("connect ECONNREFUSED 127.0.0.1:9000"): the SDK's retry
 * middleware re-wraps a thrown value that is not an Error of its own realm into a new
 * Error quoting it and drops the code (seen under Jest, whose VM realm is not the one
 * Node's sockets build their errors in).
 */
const UNREACHABLE_WORDS = new RegExp(`\\b(${[...UNREACHABLE_CODES].join('|')})\\b`);
/** The store's own "not now" answers; 501 (an operation it lacks) is not one of them. */
const UNAVAILABLE_STATUSES = new Set([500, 502, 503, 504]);

/**
 * The store could not be reached or did not answer, as opposed to refusing the request:
 * a refused or reset connection (Node's code), the SDK's `TimeoutError` (no connection
 * within connectionTimeout, which is how a host that is down or cut off shows, or a
 * socket silent past its timeout; it carries no code), or a 5xx left after the SDK's
 * own retries (SlowDown, ServiceUnavailable, InternalError, a gateway's 502/504).
 */
export function isStoreUnreachable(e: unknown): boolean {
  for (let x = e, depth = 0; typeof x === 'object' && x !== null && depth < 8; depth++) {
    const { name, message, code, $metadata, cause } = shape(x);
    if (name === 'TimeoutError') return true;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof message === 'string' && UNREACHABLE_WORDS.test(message)) return true;
    if ($metadata?.httpStatusCode !== undefined && UNAVAILABLE_STATUSES.has($metadata.httpStatusCode)) return true;
    x = cause;
  }
  return false;
}
