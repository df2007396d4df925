import { classifyRequestError } from '../errors/http-failure.js';
import { ProviderError } from '../errors/provider.error.js';

/**
 * Retries inside one picture request. Unlike the deck and the narration, which fail their
 * job and let BullMQ back off, a picture that fails falls back to an icon at once, so
 * the adapter itself must give a rate limit or a blip its second chance.
 */
export interface ImageRetryOptions {
  /** Calls in all, the first included (default 3). */
  attempts?: number;
  /** First delay after a 5xx or a network failure, doubled each time, ±25 % jitter (default 1000 ms). */
  backoffMs?: number;
  /** Longest wait a 429's Retry-After may ask; longer, and the picture falls back to an icon now (default 20 000 ms). */
  maxWaitMs?: number;
}

const DEFAULTS = { attempts: 3, backoffMs: 1000, maxWaitMs: 20_000 } satisfies Required<ImageRetryOptions>;

/**
 * Calls `attempt` until it succeeds, or fails permanently, or the attempts run out:
 * 429 waits as long as the server asked (or the backoff when it did not say), 5xx,
 * timeouts and network failures back off exponentially, permanent failures (bad key,
 * bad request, blocked prompt, cancellation) fail at once. Waits end early on `signal`.
 */
export async function withImageRetries<T>(label: string, attempt: () => Promise<T>, options: ImageRetryOptions = {}, signal?: AbortSignal): Promise<T> {
  const { attempts, backoffMs, maxWaitMs } = { ...DEFAULTS, ...options };
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.kind === 'permanent' || n >= attempts) throw error;
      const backoff = backoffMs * 2 ** (n - 1) * (0.75 + Math.random() * 0.5);
      const wait = error.kind === 'rate_limited' ? (error.retryAfterMs ?? backoff) : backoff;
      // A daily quota says "come back tomorrow": holding the deck stage that long helps nobody.
      if (wait > maxWaitMs) throw error;
      await pause(label, wait, signal);
    }
  }
}

function pause(label: string, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = () => {
      clearTimeout(timer);
      reject(classifyRequestError(label, signal?.reason, { cancelled: true }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', cancelled);
      resolve();
    }, ms);
    if (signal?.aborted) return cancelled();
    signal?.addEventListener('abort', cancelled, { once: true });
  });
}
