import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { cliCommands, type CliContext } from '../cli/command-table.js';
import { formatUsage, resolveCommand } from '../cli/resolve-command.js';
import { UsageError } from '../cli/site-commands.js';
import { projectRoot } from '../paths.js';
import { probePostgres } from '../service-checks.js';
import { loadDotEnv } from './startup.js';

// Entry file of the `reply-desk` command: the table (src/cli/command-table.ts) says what each command is.

class EnvironmentProblem extends Error {}

const context: CliContext = {
  print: (line) => void process.stdout.write(`${line}\n`),
  log: (line) => void process.stderr.write(`${line}\n`),
  progress: (line) => void (process.stderr.isTTY ? process.stderr.write(`\r${line}   `) : undefined),
  // Read only when a handler asks: `--help`, `--version` and `spam eval` touch neither .env nor Postgres.
  config: async (): Promise<Config> => {
    loadDotEnv();
    const config = loadConfig(process.env);
    const problem = await probePostgres(config.DATABASE_URL);
    if (problem) throw new EnvironmentProblem(problem);
    return config;
  },
};

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

async function main(argv: string[]): Promise<number> {
  const resolved = resolveCommand(cliCommands, argv);
  if (resolved.kind === 'help') {
    process.stdout.write(`${resolved.text}\n`);
    return 0;
  }
  if (resolved.kind === 'version') {
    process.stdout.write(`reply-desk ${packageVersion()}\n`);
    return 0;
  }
  if (resolved.kind === 'usage-error') {
    process.stderr.write(`reply-desk: ${resolved.text}\n`);
    return 2;
  }
  try {
    return await resolved.command.run(context, resolved.args);
  } catch (err) {
    // An unknown option or a missing value: the message, then this command's usage.
    if ((err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${(err as Error).message}\n${formatUsage([resolved.command])}`);
    }
    throw err;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError || err instanceof ConfigError) {
    process.stderr.write(`reply-desk: ${err.message}\n`);
    process.exitCode = 2;
  } else if (err instanceof EnvironmentProblem) {
    process.stderr.write(`reply-desk: ${err.message}\n`);
    process.exitCode = 1;
  } else if ((err as { code?: string }).code === '42P01') {
    process.stderr.write(`reply-desk: the database is not set up: run 'reply-desk migrate' first\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`reply-desk: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
