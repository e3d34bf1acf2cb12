import { z } from 'zod';
import { toClusterPrefix } from './queue/queue-prefix.js';

/** `host:port,host:port,…` (REDIS_SENTINELS, REDIS_CLUSTER_NODES); IPv6 hosts in brackets. */
const HOST_PORTS = /^(\s*(\[[^\]]+\]|[^:,\s]+):\d{1,5}\s*)(,\s*(\[[^\]]+\]|[^:,\s]+):\d{1,5}\s*)*$/;

/**
 * Every environment variable Reply Desk reads, validated once at start-up. Entry files call
 * {@link loadConfig}; nothing else reads `process.env`. `.env.example` documents the same keys.
 */
const configShape = z.object({
  /**
   * Postgres connection string. The database is created by `npm start` / `reply-desk migrate` if missing.
   * @defaultValue postgres://postgres@127.0.0.1:5432/reply_desk
   */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' })
    .default('postgres://postgres@127.0.0.1:5432/reply_desk'),
  /**
   * Postgres for the API's public reads (threads and counts), e.g. a streaming replica. Everything else,
   * the workers and the moderators' desk use DATABASE_URL. A replica lags by its replay delay, so a
   * just-approved comment may show a moment later. @defaultValue DATABASE_URL
   */
  DATABASE_READ_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' }).optional(),
  /**
   * A read replica (DATABASE_READ_URL) more than this far behind the primary is skipped: public reads go
   * to the primary until it catches up. Measured by comparing WAL positions, probed every quarter of
   * this (at most every second); an idle primary does not count as lag. @defaultValue 5000
   */
  READ_REPLICA_MAX_LAG_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /**
   * `off` sends every query as an unnamed statement: for PgBouncer in transaction mode before 1.21 (or
   * without `max_prepared_statements`), which hands a session's named statements to other clients'
   * server connections. `on` prepares the hot queries once per connection. @defaultValue on
   */
  DB_PREPARED_STATEMENTS: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /**
   * API processes `api-cluster.js` runs on this machine (node:cluster; they share the port). Each has
   * its own DB_POOL_SIZE connections. The plain `api.js` entry ignores it. @defaultValue 1
   */
  API_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** Redis connection string for the BullMQ queues. @defaultValue redis://127.0.0.1:6379 */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /**
   * Redis Sentinel (issue 18): `host:port,host:port,…` of the sentinels. Set, every process asks them
   * for the master named REDIS_SENTINEL_NAME (a failover needs no proxy) and REDIS_URL gives only its
   * password and database number. @defaultValue (unset: REDIS_URL)
   */
  REDIS_SENTINELS: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v === '' || HOST_PORTS.test(v), { message: 'must be host:port,host:port,…' }),
  /** The master's name in the sentinels' configuration (`sentinel monitor NAME …`). @defaultValue mymaster */
  REDIS_SENTINEL_NAME: z.string().trim().min(1).default('mymaster'),
  /**
   * Redis Cluster (issue 18): `host:port,host:port,…` of some of its nodes. Set, every process connects
   * through ioredis' Cluster client, REDIS_URL gives only the nodes' user, password and TLS (rediss://),
   * and QUEUE_PREFIX is hash-tagged when it has no braces (`reply-desk` → `{reply-desk}`) so every key
   * of ours lives in one slot. Not together with REDIS_SENTINELS. @defaultValue (unset: REDIS_URL)
   */
  REDIS_CLUSTER_NODES: z
    .string()
    .trim()
    .optional()
    .refine((v) => v === undefined || v === '' || HOST_PORTS.test(v), { message: 'must be host:port,host:port,…' }),
  /**
   * Replicas that must hold a submission before intake answers 202 (Redis WAIT after the enqueue): with
   * a replica that a failover may promote (Sentinel, Cluster), 1 keeps an accepted comment from being
   * lost with a master that dies before replicating it. Fewer replicas acknowledging within
   * REDIS_WAIT_TIMEOUT_MS is 503 QUEUE_UNAVAILABLE (the job stays queued; a retry with the same
   * idempotency key is stored once). 0: no wait. @defaultValue 0
   */
  REDIS_WAIT_REPLICAS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long intake waits for REDIS_WAIT_REPLICAS to acknowledge. @defaultValue 500 */
  REDIS_WAIT_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /** HTTP port of the API. @defaultValue 3000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the API listens on. @defaultValue 0.0.0.0 */
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * The address readers use to reach this service. Used for absolute `statusUrl`s, the demo pages'
   * script addresses and the demo site's allowed origins. Unset, it follows PORT, so `PORT=4100` alone
   * gives a working demo. @defaultValue http://localhost:$PORT
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** pino log level. @defaultValue info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Prefix of every Redis key of ours (queues, counters, sessions); lets several installs (or test runs)
   * share one Redis. On Redis Cluster a hash tag in braces (`{reply-desk}`) keeps all of them in one
   * slot, as BullMQ's scripts and ours need: without braces it is added (REDIS_CLUSTER_NODES), and a
   * prefix whose braces make no tag is refused at start (src/queue/queue-prefix.ts). @defaultValue reply-desk
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:{}-]*$/, 'letters, digits, _ . : - and braces for a {hash tag} only (1-64)')
    .min(1)
    .max(64)
    .default('reply-desk'),
  /**
   * Queues submissions are spread over (issue 18). Shard 0 is QUEUE_PREFIX's `submissions` queue as
   * ever; shard i is the same queue under a prefix with a hash tag of its own (`{reply-desk-s1}`), so on
   * Redis Cluster intake's writes go to several masters. On one server it buys nothing. A comment's
   * shard follows from its id; every worker consumes every shard. Drain the queues before changing it
   * (README, Scale-out). @defaultValue 1
   */
  SUBMISSION_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
  /** Jobs one worker process runs at once. The checks are IO-bound, so this can be high. @defaultValue 32 */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /**
   * How long a worker holds a job's lock without renewing it, and how often workers look for the jobs
   * of dead ones. A worker that dies (SIGKILL, power loss) has its jobs picked up again within about
   * twice this. @defaultValue 30000
   */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Most comments written to Postgres in one statement by a worker. @defaultValue 100 */
  WRITE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  /** Postgres connections per process. @defaultValue 10 */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * How long the API waits for Redis to accept a submission before answering 503. Keeps requests from
   * hanging when Redis stalls. @defaultValue 2000
   */
  ENQUEUE_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /**
   * Express `trust proxy`: which proxies may set `X-Forwarded-For` (the reader's IP is used by the flood
   * rule). Empty trusts none; e.g. `loopback` or `10.0.0.0/8,172.16.0.0/12`. @defaultValue (empty)
   */
  TRUST_PROXY: z.string().default(''),
  /** How long a stopping process waits for in-flight requests and jobs. @defaultValue 10000 */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Key that signs moderators' session cookies (32+ characters). Unset: one is generated on first start
   * and kept in Postgres, so every API process shares it. @defaultValue (generated)
   */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A moderator's session ends after this many minutes without a request. @defaultValue 120 */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(43_200).default(120),
  /**
   * Allow webhook deliveries to private, loopback and link-local addresses (10.x, 127.x, 169.254.x, ::1 …).
   * Off, such targets are refused when the connection is made (SSRF guard), also for names that resolve
   * to them. Turn on only for an intranet install (and in tests). @defaultValue false
   */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** How long one webhook delivery attempt may take (connect, send, answer) before it counts as failed. @defaultValue 5000 */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /**
   * How long a worker waits for a site's external check hook that has no timeout of its own before
   * holding the comment (EXTERNAL_CHECK_UNAVAILABLE). Hooks obey WEBHOOK_ALLOW_PRIVATE. @defaultValue 2000
   */
  CHECK_HOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(2000),
  /**
   * SMTP server for notices, e.g. `smtp://user:pass@mail.example:587` or `smtps://mail.example:465`.
   * Unset: no mail is sent (held-comment notices and reply notices are off). @defaultValue (unset)
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The From of every notice. @defaultValue Reply Desk <reply-desk@localhost> */
  MAIL_FROM: z.string().min(3).max(300).default('Reply Desk <reply-desk@localhost>'),
  /**
   * A moderator gets at most one held-comment mail per this many minutes; the first held comment is
   * mailed within about half a minute, later ones wait for the next digest. @defaultValue 10
   */
  EMAIL_DIGEST_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** How long the one-click approve / reject / spam links in held-comment mails work. @defaultValue 48 */
  MAIL_LINK_HOURS: z.coerce.number().int().min(1).max(720).default(48),
  /** Create the `demo` site and serve the demo article at `/`. @defaultValue true */
  DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /**
   * Postgres `statement_timeout` of the API's and workers' connections (ms; 0: none). Each query also
   * gives up on the client side 5 s after this, so a stalled network cannot hold a request or a job.
   * @defaultValue 30000
   */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  /**
   * Bearer token for `GET /metrics` on the API (`Authorization: Bearer …`), and on a worker's metrics
   * server when it has one. Unset: the API does not serve /metrics at all. @defaultValue (none)
   */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * Port of a worker's own metrics server (`GET /metrics`, Prometheus format). Unset: the worker serves
   * none. Several workers on one host need one port each. @defaultValue (none)
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Interface a worker's metrics server listens on. @defaultValue 127.0.0.1 */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Akismet API key. Set, every comment the local rules would not already refuse or mark as spam is
   * also checked by Akismet (which then sees the reader's IP, user agent, name, email and text), and
   * moderators' overrides are reported back. Unset: Akismet is off and nothing leaves the server.
   * @defaultValue (none)
   */
  AKISMET_KEY: z.string().min(1).optional(),
  /** Akismet's REST endpoint (overridable for tests and proxies). @defaultValue https://rest.akismet.com/1.1 */
  AKISMET_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .default('https://rest.akismet.com/1.1')
    .transform((u) => u.replace(/\/+$/, '')),
  /** How long a worker waits for Akismet before holding the comment and rechecking it later. @defaultValue 3000 */
  AKISMET_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  /**
   * First delay of the recheck of a comment held because Akismet was down; each further try waits
   * twice as long (12 tries, at most about 34 hours in all at the default, 17–34 h with jitter). @defaultValue 60000
   */
  AKISMET_RECHECK_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /** Send `is_test=1` with every Akismet call (staging: Akismet then does not learn from them). @defaultValue false */
  AKISMET_TEST: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
  /** Surge mode's short window: a site's "rate now" is its submissions over about this long. @defaultValue 60 */
  SURGE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Surge mode's baseline: a site's normal rate is its average over about this long. @defaultValue 86400 */
  SURGE_BASELINE_SECONDS: z.coerce
    .number()
    .int()
    .min(2)
    .max(30 * 86_400)
    .default(86_400),
  /** Surge mode stays on at least this long after the rate last looked like a surge. @defaultValue 600 */
  SURGE_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
});

