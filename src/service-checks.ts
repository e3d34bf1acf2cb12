import pg from 'pg';
import { Redis } from 'ioredis';

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

/** Returns null when Redis answers PING, else the one-line problem. */
export async function probeRedis(redisUrl: string): Promise<string | null> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return (
      `Redis is not reachable at ${hostOf(redisUrl)} (REDIS_URL): ${reasonOf(err)}. ` +
      `Start it with 'redis-server --daemonize yes --appendonly yes' or 'docker compose up -d redis', or set REDIS_URL.`
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Redis settings that put accepted comments at risk: an eviction policy other than noeviction lets
 * Redis drop queued jobs under memory pressure; without the append-only file a Redis restart loses
 * every job not yet processed. Returns one warning line per risk (none when CONFIG is not allowed, as
 * on some managed services).
 */
export async function checkRedisDurability(redisUrl: string): Promise<string[]> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    const [, aof] = (await redis.config('GET', 'appendonly')) as [string, string];
    const warnings: string[] = [];
    if (policy !== 'noeviction') {
      warnings.push(
        `Redis maxmemory-policy is "${policy}": under memory pressure Redis may evict queued comments. Set maxmemory-policy noeviction.`,
      );
    }
    if (aof !== 'yes') {
      warnings.push(
        'Redis runs without the append-only file: comments queued but not yet checked are lost if Redis restarts. Set appendonly yes (and appendfsync always for no loss at all).',
      );
    }
    return warnings;
  } catch {
    return [];
  } finally {
    redis.disconnect();
  }
}
