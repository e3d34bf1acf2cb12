import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * Where Redis is: a `redis://` URL (one server, or a proxy in front of several), a Sentinel set that
 * names the current master (issue 18, item 2), or the nodes of a Redis Cluster (issue 18, item 1).
 * With Sentinel, ioredis asks the sentinels for the master at every (re)connect, so a failover needs no
 * proxy and no restart: connections drop, ask again, and land on the promoted replica. With Cluster,
 * ioredis learns the slot map from any node it reaches and follows MOVED redirects after a failover.
 */
export type RedisAddress = string | RedisSentinelAddress | RedisClusterAddress;

/**
 * One Redis connection of ours, to a server (or Sentinel's master) or to a whole Cluster. Everything
 * that only runs commands takes this; a Cluster routes each command by its key's slot, which is why
 * every key of ours starts with the hash-tagged QUEUE_PREFIX (src/queue/queue-prefix.ts).
 */
export type RedisClient = Redis | Cluster;

export interface RedisClusterAddress {
  /** Some of the cluster's nodes (any one that answers gives the rest). */
  cluster: { host: string; port: number }[];
  /** The nodes' password, when they have one. */
  password?: string;
  /** The ACL user, when not `default`. */
  username?: string;
  /** Connect to every node over TLS (REDIS_URL is `rediss://`). @defaultValue false */
  tls?: boolean;
}

export interface RedisSentinelAddress {
  sentinels: { host: string; port: number }[];
  /** The master's name in the sentinels' configuration (`sentinel monitor NAME …`). */
  name: string;
  /** The password of the Redis servers (not the sentinels'), when they have one. */
  password?: string;
  /** The database number. @defaultValue 0 */
  db?: number;
}

/** Whether the address names a Redis Cluster. */
export function isClusterAddress(address: RedisAddress): address is RedisClusterAddress {
  return typeof address !== 'string' && 'cluster' in address;
}

/** `host:port,host:port` (REDIS_SENTINELS, REDIS_CLUSTER_NODES) as addresses; throws a readable error on a bad entry. */
export function parseHostPorts(list: string): { host: string; port: number }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => {
      const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(entry);
      const port = m ? Number(m[2]) : NaN;
      if (!m || port < 1 || port > 65535) throw new Error(`"${entry}" is not host:port`);
      return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
    });
}

/** Where the address points, for start-up lines and logs (never a password). */
export function describeRedis(address: RedisAddress): string {
  if (isClusterAddress(address))
    return `the Redis Cluster of ${address.cluster.map((n) => `${n.host}:${n.port}`).join(',')}`;
  if (typeof address !== 'string')
    return `the master "${address.name}" of Sentinel ${address.sentinels.map((s) => `${s.host}:${s.port}`).join(',')}`;
  try {
    const u = new URL(address);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return address;
  }
}

/**
 * After a failover the old master comes back as a replica and refuses writes with READONLY; a
 * connection still on it reconnects (asking the sentinels again) and resends the command.
 */
function reconnectOnReadOnly(err: Error): 2 | false {
  return err.message.startsWith('READONLY') ? 2 : false;
}

/**
 * A connection to `address` with `options`: the one place that knows URLs from Sentinel sets and
 * Clusters. The options are a single connection's; for a Cluster they become every node connection's
 * (`redisOptions`), except the few that are the cluster client's own (offline queue, lazy connect,
 * retry strategy).
 */
export function connectRedis(address: RedisClusterAddress, options?: RedisOptions): Cluster;
export function connectRedis(address: RedisAddress, options?: RedisOptions): RedisClient;
export function connectRedis(address: RedisAddress, options: RedisOptions = {}): RedisClient {
  if (isClusterAddress(address)) return connectCluster(address, options);
  // One server named by URL: READONLY there is a misconfiguration to report, not a failover to follow.
  if (typeof address === 'string') return new Redis(address, options);
  return new Redis({
    sentinels: address.sentinels,
    name: address.name,
    ...(address.password !== undefined ? { password: address.password } : {}),
    db: address.db ?? 0,
    reconnectOnError: reconnectOnReadOnly,
    // Not ioredis' failoverDetector: its disconnect on +switch-master can land while a reconnect is
    // resolving the master, which then ends the connection for good ("Connection is closed.", seen in
    // tests/scale/redis-sentinel.test.ts). A dead master's refused connects and a demoted one's
    // READONLY reconnect through the sentinels anyway.
    ...options,
  });
}

