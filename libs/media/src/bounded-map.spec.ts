import { mapBounded, slideConcurrency } from './bounded-map.js';

/** A promise the test settles by hand, so the order of events is the test's, not the clock's. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

describe('mapBounded', () => {
  it('keeps the items order in its results though they finish out of order', async () => {
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const run = mapBounded([0, 1, 2], 3, async (n) => {
      await gates[n]!.promise;
      return n * 10;
    });
    gates[2]!.resolve();
    gates[0]!.resolve();
    gates[1]!.resolve();
    await expect(run).resolves.toEqual([0, 10, 20]);
  });

  it('runs at most `limit` at once and starts the next as one finishes', async () => {
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const run = mapBounded([0, 1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++running);
      await gates[n]!.promise;
      running--;
    });
    await flush();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    await run;
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('rejects with the first failure, starts nothing after it and lets the running items finish', async () => {
    const gates = Array.from({ length: 4 }, () => deferred<void>());
    const started: number[] = [];
    const finished: number[] = [];
    const run = mapBounded([0, 1, 2, 3], 2, async (n) => {
      started.push(n);
      await gates[n]!.promise;
      finished.push(n);
    });
    await flush();
    gates[0]!.reject(new Error('slide 1 broke'));
    await flush();
    gates[1]!.resolve();
    await expect(run).rejects.toThrow('slide 1 broke');
    expect(started).toEqual([0, 1]);
    expect(finished).toEqual([1]);
  });

  it('stops starting items once the signal aborts, and rejects with its reason', async () => {
    const controller = new AbortController();
    const gates = Array.from({ length: 4 }, () => deferred<void>());
    const started: number[] = [];
    const run = mapBounded(
      [0, 1, 2, 3],
      1,
      async (n) => {
        started.push(n);
        await gates[n]!.promise;
      },
      controller.signal,
    );
    await flush();
    controller.abort(new Error('cancelled by the user'));
    gates[0]!.resolve();
    await expect(run).rejects.toThrow('cancelled by the user');
    expect(started).toEqual([0]);
  });

  it('handles no items and a limit above their number', async () => {
    await expect(mapBounded([], 4, async () => 1)).resolves.toEqual([]);
    await expect(mapBounded([1], 4, async (n) => n + 1)).resolves.toEqual([2]);
  });

  it('renders at least two slides at once and never more than four', () => {
    expect(slideConcurrency()).toBeGreaterThanOrEqual(2);
    expect(slideConcurrency()).toBeLessThanOrEqual(4);
  });
});
