import { registerAs } from '@nestjs/config';
import { ConfigError } from './config.error.js';
import { type Env, int, list, str, url } from './env.parsers.js';

export const DEFAULT_JOB_BACKOFF_MS = 2000;

export interface RedisNode {
  host: string;
  port: number;
}

/**
 * How Redis is reached. `server`: REDIS_URL's host. `sentinel`: the master named
 * REDIS_SENTINEL_NAME, as the sentinels say. `cluster`: a Redis Cluster seeded
 * from REDIS_CLUSTER_NODES. In all three, REDIS_URL still gives the scheme
 * (rediss = TLS), the credentials and (except in a cluster) the database.
 */
export type RedisTopology =
  { kind: 'server' } | { kind: 'sentinel'; sentinels: RedisNode[]; name: string; sentinelPassword?: string } | { kind: 'cluster'; nodes: RedisNode[] };

export interface RedisConfig {
  url: string;
  topology: RedisTopology;
  /** BullMQ key prefix: separate deployments (and test files) can share one Redis. */
  queuePrefix: string;
  /**
   * First retry delay of a failed job (JOB_BACKOFF_MS, default 2000); later ones
   * double, with jitter. Read by both apps: the api adds slides jobs, the worker
   * adds voice and stitch jobs. End-to-end tests shorten it to exercise retries fast.
   */
  jobBackoffMs: number;
}

/** `host:port,host:port`; IPv6 hosts in brackets (`[::1]:6379`). */
export function parseNodes(env: Env, name: string, defaultPort: number): RedisNode[] {
  return list(env, name).map((entry) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s]+)(?::(\d{1,5}))?$/.exec(entry);
    const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
    if (!m || port < 1 || port > 65535) throw new ConfigError(`${name} must be a comma-separated list of host:port, got "${entry}"`);
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
  });
}

function parseTopology(env: Env, redisUrl: URL): RedisTopology {
  const sentinels = parseNodes(env, 'REDIS_SENTINELS', 26379);
  const nodes = parseNodes(env, 'REDIS_CLUSTER_NODES', 6379);
  const sentinelName = str(env, 'REDIS_SENTINEL_NAME');
  const sentinelPassword = str(env, 'REDIS_SENTINEL_PASSWORD');
  if (sentinels.length && nodes.length) {
    throw new ConfigError('set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both: Redis is reached through Sentinel or as a Cluster');
  }
  if (sentinels.length) {
    if (!sentinelName) throw new ConfigError('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS: the name of the master the sentinels watch');
    return { kind: 'sentinel', sentinels, name: sentinelName, ...(sentinelPassword ? { sentinelPassword } : {}) };
  }
  if (sentinelName || sentinelPassword) {
    throw new ConfigError(`${sentinelName ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINEL_PASSWORD'} is set but REDIS_SENTINELS is not: list the sentinels too`);
  }
  if (nodes.length) {
    if (redisUrl.pathname.length > 1 && redisUrl.pathname !== '/0') {
      throw new ConfigError(`REDIS_URL selects database ${redisUrl.pathname.slice(1)}, but a Redis Cluster has only database 0`);
    }
    return { kind: 'cluster', nodes };
  }
  return { kind: 'server' };
}

export function parseRedisConfig(env: Env): RedisConfig {
  const prefix = str(env, 'QUEUE_PREFIX', 'blinked')!;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) {
    throw new ConfigError(`QUEUE_PREFIX may hold only letters, digits, "_", "." and "-" (1..64), got "${prefix}"`);
  }
  const redisUrl = url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']);
  if (redisUrl.pathname.length > 1 && !/^\/\d{1,2}$/.test(redisUrl.pathname)) {
    throw new ConfigError(`REDIS_URL's path must be a database number (/0../99), got "${redisUrl.pathname}"`);
  }
  return {
    url: redisUrl.toString(),
    topology: parseTopology(env, redisUrl),
    queuePrefix: prefix,
    jobBackoffMs: int(env, 'JOB_BACKOFF_MS', DEFAULT_JOB_BACKOFF_MS, 10, 600_000),
  };
}

export const redisConfig = registerAs('redis', () => parseRedisConfig(process.env));
