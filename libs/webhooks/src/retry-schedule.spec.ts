import { RETRY_JITTER, retryDelayMs, WEBHOOK_MAX_ATTEMPTS } from './retry-schedule.js';

const HOUR = 3_600_000;
const schedule = (base: number, random: () => number) => Array.from({ length: WEBHOOK_MAX_ATTEMPTS - 1 }, (_, i) => retryDelayMs(i + 1, base, random)!);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('retryDelayMs', () => {
  it('waits WEBHOOK_RETRY_BASE_MS first, then 3 times longer each time', () => {
    expect(schedule(30_000, () => 0)).toEqual([30_000, 90_000, 270_000, 810_000, 2_430_000, 7_290_000, 21_870_000, 65_610_000]);
  });

  it('makes at least 8 attempts spanning about a day with the default base, then gives up', () => {
    expect(WEBHOOK_MAX_ATTEMPTS).toBeGreaterThanOrEqual(8);
    const shortest = sum(schedule(30_000, () => 0));
    const longest = sum(schedule(30_000, () => 0.999999));
    expect(shortest / HOUR).toBeCloseTo(27.3, 1);
    expect(longest / HOUR).toBeLessThan(33);
    expect(retryDelayMs(WEBHOOK_MAX_ATTEMPTS, 30_000)).toBeUndefined();
    expect(retryDelayMs(WEBHOOK_MAX_ATTEMPTS - 1, 30_000)).toBeDefined();
  });

  it('adds jitter upwards only: never earlier than the schedule, at most 20 % later', () => {
    for (let n = 1; n < WEBHOOK_MAX_ATTEMPTS; n++) {
      const plain = retryDelayMs(n, 1000, () => 0)!;
      for (const r of [0.1, 0.5, 0.9]) {
        const d = retryDelayMs(n, 1000, () => r)!;
        expect(d).toBeGreaterThanOrEqual(plain);
        expect(d).toBeLessThanOrEqual(Math.ceil(plain * (1 + RETRY_JITTER)));
      }
    }
  });

  it('scales with the base, as tests shorten it', () => {
    expect(retryDelayMs(1, 200, () => 0)).toBe(200);
    expect(retryDelayMs(2, 200, () => 0)).toBe(600);
    expect(() => retryDelayMs(0, 200)).toThrow(RangeError);
  });
});
