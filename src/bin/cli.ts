import { Redis } from 'ioredis';
import { ConfigError, loadConfig } from '../config.js';
import { runExportCommand } from '../cli/export-commands.js';
import { runImportCommand } from '../cli/import-commands.js';
import { runModeratorCommand } from '../cli/moderator-commands.js';
import { runPageCommand } from '../cli/page-commands.js';
import { runPageCloseCommand } from '../cli/page-close-commands.js';
import { runAuthorCommand } from '../cli/author-commands.js';
import { runSiteDeleteCommand } from '../cli/site-delete-command.js';
import { runPrivacyCommand } from '../cli/privacy-commands.js';
import { readPassword } from '../cli/read-password.js';
import { runSiteCommand, UsageError } from '../cli/site-commands.js';
import { runSpamEval, runSpamTrain } from '../cli/spam-commands.js';
import { loadDotEnv } from './startup.js';
import { probePostgres } from '../service-checks.js';
import { ensureDemoSite } from '../demo-site.js';
import { createPool, type Pool } from '../store/db.js';
import { prepareDatabase } from '../store/migrate.js';

/**
 * Operators' commands (imports, exports, erasure, seeding) may rightly run one statement for minutes,
 * so they have no statement timeout; the API's and workers' pools keep DB_STATEMENT_TIMEOUT_MS.
 */
function cliPool(url: string, size: number): Pool {
  return createPool(url, size, { statementTimeoutMs: 0 });
}

// Entry file of the `reply-desk` command.
const usage = `usage: reply-desk <command>
  migrate                                   create the database if missing, apply pending migrations, create the demo site (DEMO=true)
  site list                                 list sites (id, name, origins, settings)
  site add ID --name NAME --origin URL…     add a site; --settings '{"requireEmail":false}' to change settings
  site update ID [--name] [--origin…] [--settings JSON]   change a site (settings are merged)
  site delete ID --yes                      delete a site and all its comments, pages, webhooks… (cannot be undone)
  moderator add EMAIL [--role admin|moderator] [--name NAME] [--site ID…]
                                            create an account (or reset its password); the password is read
                                            from a prompt, or from stdin when piped
  moderator list                            list accounts
  page title SITE PAGE "Title"              confirm a page's title (mails, feeds and webhooks show only confirmed titles)
  page suggestions SITE                     list pages whose title is only a submission's suggestion
  page close SITE PAGE | page open SITE PAGE   close a page's thread to new comments, or reopen it
  author trust|untrust SITE EMAIL           trust an author (their comments skip the hold rules), or take it back
  author trusted SITE                       list a site's trusted authors
  import wordpress|disqus|json FILE --site ID [--dry-run]
                                            import comments (WordPress WXR, Disqus XML, or our JSON export);
                                            prints a report; running it again adds nothing
  export --site ID [--format json|wxr] [--out FILE]
                                            export a site's pages and comments (JSON by default, to stdout)
  privacy export EMAIL [--site ID]          print everything stored about a commenter, as JSON
  privacy erase EMAIL [--site ID] [--yes]   erase a commenter's data (without --yes: only say what)
  spam eval [--train TRAIN.csv] --test TEST.csv [--json]
                                            measure the spam filter on labelled CSV (text,label); no database
  spam train FILE --site ID | --shared      seed a site's (or the shared) spam model from labelled CSV`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${usage}\n`);
    return command === undefined ? 2 : 0;
  }
  const print = (line: string): void => void process.stdout.write(`${line}\n`);
  const progress = (line: string): void =>
    void (process.stderr.isTTY ? process.stderr.write(`\r${line}   `) : undefined);
  // An offline measurement: it needs neither Postgres nor the environment.
  if (command === 'spam' && args[0] === 'eval') {
    await runSpamEval(args.slice(1), print, progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    return 0;
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  const problem = await probePostgres(config.DATABASE_URL);
  if (problem) {
    process.stderr.write(`reply-desk: ${problem}\n`);
    return 1;
  }
  if (command === 'migrate') {
    const result = await prepareDatabase(config.DATABASE_URL);
    if (result.created) process.stdout.write('created the database\n');
    process.stdout.write(
      result.applied.length === 0
        ? 'database is up to date\n'
        : `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}\n`,
    );
    // docker compose runs the API without `npm start`, so the one-shot migrate also makes the demo site.
    if (config.DEMO) {
      const pool = cliPool(config.DATABASE_URL, 1);
      try {
        if (await ensureDemoSite(pool, config.PUBLIC_URL, config.PORT)) process.stdout.write('created the demo site\n');
      } finally {
        await pool.end();
      }
    }
    return 0;
  }
  if (command === 'site') {
    const pool = cliPool(config.DATABASE_URL, 1);
    try {
      if (args[0] === 'delete') await runSiteDeleteCommand(pool, args.slice(1), print);
      else await runSiteCommand(pool, args, (line) => process.stdout.write(`${line}\n`));
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (command === 'moderator') {
    const pool = cliPool(config.DATABASE_URL, 1);
    try {
      await runModeratorCommand(
        pool,
        args,
        (line) => process.stdout.write(`${line}\n`),
        () => readPassword('Password: '),
      );
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (command === 'page') {
    const pool = cliPool(config.DATABASE_URL, 1);
    try {
      if (args[0] === 'close' || args[0] === 'open') await runPageCloseCommand(pool, args, print);
      else await runPageCommand(pool, args, print);
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (command === 'author') {
    const pool = cliPool(config.DATABASE_URL, 1);
    try {
      await runAuthorCommand(pool, args, print);
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (command === 'spam' && args[0] === 'train') {
    const pool = cliPool(config.DATABASE_URL, 1);
    try {
      await runSpamTrain(pool, args.slice(1), print, (line) => process.stderr.write(`${line}\n`));
    } finally {
      await pool.end();
    }
    return 0;
  }
  if (command === 'import' || command === 'export' || command === 'privacy') {
    const pool = cliPool(config.DATABASE_URL, 2);
    const print = (line: string) => process.stdout.write(`${line}\n`);
    try {
      if (command === 'import')
        return await runImportCommand(pool, args, { print, progress: (line) => process.stderr.write(`${line}\n`) });
      if (command === 'export')
        return await runExportCommand(
          pool,
          args,
          process.stdout,
          (line) => process.stderr.write(`${line}\n`),
          new Date(),
        );
      // Erasure reaches the queues' jobs too (they hold addresses); a short-lived connection of its own.
      const redis =
        args[0] === 'erase' && args.includes('--yes')
          ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3000 })
          : null;
      redis?.on('error', () => {});
      try {
        return await runPrivacyCommand(
          pool,
          args,
          print,
          new Date(),
          redis === null ? null : { redis, prefix: config.QUEUE_PREFIX },
        );
      } finally {
        redis?.disconnect();
      }
    } finally {
      await pool.end();
    }
  }
  throw new UsageError(`unknown command "${command}"\n${usage}`);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  if (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    process.stderr.write(`reply-desk: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else if ((err as { code?: string }).code === '42P01') {
    process.stderr.write(`reply-desk: the database is not set up: run 'reply-desk migrate' first\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`reply-desk: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
