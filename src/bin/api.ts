import { once } from 'node:events';
import { createApp } from '../http/app.js';
import { trackInFlight } from '../http/kit/http-drain.js';
import { createSiteDirectory } from '../http/kit/site-directory.js';
import { createLogger } from '../logger.js';
import { createApiMetrics } from '../metrics/api-metrics.js';
import { createBulkQueue } from '../queue/bulk-queue.js';
import { createMaintenanceQueue } from '../queue/maintenance-queue.js';
import { createTrainingQueue } from '../queue/training-queue.js';
import { createCommentEventsQueue } from '../queue/comment-events-queue.js';
import { createEmailQueue } from '../queue/email-queue.js';
import { createLiveFeed, createSubscriberRedis } from '../queue/live-events.js';
import { createThreadAnnouncer, createThreadFeed } from '../queue/live-threads.js';
import { createSubmissionShards } from '../queue/submission-shards.js';
import { createEditsQueue } from '../queue/edits-queue.js';
import { notifyAppealOpened } from '../notify/appeal-opened.js';
import { createDeskNoticesQueue } from '../queue/desk-notices-queue.js';
import { createProducerRedis, redisAddressOf } from '../redis.js';
import { createDedicatedClient, createPool } from '../store/db.js';
import { createReadRouter } from '../store/replica/read-router.js';
import { loadOrCreateSecret } from '../store/secrets.js';
import { createFormTokens } from '../flood/form-token.js';
import { createUsedFormTokens } from '../flood/used-form-tokens.js';
import { createIntakeGuard } from '../flood/intake-guard.js';
import { EXIT_CONFIG, exitOnStartupProblem } from './startup.js';

// Entry file of the API process: reads the environment, connects, listens, and stops on SIGTERM.
const config = await exitOnStartupProblem('api');
const logger = createLogger(config.LOG_LEVEL, 'api');
const statements = { preparedStatements: config.DB_PREPARED_STATEMENTS };
const pool = createPool(
  config.DATABASE_URL,
  config.DB_POOL_SIZE,
  { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS },
  statements,
);
// Public thread and count reads may go to a replica; everything that writes or must see its own writes
// (a reader's own status, the whole desk) stays on `pool`. The lag guard sends reads back to `pool` while
// the replica is more than READ_REPLICA_MAX_LAG_MS behind.
const replicaPool = config.DATABASE_READ_URL
  ? createPool(
      config.DATABASE_READ_URL,
      config.DB_POOL_SIZE,
      { statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS },
      statements,
    )
  : undefined;
const readRouter = replicaPool
  ? createReadRouter({
      primary: pool,
      replica: replicaPool,
      maxLagMs: config.READ_REPLICA_MAX_LAG_MS,
      onSwitch: (to, lagMs) =>
        to === 'primary'
          ? logger.warn({ lagMs }, 'read replica behind or unreachable; public reads go to the primary')
          : logger.info({ lagMs }, 'read replica caught up; public reads go to it again'),
    })
  : undefined;
const redisAddress = redisAddressOf(config);
const redis = createProducerRedis(redisAddress);
// SUBMISSION_SHARDS queues (one by default): each comment goes to its id's shard, each shard's batch
// waits for its own master's replicas.
const submissions = createSubmissionShards(redis, config.QUEUE_PREFIX, config.SUBMISSION_SHARDS, {
  waitReplicas: { replicas: config.REDIS_WAIT_REPLICAS, timeoutMs: config.REDIS_WAIT_TIMEOUT_MS },
});
const bulkQueue = createBulkQueue(redis, config.QUEUE_PREFIX);
// People's decisions (desk, mail links) are learned from through it; its depth is on /metrics and the admins' queue board.
const trainingQueue = createTrainingQueue(redis, config.QUEUE_PREFIX);
// Read only here: its depth for /metrics and the admins' queue board.
const maintenanceQueue = createMaintenanceQueue(redis, config.QUEUE_PREFIX);
// Comment events (webhooks, reply mails) from the desk, mail links and readers' flags.
const eventsQueue = createCommentEventsQueue(redis, config.QUEUE_PREFIX);
// Authors' edits of their own comments (PATCH /api/comments/:id), checked by the edit worker.
const editsQueue = createEditsQueue(redis, config.QUEUE_PREFIX);
// Desk notices (brigades, held comments and appeals to mail, chats and webhooks): read here for
// /metrics and the queue board; notifyAppealOpened (src/notify/appeal-opened.ts) queues on it.
const noticesQueue = createDeskNoticesQueue(redis, config.QUEUE_PREFIX);
// Readers' sign-in links go out through the workers' mail queue; without SMTP_URL email sign-in is off.
const emailQueue = config.SMTP_URL === undefined ? undefined : createEmailQueue(redis, config.QUEUE_PREFIX);
// Every queue the API opens is on /metrics and the admins' queue board: a stuck edit or sign-in mail shows there.
const queues = [
  ...submissions.all(),
  bulkQueue,
  trainingQueue,
  maintenanceQueue,
  eventsQueue,
  editsQueue,
  noticesQueue,
  ...(emailQueue ? [emailQueue] : []),
];
// A queue re-emits its connection's errors; unheard they would reach console.error on every reconnect.
for (const q of queues)
  q.on('error', (err: Error) => logger.debug({ queue: q.name, err: err.message }, 'queue connection error'));
