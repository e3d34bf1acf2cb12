import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { projectRoot } from '../paths.js';
import { checkRedisDurability, probePostgres, probeRedis } from '../service-checks.js';

/**
 * Start-up of every process: read the configuration and check that Postgres and Redis answer. On any
 * problem print one clear line per problem to stderr and exit 1: no stack traces for a newcomer.
 */
export async function exitOnStartupProblem(
  processName: string,
  opts: { durabilityWarnings?: boolean } = {},
): Promise<Config> {
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
  const problems = (await Promise.all([probePostgres(config.DATABASE_URL), probeRedis(config.REDIS_URL)])).filter(
    (p): p is string => p !== null,
  );
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`reply-desk ${processName}: ${p}\n`);
    process.exit(1);
  }
  if (opts.durabilityWarnings !== false) {
    // Loud on purpose: one quiet line among JSON logs is how a lossy Redis goes unnoticed for months.
    const warnings = await checkRedisDurability(config.REDIS_URL);
    if (warnings.length > 0) {
      const rule = '!'.repeat(100);
      process.stderr.write(
        `${rule}\nreply-desk ${processName}: WARNING: this Redis can lose comments readers were told are accepted:\n` +
          warnings.map((w) => `reply-desk ${processName}: WARNING: ${w}\n`).join('') +
          `${rule}\n`,
      );
    }
  }
  return config;
}

/** Reads `.env` at the project root if there is one; variables already set in the environment win. */
export function loadDotEnv(): void {
  const file = join(projectRoot, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}
