/**
 * When a failed delivery is tried again. Exponential (each wait 3 times the one before,
 * from WEBHOOK_RETRY_BASE_MS) so a receiver that is down for a minute gets its events
 * within minutes and one that is down for a day still gets them, with jitter upwards (up
 * to 20 % longer, never shorter than the schedule) so the deliveries held up by one outage
 * do not all arrive again in the same instant.
 *
 * With the default 30 s base: waits of 30 s, 1.5 min, 4.5 min, 13.5 min, 40.5 min, 2 h,
 * 6.1 h and 18.2 h, so 9 attempts in all, the last about 27 h after the first (up to
 * 33 h with jitter); then the delivery is marked failed.
 */
export const WEBHOOK_MAX_ATTEMPTS = 9;
export const RETRY_FACTOR = 3;
export const RETRY_JITTER = 0.2;

/**
 * The wait after `failedAttempts` (1 or more) attempts have failed, before the next one;
 * undefined when that was the last attempt. `random` is in [0, 1).
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, random: () => number = Math.random): number | undefined {
  if (failedAttempts < 1) throw new RangeError(`failedAttempts must be 1 or more, got ${failedAttempts}`);
  if (failedAttempts >= WEBHOOK_MAX_ATTEMPTS) return undefined;
  return Math.round(baseMs * RETRY_FACTOR ** (failedAttempts - 1) * (1 + RETRY_JITTER * random()));
}
