import pg from 'pg';
import { Cluster, type Redis } from 'ioredis';
import { shardSpreadWarning } from './queue/queue-prefix.js';
import { SUBMISSIONS_QUEUE } from './queue/submissions-queue.js';
import { connectRedis, describeRedis, isClusterAddress, type RedisAddress } from './redis.js';

/**
 * Start-up probes that turn "cannot connect" into one line a newcomer can act on: which service, where
 * it was looked for, and how to start it.
 */

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? '6379' : '5432')}`;
  } catch {
    return url;
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}

/** Returns null when Postgres answers, else the one-line problem. `3D000` (no database) counts as reachable. */
export async function probePostgres(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    if ((err as { code?: string }).code === '3D000') return null;
    return (
      `Postgres is not reachable at ${hostOf(databaseUrl)} (DATABASE_URL): ${reasonOf(err)}. ` +
      `Start it with 'pg_ctlcluster --skip-systemctl-redirect 15 main start' or 'docker compose up -d postgres', or set DATABASE_URL.`
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** The start-up checks' Redis connections: one try, then give up. */
const CHECK_OPTIONS = {
  lazyConnect: true,
  connectTimeout: 3000,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
  // Behind Sentinel: ask each sentinel once, then give up (the default retries the set forever).
  sentinelRetryStrategy: () => null,
};

/** Returns null when Redis answers PING, else the one-line problem. */
export async function probeRedis(address: RedisAddress): Promise<string | null> {
  const redis = connectRedis(address, { ...CHECK_OPTIONS, enableOfflineQueue: false });
  // connect() rejects with ioredis's own "Connection is closed." once it gives up; the socket's error
  // (ECONNREFUSED, ENOTFOUND, ETIMEDOUT …) arrives first as an 'error' event and is what a person can act on.
  let socketError: unknown = null;
  redis.on('error', (err) => {
    socketError ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    if (isClusterAddress(address))
      return (
        `Redis Cluster is not reachable through ${address.cluster.map((n) => `${n.host}:${n.port}`).join(',')} (REDIS_CLUSTER_NODES): ${reasonOf(socketError ?? err).replace(/\.$/, '')}. ` +
        `Start its nodes (redis-server --cluster-enabled yes …; 'redis-cli --cluster create …' once), or unset REDIS_CLUSTER_NODES to use REDIS_URL.`
      );
    if (typeof address !== 'string')
      return (
        `Redis is not reachable through ${describeRedis(address)} (REDIS_SENTINELS, REDIS_SENTINEL_NAME): ${reasonOf(socketError ?? err)}. ` +
        `Start the sentinels and their master (redis-sentinel sentinel.conf; 'sentinel monitor ${address.name} HOST PORT 2' in it), or unset REDIS_SENTINELS to use REDIS_URL.`
      );
    return (
      `Redis is not reachable at ${hostOf(address)} (REDIS_URL): ${reasonOf(socketError ?? err)}. ` +
      `Start it with 'redis-server --daemonize yes --appendonly yes' or 'docker compose up -d redis', or set REDIS_URL.`
    );
  } finally {
    redis.disconnect();
  }
}

/** The two Redis settings the queue's durability depends on, as `CONFIG GET` reports them. */
export interface RedisDurability {
  maxmemoryPolicy: string;
  appendonly: string;
}

/** `redis-cli` with the address of `redisUrl` (no flags for the default 127.0.0.1:6379). */
function redisCli(address: RedisAddress): string {
  // In a cluster each master has its own settings: the node named is one that needs the fix (-c follows redirects).
  if (isClusterAddress(address)) return `redis-cli -c -h ${address.cluster[0]?.host} -p ${address.cluster[0]?.port}`;
  // Behind Sentinel the master moves: the sentinels say where it is now.
  if (typeof address !== 'string')
    return `redis-cli -h "$(redis-cli -h ${address.sentinels[0]?.host} -p ${address.sentinels[0]?.port} sentinel get-master-addr-by-name ${address.name} | head -1)"`;
  const u = new URL(address);
  const host = u.hostname || '127.0.0.1';
  const port = u.port || '6379';
  if ((host === '127.0.0.1' || host === 'localhost') && port === '6379') return 'redis-cli';
  return `redis-cli -h ${host} -p ${port}`;
}

/**
 * Redis settings that put accepted comments at risk, one line each: what is set, what it can cost, and
 * the one command that fixes it on the running Redis. An eviction policy other than noeviction lets
 * Redis drop queued jobs under memory pressure; without the append-only file a Redis restart loses
 * every job not yet processed.
 */
export function durabilityWarnings(settings: RedisDurability, address: RedisAddress): string[] {
  const cli = redisCli(address);
  const warnings: string[] = [];
  if (settings.maxmemoryPolicy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is ${settings.maxmemoryPolicy}: when Redis is full it may evict queued comments readers were told are accepted. ` +
        `Fix: ${cli} config set maxmemory-policy noeviction`,
    );
  }
  if (settings.appendonly !== 'yes') {
    warnings.push(
      `Redis runs without its append-only file: a Redis restart loses comments accepted but not yet checked. ` +
        `Fix: ${cli} config set appendonly yes (and appendonly yes in redis.conf to keep it)`,
    );
  }
  return warnings;
}

