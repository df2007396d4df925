import { parseRedisConfig } from '@app/config';
import { Cluster } from 'ioredis';
import { bullConnection, bullPrefix, clusterOptions, createRedisClient, redisOptions } from './redis-connection.js';

const config = (env: Record<string, string>) => parseRedisConfig(env);

describe('redisOptions', () => {
  it('parses host, port, credentials and db', () => {
    const o = redisOptions(config({ REDIS_URL: 'redis://user:p%40ss@cache.local:6380/3' }), 'worker');
    expect(o).toMatchObject({ host: 'cache.local', port: 6380, username: 'user', password: 'p@ss', db: 3, maxRetriesPerRequest: null });
    expect(o.tls).toBeUndefined();
  });

  it('fails fast for producers and uses TLS for rediss', () => {
    const o = redisOptions(config({ REDIS_URL: 'rediss://cache.local' }), 'producer');
    expect(o).toMatchObject({ port: 6379, db: 0, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(o.tls).toEqual({});
  });

  it('through Sentinel: the master by name, REDIS_URL’s password and db for the master, the sentinel password for the sentinels', () => {
    const env = {
      REDIS_URL: 'redis://:master-pw@ignored/2',
      REDIS_SENTINELS: 's1:26379,s2',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sp',
    };
    const o = redisOptions(config(env), 'worker');
    expect(o).toMatchObject({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
      password: 'master-pw',
      sentinelPassword: 'sp',
      db: 2,
      maxRetriesPerRequest: null,
    });
    expect(o).not.toHaveProperty('host');
    expect(o.enableTLSForSentinelMode).toBeUndefined();
  });

  it('through Sentinel with rediss: TLS to the master (enableTLSForSentinelMode) and to the sentinels', () => {
    const o = redisOptions(config({ REDIS_URL: 'rediss://x', REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'm' }), 'producer');
    expect(o).toMatchObject({ tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {}, enableOfflineQueue: false });
  });
});

describe('a Redis Cluster', () => {
  const cluster = config({ REDIS_URL: 'rediss://app:pw@ignored', REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', QUEUE_PREFIX: 'blinked' });

  it('gives every node REDIS_URL’s credentials and TLS, and keeps each role’s behaviour', () => {
    expect(clusterOptions(cluster, 'worker')).toEqual({
      enableOfflineQueue: true,
      redisOptions: { username: 'app', password: 'pw', tls: {}, connectTimeout: 5000, maxRetriesPerRequest: null },
    });
    expect(clusterOptions(cluster, 'producer')).toMatchObject({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
  });

  it('is handed to BullMQ as a Cluster instance under a hash-tagged prefix', async () => {
    // Ports nothing listens on: the instance is built, never used.
    const unused = config({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2' });
    const connection = bullConnection(unused, 'producer') as Cluster;
    connection.on('error', () => undefined);
    try {
      expect(connection).toBeInstanceOf(Cluster);
      expect((connection as unknown as { startupNodes: unknown }).startupNodes).toEqual([
        { host: '127.0.0.1', port: 1 },
        { host: '127.0.0.1', port: 2 },
      ]);
      expect(connection.options).toMatchObject({ enableOfflineQueue: false, redisOptions: { maxRetriesPerRequest: 1 } });
    } finally {
      connection.disconnect();
    }
    expect(bullPrefix(cluster)).toBe('{blinked}');
    expect(bullPrefix(config({ QUEUE_PREFIX: 'blinked' }))).toBe('blinked');
    expect(() => redisOptions(cluster, 'worker')).toThrow('clusterOptions');
  });

  it('createRedisClient names the connection when asked', () => {
    const client = createRedisClient(config({ REDIS_URL: 'redis://127.0.0.1:1' }), 'producer', { connectionName: 'x' });
    client.on('error', () => undefined);
    try {
      expect(client.options).toMatchObject({ connectionName: 'x', port: 1, enableOfflineQueue: false });
    } finally {
      client.disconnect();
    }
  });
});
