import type { ConnectionOptions } from 'bullmq';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisConfig } from '@app/config';

/**
 * Who the connection is for. Workers block on Redis and must never give up a
 * command (maxRetriesPerRequest: null, as BullMQ requires); the api must fail
 * fast when Redis is down (no offline queue) so a request gets a 503 instead of
 * hanging.
 */
export type RedisRole = 'worker' | 'producer';

export type RedisClient = Redis | Cluster;

export type Topology = Pick<RedisConfig, 'url' | 'topology'>;

/** ioredis options with a retryStrategy that always retries: BullMQ's type does not take ioredis's null. */
export type ServerOptions = Omit<RedisOptions, 'retryStrategy'> & { retryStrategy?: (times: number) => number };

/** The longest the api waits between reconnects: back in service within about a second of Redis. */
export const PRODUCER_RECONNECT_MAX_MS = 1000;

/**
 * The api reconnects every 100 ms at first, then at most every second: BullMQ's default
 * (up to 20 s between tries) kept it answering 503 for 18 s after a 40 s outage ended.
 * Workers keep BullMQ's own schedule.
 */
export const producerRetryStrategy = (times: number): number => Math.min(100 * times, PRODUCER_RECONNECT_MAX_MS);

const roleOptions = (role: RedisRole) =>
  role === 'worker'
    ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: producerRetryStrategy };

/** What REDIS_URL says about every connection, whatever the topology: TLS, credentials, database. */
function fromUrl(redisUrl: string) {
  const u = new URL(redisUrl);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    // An empty object: Node's defaults (system CAs, host name checked). NODE_EXTRA_CA_CERTS adds a private CA.
    tls: u.protocol === 'rediss:' ? {} : undefined,
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
  };
}

/**
 * ioredis options for one Redis server, or for the master behind Sentinel:
 * what BullMQ is given (it opens its own connections from them). Not for a
 * Cluster, which needs a Cluster instance (see clusterOptions).
 */
export function redisOptions(config: Topology, role: RedisRole): ServerOptions {
  const { host, port, tls, ...auth } = fromUrl(config.url);
  const common = { ...auth, tls, connectTimeout: 5000, ...roleOptions(role) };
  const t = config.topology;
  switch (t.kind) {
    case 'server':
      return { host, port, ...common };
    case 'sentinel':
      // rediss means TLS everywhere: to the master (ioredis applies `tls` in Sentinel
      // mode only with enableTLSForSentinelMode) and to the sentinels themselves.
      return {
        sentinels: t.sentinels,
        name: t.name,
        sentinelPassword: t.sentinelPassword,
        ...common,
        ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
      };
    case 'cluster':
      throw new Error('redisOptions: a Redis Cluster is reached through clusterOptions()');
  }
}

/** ioredis Cluster options: REDIS_URL's credentials and TLS apply to every node. */
export function clusterOptions(config: Topology, role: RedisRole): ClusterOptions {
  const { username, password, tls } = fromUrl(config.url);
  const { maxRetriesPerRequest, enableOfflineQueue } = roleOptions(role);
  return {
    enableOfflineQueue,
    ...(role === 'producer' ? { clusterRetryStrategy: producerRetryStrategy } : {}),
    redisOptions: { username, password, tls, connectTimeout: 5000, maxRetriesPerRequest },
  };
}

export interface ClientOverrides {
  connectionName?: string;
  /**
   * Commands wait for the first connection instead of failing at once (a producer's
   * default): for a background task whose first command may come before Redis answers.
   */
  waitForConnection?: boolean;
  /** One attempt to connect, no reconnection: for a check that must not linger when Redis is away. */
  singleAttempt?: boolean;
  /**
   * Commands issued in the same tick go out in one write (ioredis auto-pipelining): for the
   * clients every api request uses, where concurrent requests' commands would otherwise cost
   * one system call each, here and in Redis.
   */
  autoPipelining?: boolean;
}

/** The one way a Redis connection is opened, whatever the topology. */
export function createRedisClient(config: Topology, role: RedisRole, overrides: ClientOverrides = {}): RedisClient {
  const { connectionName, singleAttempt, waitForConnection, autoPipelining } = overrides;
  const noRetry = () => null;
  const offline = waitForConnection ? { enableOfflineQueue: true } : {};
  const pipelining = autoPipelining ? { enableAutoPipelining: true } : {};
  if (config.topology.kind === 'cluster') {
    const options = clusterOptions(config, role);
    return new Cluster(config.topology.nodes, {
      ...options,
      ...offline,
      ...pipelining,
      ...(singleAttempt ? { clusterRetryStrategy: noRetry } : {}),
      redisOptions: { ...options.redisOptions, connectionName },
    });
  }
  return new Redis({
    ...redisOptions(config, role),
    ...offline,
    ...pipelining,
    connectionName,
    ...(singleAttempt ? { retryStrategy: noRetry, sentinelRetryStrategy: noRetry } : {}),
  });
}

/**
 * BullMQ's `connection`: options for a server or Sentinel (each queue and worker
 * then owns its connections, as before), a Cluster instance for a cluster
 * (BullMQ cannot build one from options; it shares the instance and duplicates
 * it for blocking commands). The caller closes that instance: see QueuesModule.
 */
export function bullConnection(config: Topology, role: RedisRole): ConnectionOptions {
  return config.topology.kind === 'cluster' ? createRedisClient(config, role) : redisOptions(config, role);
}

/**
 * BullMQ's key prefix. In a cluster it is a hash tag (`{blinked}`): BullMQ's Lua
 * scripts touch several keys of a queue at once, and a flow (a stitch job with
 * its voice children) spans two queues, so every key must hash to one slot.
 */
export function bullPrefix(config: Pick<RedisConfig, 'topology' | 'queuePrefix'>): string {
  return config.topology.kind === 'cluster' ? `{${config.queuePrefix}}` : config.queuePrefix;
}

/**
 * Resolves once the client can take commands; rejects after `timeoutMs` (the
 * client keeps trying) or as soon as it gives up (status `end`).
 */
export async function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'end') throw new Error('the Redis connection is closed');
  let lastError: Error | undefined;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off('ready', onReady).off('end', onEnd).off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => settle();
    const onEnd = () => settle(new Error(`Redis did not answer${lastError ? `: ${lastError.message}` : ''}`));
    const onError = (e: Error) => (lastError = e);
    const timer = setTimeout(() => settle(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    client.once('ready', onReady).once('end', onEnd).on('error', onError);
  });
}