const metrics = createApiMetrics({ pool, queues, token: config.METRICS_TOKEN, readRouter });
// Site changes arrive within a second by LISTEN/NOTIFY (sql/0024); the 5 s refresh is the net under it.
const sites = createSiteDirectory(pool, {
  refreshMs: 5000,
  missRefreshMs: 1000,
  listenClient: () => createDedicatedClient(config.DATABASE_URL, 'reply-desk site changes'),
  onListenError: (err) => logger.warn({ err: err.message }, 'site changes connection lost; reconnecting in 1 s'),
});
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
  connect: () => createSubscriberRedis(redisAddress),
  prefix: config.QUEUE_PREFIX,
  onError: (err) => logger.warn({ err: err.message }, 'live queue subscription problem'),
});
// Readers' live threads (GET /api/live): a second subscriber, also opened when a reader first listens;
// announcements (votes, moderators' decisions, flags, authors' deletes) go out on the producer connection.
const liveThreads = {
  announce: createThreadAnnouncer(redis, config.QUEUE_PREFIX),
  feed: createThreadFeed({
    connect: () => createSubscriberRedis(redisAddress),
    prefix: config.QUEUE_PREFIX,
    onError: (err) => logger.warn({ err: err.message }, 'live threads subscription problem'),
  }),
  redis,
  prefix: config.QUEUE_PREFIX,
};
const sessionSecret = config.SESSION_SECRET ?? (await loadOrCreateSecret(pool, 'session'));
// Form tokens are signed with a secret kept in Postgres, so every API process checks every other's.
const formTokens = createFormTokens(await loadOrCreateSecret(pool, 'form-token'));
const usedFormTokens = createUsedFormTokens({ redis, prefix: config.QUEUE_PREFIX, logger });
// Rate limits and surge mode, counted in Redis on the producer connection (one script call per submission).
const intakeGuard = createIntakeGuard({
  redis,
  prefix: config.QUEUE_PREFIX,
  logger,
  windows: {
    rateWindowMs: 60_000,
    surgeWindowMs: config.SURGE_WINDOW_SECONDS * 1000,
    surgeBaselineMs: config.SURGE_BASELINE_SECONDS * 1000,
    surgeCooldownMs: config.SURGE_COOLDOWN_SECONDS * 1000,
  },
});
const app = createApp({
  db: pool,
  readDb: readRouter ?? pool,
  redis,
  queue: submissions,
  training: trainingQueue,
  events: eventsQueue,
  edits: editsQueue,
  sites,
  logger,
  publicUrl: config.PUBLIC_URL,
  enqueueTimeoutMs: config.ENQUEUE_TIMEOUT_MS,
  trustProxy: config.TRUST_PROXY,
  demo: config.DEMO,
  formTokens,
  usedFormTokens,
  intakeGuard,
  replyMail: config.SMTP_URL !== undefined,
  emailQueue,
  dashboard: {
    redis,
    prefix: config.QUEUE_PREFIX,
    sessionSecret,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    secureCookies: config.PUBLIC_URL.startsWith('https:'),
    liveFeed,
    bulkQueue,
    boardQueues: queues,
  },
  metrics,
  liveThreads,
  // Each new appeal (issue 16, item 5) is told to the site's chat targets that want it (item 7).
  onAppealOpened: (a) =>
    notifyAppealOpened(noticesQueue, {
      siteId: a.siteId,
      appealId: String(a.appealId),
      commentId: a.commentId,
      deskPath: '/admin/appeals',
    }),
});
const server = app.listen(config.PORT, config.HOST);
try {
  await once(server, 'listening');
} catch (err) {
  // A taken or forbidden port is a setting to change, not a crash to restart: one line, and the exit
  // code the supervisor (start.ts) reads as "do not restart".
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'is already in use (another Reply Desk, or another program)'
      : `cannot be opened (${code ?? String(err)})`;
  process.stderr.write(
    `reply-desk api: port ${config.PORT} on ${config.HOST} ${why}. Stop what listens there, or start with another PORT (e.g. PORT=${config.PORT + 100}).\n`,
  );
  process.exit(EXIT_CONFIG);
}
logger.info({ port: config.PORT, host: config.HOST, publicUrl: config.PUBLIC_URL }, 'api listening');
if (process.send) process.send('ready');

let stopping = false;
const inFlight = trackInFlight(server);
// Once stopping, every answer closes its connection, so clients move to another process.
server.prependListener('request', (_req, res) => {
  if (stopping) res.setHeader('Connection', 'close');
});
const serverClosed = once(server, 'close');
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api stopping: finishing in-flight requests');
  // Which step a stop is in, so a forced exit says what it was waiting for.
  let step = 'closing the listener';
  const force = setTimeout(() => {
    logger.error({ step, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, `api stop timed out while ${step}; exiting 1`);
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);
  force.unref();
  // Stop accepting, let requests in flight finish (their jobs are queued before they answer), then close.
  server.close();
  // Open live streams never finish by themselves: closing the feed ends them (browsers reconnect elsewhere).
  step = 'ending live queue streams';
  await liveFeed.close();
  await liveThreads.feed.close();
  step = 'finishing in-flight requests';
  await inFlight.drained();
  // Nothing is being answered: what is left are keep-alive sockets between requests, closed here
  // rather than waited for (a client decides when it closes them).
  step = 'closing connections';
  server.closeAllConnections();
  await serverClosed;
  await sites.close();
  step = 'closing the queues';
  await submissions.close();
  await bulkQueue.close();
  await trainingQueue.close();
  await maintenanceQueue.close();
  await eventsQueue.close();
  await editsQueue.close();
  await noticesQueue.close();
  await emailQueue?.close();
  redis.disconnect();
  step = 'closing the Postgres pool';
  await pool.end();
  readRouter?.close();
  await replicaPool?.end();
  logger.info('api stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
