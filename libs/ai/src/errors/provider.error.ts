/**
 * How a provider failure should be handled by the queue:
 * - rate_limited: wait (retryAfterMs when the server said) and try again, not counted as a failure;
 * - transient: retry with backoff, a bounded number of times;
 * - permanent: fail the video at once (bad input, blocked content, bad credentials).
 */
export type ProviderFailureKind = 'rate_limited' | 'transient' | 'permanent';

export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  /** The provider did not answer in time (counted apart in the failure metrics: a slow provider, not a broken one). */
  readonly timedOut: boolean;

  constructor(
    /** e.g. "Gemini", "Google Text-to-Speech", "espeak-ng". */
    readonly provider: string,
    readonly kind: ProviderFailureKind,
    /** A sentence a user can act on; never contains a key or a stack. */
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown; timedOut?: boolean },
  ) {
    super(`${provider}: ${message}`, options && 'cause' in options ? { cause: options.cause } : undefined);
    this.timedOut = options?.timedOut === true;
  }
}
