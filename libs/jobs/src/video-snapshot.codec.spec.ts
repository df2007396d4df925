import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeSnapshot, encodeSnapshot, STORE_SNAPSHOT_SCRIPT, TOMBSTONE } from './video-snapshot.codec.js';

const snapshot = (version: string, stateJson = '{"progress":1}') => ({ version, userId: 'u-1', status: 'generating_voice', stateJson });

describe('video snapshot encoding', () => {
  it('round-trips a snapshot whose JSON holds the separator', () => {
    const s = snapshot('12', '{"title":"a|b|c"}');
    const { version, payload } = encodeSnapshot(s);
    expect(decodeSnapshot(`${version}|${payload}`)).toEqual(s);
  });

  it('reads a tombstone as deleted, and nothing or garbage as a miss', () => {
    expect(decodeSnapshot(TOMBSTONE)).toBe('deleted');
    expect(decodeSnapshot(null)).toBeUndefined();
    expect(decodeSnapshot('abc|u|s|{}')).toBeUndefined();
    expect(decodeSnapshot('12|u')).toBeUndefined();
  });
});

/** The compare-and-set itself, on the real Redis the suite uses. */
describe('STORE_SNAPSHOT_SCRIPT', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const key = `bt-${randomBytes(5).toString('hex')}:video-state:v1`;
  const store = (version: string, payload: string) => redis.eval(STORE_SNAPSHOT_SCRIPT, 1, key, version, payload, 60_000);

  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('keeps the newest version whatever order the writes land in, and never replaces a tombstone', async () => {
    expect(await store('2', 'two')).toBe(1);
    expect(await store('10', 'ten')).toBe(1); // numeric, not string, order
    expect(await store('9', 'nine')).toBe(0); // a late write of an older state
    expect(await store('10', 'ten again')).toBe(0);
    expect(await redis.get(key)).toBe('10|ten');
    expect(await redis.pttl(key)).toBeGreaterThan(0);

    expect(await store('x', '')).toBe(1);
    expect(await redis.get(key)).toBe(TOMBSTONE);
    expect(await store('11', 'eleven')).toBe(0);
    expect(await redis.get(key)).toBe(TOMBSTONE);
  });
});
