import { z } from 'zod';

/**
 * Every environment variable Reply Desk reads, validated once at start-up. Entry files call
 * {@link loadConfig}; nothing else reads `process.env`. `.env.example` documents the same keys.
 */
const configSchema = z.object({
  /**
   * Postgres connection string. The database is created by `npm start` / `reply-desk migrate` if missing.
   * @defaultValue postgres://postgres@127.0.0.1:5432/reply_desk
   */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// URL' })
    .default('postgres://postgres@127.0.0.1:5432/reply_desk'),
  /** Redis connection string for the BullMQ queues. @defaultValue redis://127.0.0.1:6379 */
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, message: 'must be a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379'),
  /** HTTP port of the API. @defaultValue 3000 */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the API listens on. @defaultValue 0.0.0.0 */
  HOST: z.string().min(1).default('0.0.0.0'),
  /**
   * The address readers use to reach this service. Used for absolute `statusUrl`s and as the demo
   * site's allowed origin. @defaultValue http://localhost:3000
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
    .default('http://localhost:3000')
    .transform((u) => u.replace(/\/+$/, '')),
  /** pino log level. @defaultValue info */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix of every BullMQ key in Redis; lets several installs (or test runs) share one Redis. @defaultValue reply-desk */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits and _ . : - only (1-64)')
    .default('reply-desk'),
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
  /** Create the `demo` site and serve the demo article at `/`. @defaultValue true */
  DEMO: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});

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
  for (const key of Object.keys(configSchema.shape)) {
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
