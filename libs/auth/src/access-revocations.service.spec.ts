import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { PUBLISH_REVOCATION_SCRIPT } from './access-revocations.service.js';

/** The publish script on the real Redis the suite uses: two publishes of one account landing out of order. */
describe('PUBLISH_REVOCATION_SCRIPT', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const key = `bt-${randomBytes(5).toString('hex')}:auth:revoked:u1`;
  const publish = (record: string) => redis.eval(PUBLISH_REVOCATION_SCRIPT, 1, key, record, 60_000);

  afterAll(async () => {
    await redis.del(key);
    redis.disconnect();
  });

  it('never goes back to an earlier cut-off, lets a disable and an enable of one cut-off replace each other, and never leaves gone', async () => {
    expect(await publish('v:2000')).toBe(1);
    expect(await publish('v:1000')).toBe(0); // a late publish of an older password change
    expect(await redis.get(key)).toBe('v:2000');
    expect(await publish('d:2000')).toBe(1);
    expect(await publish('v:2000')).toBe(1);
    expect(await redis.get(key)).toBe('v:2000');
    expect(await publish('g')).toBe(1);
    expect(await publish('v:3000')).toBe(0);
    expect(await redis.get(key)).toBe('g');
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });
});
