import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, configWarnings, loadConfig, type Config } from '../config.js';
import { projectRoot } from '../paths.js';
import { checkRedisDurability, checkShardSpread, probePostgres, probeRedis } from '../service-checks.js';
import { submissionShardPrefixes, submissionShardsProblem } from '../queue/queue-prefix.js';
import { redisAddressOf } from '../redis.js';

/**
 * Set by a supervising process (start, api-cluster) in its children's environment: the parent has
 * already printed the start-up warnings. Internal, not a setting.
 */
export const CHECKED_BY_PARENT = 'REPLY_DESK_CHECKED_BY';

/**
 * Start-up of every process: read the configuration and check that Postgres and Redis answer. On any
 * problem print one clear line per problem to stderr and exit 1: no stack traces for a newcomer.
 */
/** Exit code of a process that cannot run as configured (sysexits' EX_CONFIG): a supervisor does not restart it. */
export const EXIT_CONFIG = 78;

export async function exitOnStartupProblem(processName: string): Promise<Config> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`reply-desk ${processName}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Before connecting: a prefix that would spread a queue over cluster slots is a setting to change,
  // not an outage to wait out (EXIT_CONFIG: a supervisor does not restart it). Braces on one server are
  // judged too: they can only mean a hash tag, and a broken one is a mistake there as well.
  // Each submission shard's prefix is judged the same way, and on a cluster their tags must differ.
  const prefixProblem = submissionShardsProblem(
    config.QUEUE_PREFIX,
    config.SUBMISSION_SHARDS,
    Boolean(config.REDIS_CLUSTER_NODES),
  );
  if (prefixProblem !== null) {
    process.stderr.write(`reply-desk ${processName}: ${prefixProblem}\n`);
    process.exit(EXIT_CONFIG);
  }
  const problems = (await Promise.all([probePostgres(config.DATABASE_URL), probeRedis(redisAddressOf(config))])).filter(
    (p): p is string => p !== null,
  );
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`reply-desk ${processName}: ${p}\n`);
    process.exit(1);
  }
  // A process that `npm start` or the API cluster started leaves the warnings to its parent, which
  // prints them once, instead of once per process (see CHECKED_BY_PARENT).
  if (process.env[CHECKED_BY_PARENT] === undefined) {
    const redis = redisAddressOf(config);
    const shardPrefixes = submissionShardPrefixes(config.QUEUE_PREFIX, config.SUBMISSION_SHARDS);
    const warnings = [
      ...configWarnings(config),
      ...(await checkRedisDurability(redis)),
      ...(await checkShardSpread(redis, shardPrefixes)),
    ];
    for (const w of warnings) process.stderr.write(`reply-desk ${processName}: WARNING: ${w}\n`);
  }
  return config;
}

/** Reads `.env` at the project root if there is one; variables already set in the environment win. */
export function loadDotEnv(): void {
  const file = join(projectRoot, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
