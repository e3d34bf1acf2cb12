import { once } from 'node:events';
import { createApp } from '../api/app.js';
import { createSiteDirectory } from '../api/site-directory.js';
import { createLogger } from '../logger.js';
import { createBulkQueue } from '../queue/bulk-queue.js';
import { createLiveFeed, createSubscriberRedis } from '../queue/live-events.js';
import { createSubmissionsQueue } from '../queue/submissions-queue.js';
import { createProducerRedis } from '../redis.js';
import { createPool } from '../store/db.js';
import { loadOrCreateSecret } from '../store/secrets.js';
import { exitOnStartupProblem } from './startup.js';

// Entry file of the API process: reads the environment, connects, listens, and stops on SIGTERM.
const config = await exitOnStartupProblem('api');
const logger = createLogger(config.LOG_LEVEL, 'api');
const pool = createPool(config.DATABASE_URL, config.DB_POOL_SIZE);
const redis = createProducerRedis(config.REDIS_URL);
const queue = createSubmissionsQueue(redis, config.QUEUE_PREFIX);
const bulkQueue = createBulkQueue(redis, config.QUEUE_PREFIX);
const sites = createSiteDirectory(pool, { refreshMs: 5000, missRefreshMs: 1000 });
try {
  await sites.refresh();
} catch (err) {
  const code = (err as { code?: string }).code;
  process.stderr.write(
    code === '3D000' || code === '42P01'
      ? `reply-desk api: the database is not set up: run 'npx reply-desk migrate' (or 'npm start', which does it).\n`
      : `reply-desk api: cannot read sites from Postgres: ${(err as Error).message}\n`,
  );
  process.exit(1);
}

// One subscriber connection per API process for the live queue, opened when a dashboard first listens.
const liveFeed = createLiveFeed({
  connect: () => createSubscriberRedis(config.REDIS_URL),
  prefix: config.QUEUE_PREFIX,
  onError: (err) => logger.warn({ err: err.message }, 'live queue subscription problem'),
});
const sessionSecret = config.SESSION_SECRET ?? (await loadOrCreateSecret(pool, 'session'));
const app = createApp({
  db: pool, redis, queue, sites, logger, publicUrl: config.PUBLIC_URL, enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  trustProxy: config.TRUST_PROXY, demo: config.DEMO,
  dashboard: {
    redis, prefix: config.QUEUE_PREFIX, sessionSecret, idleMinutes: config.SESSION_IDLE_MINUTES,
    secureCookies: config.PUBLIC_URL.startsWith('https:'), liveFeed, bulkQueue,
  },
});
const server = app.listen(config.PORT, config.HOST);
await once(server, 'listening');
logger.info({ port: config.PORT, host: config.HOST, publicUrl: config.PUBLIC_URL }, 'api listening');
if (process.send) process.send('ready');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api stopping: finishing in-flight requests');
  const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  // Stop accepting, let requests in flight finish (their jobs are queued before they answer), then close.
  server.close();
  // Open live streams never finish by themselves: closing the feed ends them (browsers reconnect elsewhere).
  await liveFeed.close();
  server.closeIdleConnections();
  await once(server, 'close');
  sites.close();
  await queue.close();
  await bulkQueue.close();
  redis.disconnect();
  await pool.end();
  logger.info('api stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
