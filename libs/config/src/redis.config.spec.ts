import { parseRedisConfig } from './redis.config.js';
import { oneLineError } from '@test/support/config-error.js';

describe('parseRedisConfig', () => {
  it('defaults to one local server', () => {
    expect(parseRedisConfig({})).toEqual({ url: 'redis://127.0.0.1:6379', topology: { kind: 'server' }, queuePrefix: 'blinked', jobBackoffMs: 2000 });
  });

  it('accepts rediss (TLS)', () => {
    expect(parseRedisConfig({ REDIS_URL: 'rediss://:pw@cache.example.com:6380/1' }).url).toBe('rediss://:pw@cache.example.com:6380/1');
  });

  it('selects Sentinel with REDIS_SENTINELS and REDIS_SENTINEL_NAME (default port 26379, IPv6 in brackets)', () => {
    const c = parseRedisConfig({ REDIS_SENTINELS: ' s1:26380, s2 ,[::1]:5000', REDIS_SENTINEL_NAME: 'mymaster', REDIS_SENTINEL_PASSWORD: 'sp' });
    expect(c.topology).toEqual({
      kind: 'sentinel',
      name: 'mymaster',
      sentinelPassword: 'sp',
      sentinels: [
        { host: 's1', port: 26380 },
        { host: 's2', port: 26379 },
        { host: '::1', port: 5000 },
      ],
    });
  });

  it('selects a Cluster with REDIS_CLUSTER_NODES (default port 6379)', () => {
    expect(parseRedisConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2' }).topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 6379 },
      ],
    });
  });

  it('refuses, in one line each, what cannot work', () => {
    expect(oneLineError(() => parseRedisConfig({ REDIS_SENTINELS: 's1', REDIS_CLUSTER_NODES: 'n1' }))).toBe(
      'set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both: Redis is reached through Sentinel or as a Cluster',
    );
    expect(oneLineError(() => parseRedisConfig({ REDIS_SENTINELS: 's1' }))).toMatch(/^REDIS_SENTINEL_NAME is required with REDIS_SENTINELS/);
    expect(oneLineError(() => parseRedisConfig({ REDIS_SENTINEL_NAME: 'm' }))).toMatch(/^REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not/);
    expect(oneLineError(() => parseRedisConfig({ REDIS_SENTINEL_PASSWORD: 'p' }))).toMatch(/^REDIS_SENTINEL_PASSWORD is set but REDIS_SENTINELS/);
    expect(oneLineError(() => parseRedisConfig({ REDIS_CLUSTER_NODES: 'n1:99999' }))).toBe(
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port, got "n1:99999"',
    );
    expect(oneLineError(() => parseRedisConfig({ REDIS_SENTINELS: 'a:b', REDIS_SENTINEL_NAME: 'm' }))).toMatch(
      /^REDIS_SENTINELS must be a comma-separated/,
    );
    expect(oneLineError(() => parseRedisConfig({ REDIS_URL: 'redis://h/3', REDIS_CLUSTER_NODES: 'n1' }))).toBe(
      'REDIS_URL selects database 3, but a Redis Cluster has only database 0',
    );
    expect(oneLineError(() => parseRedisConfig({ REDIS_URL: 'redis://h/db' }))).toMatch(/^REDIS_URL's path must be a database number/);
    expect(oneLineError(() => parseRedisConfig({ REDIS_URL: 'http://h' }))).toBe('REDIS_URL must use redis: or rediss:, got "http:"');
  });

  it('never echoes a password in an error', () => {
    expect(oneLineError(() => parseRedisConfig({ REDIS_URL: 'redis://:s3cret@h/x', REDIS_CLUSTER_NODES: 'n' }))).not.toContain('s3cret');
  });
});