/** A connection for a start-up check: one try, no retries, errors left to the caller's catch. */
function connectForCheck(address: RedisAddress): ReturnType<typeof connectRedis> {
  const redis = connectRedis(address, CHECK_OPTIONS);
  redis.on('error', () => {});
  return redis;
}

/** One node of a cluster as a one-node cluster address, so the fix's redis-cli command names it. */
function nodeAddress(node: Redis, address: RedisAddress): RedisAddress {
  const { host, port } = node.options;
  return host !== undefined && port !== undefined ? { cluster: [{ host, port }] } : address;
}

/**
 * Reads the settings {@link durabilityWarnings} judges from a running Redis. Returns no warnings when
 * CONFIG is not allowed (as on some managed services) or Redis does not answer (the probe says so).
 */
export async function checkRedisDurability(address: RedisAddress): Promise<string[]> {
  const redis = connectForCheck(address);
  try {
    await redis.connect();
    // A cluster's masters each hold part of the data, so each must be durable: the first one that is
    // not is named (its replicas are promoted with their own settings, so those count too).
    const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('all') : [redis];
    for (const node of nodes) {
      const [, maxmemoryPolicy] = (await node.config('GET', 'maxmemory-policy')) as [string, string];
      const [, appendonly] = (await node.config('GET', 'appendonly')) as [string, string];
      const at = isClusterAddress(address) ? nodeAddress(node, address) : address;
      const warnings = durabilityWarnings({ maxmemoryPolicy, appendonly }, at);
      if (warnings.length > 0)
        return isClusterAddress(address)
          ? warnings.map((w) => `${w} (the node named is the first found; each node has its own settings)`)
          : warnings;
    }
    return [];
  } catch {
    return [];
  } finally {
    redis.disconnect();
  }
}

/**
 * On a cluster, which master each submission shard's queue is on (SUBMISSION_SHARDS, `prefixes` shard 0
 * first), as one warning when they share masters they need not (src/queue/queue-prefix.ts). Nothing on
 * one server, with one shard, or when the cluster does not answer (the probe has said so already).
 */
export async function checkShardSpread(address: RedisAddress, prefixes: readonly string[]): Promise<string[]> {
  if (!isClusterAddress(address) || prefixes.length < 2) return [];
  const redis = connectForCheck(address);
  try {
    await redis.connect();
    if (!(redis instanceof Cluster)) return [];
    const shards = [];
    for (const prefix of prefixes) {
      // The slot of a key of the shard's queue, and the master the cluster's slot map gives it.
      const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', `${prefix}:${SUBMISSIONS_QUEUE}:wait`));
      shards.push({ prefix, master: redis.slots[slot]?.[0] ?? '?' });
    }
    const warning = shardSpreadWarning(shards, redis.nodes('master').length);
    return warning === null ? [] : [warning];
  } catch {
    return [];
  } finally {
    redis.disconnect();
  }
}