// PUBLIC_URL's default depends on PORT, and the queue prefix on whether Redis is a cluster, so both are
// filled in once the keys are read.
const configSchema = configShape
  .refine((c) => !(c.REDIS_CLUSTER_NODES && c.REDIS_SENTINELS), {
    message: 'give REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both',
    path: ['REDIS_CLUSTER_NODES'],
  })
  .transform((c) => ({
    ...c,
    PUBLIC_URL: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
    QUEUE_PREFIX: c.REDIS_CLUSTER_NODES ? toClusterPrefix(c.QUEUE_PREFIX) : c.QUEUE_PREFIX,
  }));

/** Every key Reply Desk reads, in schema order (docker-compose.yml and .env.example must pass each one). */
export const configKeys: readonly string[] = Object.keys(configShape.shape);

export type Config = z.output<typeof configSchema>;

/** Thrown when the environment does not describe a runnable service; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every setting from `env`; empty strings count as unset so `.env` files can leave keys blank. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of configKeys) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.');
        return `${key}=${JSON.stringify(input[key] ?? '')}: ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Settings that are valid but almost certainly not meant, one line each. Today: a PUBLIC_URL on this
 * machine whose port is not PORT, so the demo pages would load their scripts from a port nothing
 * listens on (the usual cause is a PORT changed in the shell while `.env` keeps an old PUBLIC_URL).
 * Behind a proxy on the same machine this is deliberate, hence a warning and not an error.
 */
export function configWarnings(config: Pick<Config, 'PORT' | 'PUBLIC_URL'>): string[] {
  if (config.PORT === 0) return [];
  const url = new URL(config.PUBLIC_URL);
  if (!LOCAL_HOSTS.has(url.hostname)) return [];
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (port === config.PORT) return [];
  return [
    `PUBLIC_URL=${config.PUBLIC_URL} is on this machine but on port ${port}, while the API listens on PORT=${config.PORT}: ` +
      `links and the demo pages' scripts point at port ${port}. Unset PUBLIC_URL (it then follows PORT) unless a proxy listens there.`,
  ];
}