function connectCluster(address: RedisClusterAddress, options: RedisOptions): Cluster {
  const { enableOfflineQueue, lazyConnect, retryStrategy, sentinelRetryStrategy, ...node } = options;
  void sentinelRetryStrategy; // no sentinels in a cluster
  const clusterOptions: ClusterOptions = {
    redisOptions: {
      ...node,
      ...(address.password !== undefined ? { password: address.password } : {}),
      ...(address.username !== undefined ? { username: address.username } : {}),
      ...(address.tls === true ? { tls: {} } : {}),
    },
    ...(enableOfflineQueue !== undefined ? { enableOfflineQueue } : {}),
    ...(lazyConnect !== undefined ? { lazyConnect } : {}),
    // A probe that gives up at once (retryStrategy: () => null) gives up on the whole cluster at once.
    ...(retryStrategy !== undefined ? { clusterRetryStrategy: retryStrategy } : {}),
    // After a master dies its slots answer CLUSTERDOWN until a replica is promoted (about the
    // cluster-node-timeout): ask again soon, and refresh the slot map often enough to find the new master.
    retryDelayOnClusterDown: 200,
    retryDelayOnFailover: 200,
    slotsRefreshTimeout: 2000,
    // A promoted replica is found within a second even by a connection that sends nothing meanwhile
    // (the default is 5 s); one CLUSTER SLOTS a second is nothing to a node.
    slotsRefreshInterval: 1000,
  };
  return new Cluster(address.cluster, clusterOptions);
}

/**
 * Redis for the API side: commands fail at once while disconnected (no offline queue), so a request
 * is answered 503 instead of hanging until Redis comes back. A command unanswered for 5 s (a stalled
 * server or network) fails too; nothing on this connection blocks on purpose (no BRPOP, no
 * subscriptions), and the enqueue itself gives up earlier (ENQUEUE_TIMEOUT_MS). On a Cluster the
 * offline queue is the cluster client's (commands fail at once until it has a slot map); during a
 * failover it holds a dead master's commands and retries them on the new slot map, so a request then
 * waits up to ENQUEUE_TIMEOUT_MS before its 503 rather than failing at once.
 */
export function createProducerRedis(address: RedisAddress): RedisClient {
  const redis = connectRedis(address, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    commandTimeout: 5000,
  });
  redis.on('error', () => {}); // reconnects by itself; readiness and 503s report the outage
  return redis;
}

/**
 * Redis for workers: BullMQ's blocking commands need retries without a per-request limit. No
 * commandTimeout here: BullMQ duplicates this connection for its blocking reads (BZPOPMIN waits
 * seconds on purpose), which a command timeout would cut off; a connect timeout is safe.
 */
export function createWorkerRedis(address: RedisAddress): RedisClient {
  const redis = connectRedis(address, { maxRetriesPerRequest: null, connectTimeout: 5000 });
  redis.on('error', () => {});
  return redis;
}

/**
 * The address the settings give: the Cluster's nodes when REDIS_CLUSTER_NODES is set (with REDIS_URL's
 * user, password and TLS (rediss://); a cluster has only database 0), else the Sentinel set when REDIS_SENTINELS is set (with
 * REDIS_URL's password and database number), else REDIS_URL.
 */
export function redisAddressOf(config: {
  REDIS_URL: string;
  REDIS_SENTINELS?: string | undefined;
  REDIS_SENTINEL_NAME: string;
  REDIS_CLUSTER_NODES?: string | undefined;
}): RedisAddress {
  const url = new URL(config.REDIS_URL);
  if (config.REDIS_CLUSTER_NODES !== undefined && config.REDIS_CLUSTER_NODES.trim() !== '')
    return {
      cluster: parseHostPorts(config.REDIS_CLUSTER_NODES),
      ...(url.password !== '' ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: true } : {}),
    };
  if (config.REDIS_SENTINELS === undefined || config.REDIS_SENTINELS.trim() === '') return config.REDIS_URL;
  const db = Number(url.pathname.replace(/^\//, '') || '0');
  return {
    sentinels: parseHostPorts(config.REDIS_SENTINELS),
    name: config.REDIS_SENTINEL_NAME,
    ...(url.password !== '' ? { password: decodeURIComponent(url.password) } : {}),
    db: Number.isInteger(db) ? db : 0,
  };
}
