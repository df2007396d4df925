import type { WorkerMetrics } from '@app/observability';
import { providerOutcome } from './failure-cause.js';

export type ProviderKind = 'llm' | 'tts' | 'image';

/** One paid (or local) provider call, counted by outcome and timed, whatever it ends in. */
export async function meteredCall<T>(metrics: WorkerMetrics, kind: ProviderKind, provider: string, call: () => Promise<T>): Promise<T> {
  const stop = metrics.providerCallDuration.startTimer({ kind, provider });
  try {
    const result = await call();
    metrics.providerCalls.inc({ kind, provider, outcome: 'ok' });
    return result;
  } catch (error) {
    metrics.providerCalls.inc({ kind, provider, outcome: providerOutcome(error) });
    throw error;
  } finally {
    stop();
  }
}
