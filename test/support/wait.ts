import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `probe` until `done` holds for its value, or fails after `timeoutMs`
 * with the last value seen. Waiting on a condition, never on a fixed delay.
 */
export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 2000)}`);
    await delay(150);
  }
}

/** Waits until at least one call is held at `gate` (a gated proxy, the ffmpeg gate): the moment a test arranges its fault for. */
export function heldAt(gate: { readonly waiting: number }, what: string, timeoutMs = 60_000): Promise<number> {
  return waitFor(
    async () => gate.waiting,
    (n) => n >= 1,
    timeoutMs,
    what,
  );
}
