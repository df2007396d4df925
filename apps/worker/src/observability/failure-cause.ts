import { DeckValidationError, ProviderError } from '@app/ai';
import { MediaError } from '@app/media';
import { isInfraError } from '../stages/infra-error.js';

/**
 * The `cause` label of blinked_stage_failures_total: what an alert or a dashboard
 * tells apart. `rate_limited` waits, `provider`, `timeout`, `media`, `infrastructure`
 * and `error` are retried, `provider_rejected` and `invalid_deck` fail the video at
 * once; `stalled` (a worker died running the job too often) is counted by the
 * failed-jobs listener.
 */
export type FailureCause =
  'rate_limited' | 'timeout' | 'provider' | 'provider_rejected' | 'invalid_deck' | 'media' | 'infrastructure' | 'stalled' | 'error';

export function failureCause(error: unknown): FailureCause {
  if (error instanceof ProviderError) {
    if (error.kind === 'rate_limited') return 'rate_limited';
    if (error.timedOut) return 'timeout';
    return error.kind === 'permanent' ? 'provider_rejected' : 'provider';
  }
  if (error instanceof DeckValidationError) return 'invalid_deck';
  if (error instanceof MediaError) return 'media';
  if (isInfraError(error)) return 'infrastructure';
  return 'error';
}

/** The `outcome` label of blinked_provider_calls_total: ok, or how the call failed. */
export function providerOutcome(error: unknown): string {
  if (!(error instanceof ProviderError)) return error instanceof DeckValidationError ? 'invalid_output' : 'error';
  return error.timedOut ? 'timeout' : error.kind;
}
