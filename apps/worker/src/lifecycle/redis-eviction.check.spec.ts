import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRedisConfig } from '@app/config';
import { type RedisProcess, startRedisServer } from '@test/support/redis-servers.js';
import { warnUnlessNoEviction } from './redis-eviction.check.js';

let dir: string;
const servers: RedisProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eviction-check-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function check(args: string[]) {
  const server = await startRedisServer(dir, args);
  servers.push(server);
  const logged = { warn: [] as string[], debug: [] as string[] };
  const logger = { warn: (m: string) => logged.warn.push(m), debug: (m: string) => logged.debug.push(m) };
  const returned = await warnUnlessNoEviction(parseRedisConfig({ REDIS_URL: `redis://127.0.0.1:${server.port}` }), logger);
  return { returned, ...logged };
}

describe('the worker’s maxmemory-policy check', () => {
  it('warns once, in one line, when Redis may evict keys', async () => {
    const r = await check(['--maxmemory-policy', 'allkeys-lru']);
    expect(r.warn).toEqual([
      'Redis maxmemory-policy is "allkeys-lru": BullMQ needs "noeviction", or a full Redis drops queued jobs and their locks; set it in redis.conf or with CONFIG SET maxmemory-policy noeviction',
    ]);
    expect(r.returned).toEqual(r.warn);
    expect(r.debug).toEqual([]);
  });

  it('says nothing on noeviction', async () => {
    const r = await check(['--maxmemory-policy', 'noeviction']);
    expect(r.warn).toEqual([]);
    expect(r.debug).toEqual([]);
  });

  it('notes at debug level, once, a server that refuses CONFIG, and goes on', async () => {
    const r = await check(['--rename-command', 'CONFIG', '']);
    expect(r.warn).toEqual([]);
    expect(r.debug).toHaveLength(1);
    expect(r.debug[0]).toMatch(/^could not check Redis maxmemory-policy \(.*unknown command.*\); going on$/i);
  });

  it('goes on when Redis does not answer', async () => {
    const logged: string[] = [];
    const warned = await warnUnlessNoEviction(parseRedisConfig({ REDIS_URL: 'redis://127.0.0.1:1' }), {
      warn: (m) => logged.push(m),
      debug: (m) => logged.push(m),
    });
    expect(warned).toEqual([]);
    expect(logged).toEqual([expect.stringMatching(/^could not check Redis maxmemory-policy/)]);
  });
});
