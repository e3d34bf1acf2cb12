import { connectRedis, redisAddressOf } from '../redis.js';
import type { Config } from '../config.js';
import { ensureDemoSite } from '../demo-site.js';
import { createPool, type Pool } from '../store/db.js';
import { prepareDatabase } from '../store/migrate.js';
import { runExportCommand } from './export-commands.js';
import { runImportCommand } from './import-commands.js';
import { runModeratorCommand } from './moderator-commands.js';
import { runAuthorCommand } from './author-commands.js';
import {
  authorNoteOptions,
  authorSuspendOptions,
  runAuthorModerationCommand,
} from './authors/author-moderation-commands.js';
import { runCommentFeatureCommand } from './comment-commands.js';
import { runPageCloseCommand } from './page-close-commands.js';
import { chatAddOptions, runChatCommand } from './chat-commands.js';
import { runPageCommand } from './page-commands.js';
import { runPageSettingsCommand } from './page-settings-commands.js';
import { runPrivacyCommand } from './privacy-commands.js';
import { readPassword } from './read-password.js';
import { oidcAddOptions, runOidcCommand } from './oidc-commands.js';
import { runSiteCommand } from './site-commands.js';
import { runSiteDeleteCommand } from './site-delete-command.js';
import { runSpamEval, runSpamTrain } from './spam-commands.js';
import { runAbuseEval, runAbuseTrain } from './abuse-commands.js';
import { checkHookOptions, runCheckHookCommand } from './hooks/check-hook-commands.js';
import { rulesBacktestOptions, runRulesBacktest } from './rules-commands.js';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords.js';

/** What a command's handler may use: output, and the environment only when it asks for it. */
export interface CliContext {
  print(line: string): void;
  /** One line to stderr. */
  log(line: string): void;
  /** A progress line, only on a terminal (it overwrites itself). */
  progress(line: string): void;
  /** Reads .env and the environment, and checks Postgres answers: only handlers that need them call it. */
  config(): Promise<Config>;
}

/** Options as node:util parseArgs takes them. */
export type CliOptions = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/**
 * One row per command or subcommand: the words that name it, its usage (printed by `--help`, and with
 * an unknown option), and its handler, which returns the exit code. `reply-desk X --help` prints the rows
 * under X; nothing reads the environment or opens a connection before the handler runs, so `--help` on
 * any row touches nothing. A new command is a new row here (and a line in README's CLI section).
 */
export interface CliCommand {
  words: string[];
  usage: string;
  /**
   * The options it takes (node:util parseArgs's form), checked before the handler runs so an unknown
   * option prints this usage without touching the database. Left out, the handler checks its own args.
   */
  options?: CliOptions;
  run(ctx: CliContext, args: string[]): Promise<number>;
}

/**
 * Operators' commands (imports, exports, erasure, seeding) may rightly run one statement for minutes,
 * so they have no statement timeout; the API's and workers' pools keep DB_STATEMENT_TIMEOUT_MS.
 */
async function withPool<T>(ctx: CliContext, size: number, fn: (pool: Pool, config: Config) => Promise<T>): Promise<T> {
  const config = await ctx.config();
  const pool = createPool(
    config.DATABASE_URL,
    size,
    { statementTimeoutMs: 0 },
    { preparedStatements: config.DB_PREPARED_STATEMENTS },
  );
  try {
    return await fn(pool, config);
  } finally {
    await pool.end();
  }
}

const passwordPrompt = (): Promise<string> => readPassword(`Password (at least ${MIN_PASSWORD_LENGTH} characters): `);

/** `moderator SUB …` rows all go to runModeratorCommand, which parses SUB's own options. */
function moderatorRow(sub: string, usage: string, options: CliOptions = {}): CliCommand {
  return {
    words: ['moderator', sub],
    usage,
    options,
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await runModeratorCommand(pool, [sub, ...args], ctx.print, passwordPrompt);
        return 0;
      }),
  };
}

const siteOptions: CliOptions = {
  name: { type: 'string' },
  origin: { type: 'string', multiple: true },
  settings: { type: 'string' },
  'sso-secret': { type: 'string' },
};

function siteRow(sub: string, usage: string): CliCommand {
  return {
    words: ['site', sub],
    usage,
    options: sub === 'list' || sub === 'show' ? {} : siteOptions,
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await runSiteCommand(pool, [sub, ...args], ctx.print);
        return 0;
      }),
  };
}

function pageRow(sub: string, usage: string): CliCommand {
  return {
    words: ['page', sub],
    usage,
    // No flags: an unknown option is refused before the database (a title that starts with "-" goes after --).
    options: {},
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await runPageCommand(pool, [sub, ...args], ctx.print);
        return 0;
      }),
  };
}

/** A row whose handler takes a pool of one connection and the words after the row's own. */
function poolRow(
  words: string[],
  usage: string,
  handler: (pool: Pool, args: string[], print: (line: string) => void) => Promise<void>,
  options?: CliOptions,
): CliCommand {
  return {
    words,
    usage,
    options,
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await handler(pool, args, ctx.print);
        return 0;
      }),
  };
}

function privacyRow(sub: 'export' | 'erase', usage: string): CliCommand {
  return {
    words: ['privacy', sub],
    usage,
    options: sub === 'erase' ? { site: { type: 'string' }, yes: { type: 'boolean' } } : { site: { type: 'string' } },
    run: (ctx, args) =>
      withPool(ctx, 2, async (pool, config) => {
        // Erasure reaches the queues' jobs too (they hold addresses); a short-lived connection of its own.
        const redis =
          sub === 'erase' && args.includes('--yes')
            ? connectRedis(redisAddressOf(config), { maxRetriesPerRequest: 1, connectTimeout: 3000 })
            : null;
        redis?.on('error', () => {});
        try {
          return await runPrivacyCommand(
            pool,
            [sub, ...args],
            ctx.print,
            new Date(),
            redis === null ? null : { redis, prefix: config.QUEUE_PREFIX, submissionShards: config.SUBMISSION_SHARDS },
          );
        } finally {
          redis?.disconnect();
        }
      }),
  };
}

const indent = '\n      ';

export const cliCommands: CliCommand[] = [
  {
    words: ['migrate'],
    options: {},
    usage: `reply-desk migrate${indent}create the database if missing, apply pending migrations, create the demo site (DEMO=true)`,
    run: async (ctx) => {
      const config = await ctx.config();
      const result = await prepareDatabase(config.DATABASE_URL);
      if (result.created) ctx.print('created the database');
      ctx.print(
        result.applied.length === 0
          ? 'database is up to date'
          : `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`,
      );
      // docker compose runs the API without `npm start`, so the one-shot migrate also makes the demo site.
      if (config.DEMO) {
        await withPool(ctx, 1, async (pool) => {
          if (await ensureDemoSite(pool, config.PUBLIC_URL, config.PORT)) ctx.print('created the demo site');
        });
      }
      return 0;
    },
  },
  siteRow('list', `reply-desk site list${indent}list sites (id, name, origins, settings)`),
  siteRow(
    'add',
    `reply-desk site add ID --name NAME --origin URL [--origin URL…] [--settings JSON]${indent}add a site; --settings '{"requireEmail":false}' to change settings`,
  ),
  siteRow(
    'update',
    `reply-desk site update ID [--name NAME] [--origin URL…] [--settings JSON] [--sso-secret SECRET|generate|none]${indent}change a site (settings are merged); --sso-secret sets the key the host site signs readers' SSO${indent}tokens with (at least 32 characters; generate prints a new one once; none turns SSO off)`,
  ),
  siteRow(
    'show',
    `reply-desk site show ID${indent}one site (id, name, origins, settings) and whether it has an SSO secret (never the secret)`,
  ),
  poolRow(
    ['site', 'delete'],
    `reply-desk site delete ID --yes${indent}delete a site and all its comments, pages, webhooks… (cannot be undone; without --yes it says what would go)`,
    runSiteDeleteCommand,
    { yes: { type: 'boolean' } },
  ),
  poolRow(
    ['site', 'oidc', 'add'],
    `reply-desk site oidc add ID --provider P --name N --issuer URL --client-id X [--client-secret Y|-]${indent}add (or change) an OpenID Connect sign-in provider of a site (--client-secret - reads it from a prompt or stdin);${indent}redirect URI: PUBLIC_URL/readers/oidc/callback`,
    (pool, args, print) => runOidcCommand(pool, ['add', ...args], print),
    oidcAddOptions,
  ),
  poolRow(
    ['site', 'oidc', 'remove'],
    `reply-desk site oidc remove ID --provider P${indent}remove a site's OpenID Connect provider`,
    (pool, args, print) => runOidcCommand(pool, ['remove', ...args], print),
    { provider: { type: 'string' } },
  ),
  poolRow(
    ['site', 'oidc', 'list'],
    `reply-desk site oidc list ID${indent}list a site's OpenID Connect providers (never their secrets)`,
    (pool, args, print) => runOidcCommand(pool, ['list', ...args], print),
    {},
  ),
  poolRow(
    ['site', 'hook', 'set'],
    `reply-desk site hook set --site ID --url URL [--timeout-ms N] [--new-secret]${indent}set the site's external check hook (asked about each comment; no answer in time: held);${indent}prints the signing secret once, when it is new`,
    (pool, args, print) => runCheckHookCommand(pool, ['set', ...args], print),
    checkHookOptions,
  ),
  poolRow(
    ['site', 'hook', 'clear'],
    `reply-desk site hook clear --site ID${indent}remove the site's external check hook`,
    (pool, args, print) => runCheckHookCommand(pool, ['clear', ...args], print),
    { site: { type: 'string' } },
  ),
  poolRow(
    ['site', 'hook', 'show'],
    `reply-desk site hook show --site ID${indent}the site's external check hook (URL, timeout; never the secret)`,
    (pool, args, print) => runCheckHookCommand(pool, ['show', ...args], print),
    { site: { type: 'string' } },
  ),
  moderatorRow(
    'add',
    `reply-desk moderator add EMAIL [--role admin|moderator] [--name NAME] [--site ID[:ROLE]…]${indent}create an account (or reset its password); the password (at least ${MIN_PASSWORD_LENGTH} characters) is read${indent}from a prompt, or from stdin when piped. ROLE on a site: viewer, moderator (the default) or admin`,
    { role: { type: 'string' }, name: { type: 'string' }, site: { type: 'string', multiple: true } },
  ),
  moderatorRow('list', `reply-desk moderator list${indent}list accounts (email, name, role, sites, disabled)`),
  moderatorRow(
    'disable',
    `reply-desk moderator disable EMAIL${indent}sign the account out everywhere and stop its mail links; it cannot sign in`,
  ),
  moderatorRow('enable', `reply-desk moderator enable EMAIL${indent}let a disabled account sign in again`),
  moderatorRow(
    'reset-two-factor',
    `reply-desk moderator reset-two-factor EMAIL${indent}turn off the account's two-factor sign-in (a lost phone and lost recovery codes);${indent}it signs in with its password and, where a site requires it, enrols again`,
  ),
  moderatorRow(
    'remove',
    `reply-desk moderator remove EMAIL --yes${indent}delete the account (the audit log keeps its email)`,
    {
      yes: { type: 'boolean' },
    },
  ),
  moderatorRow(
    'update',
    `reply-desk moderator update EMAIL [--role admin|moderator] [--name NAME] [--site ID[:ROLE]…] [--no-sites] [--password]${indent}change the role, name or sites and their roles (--site replaces the list); --password prompts for a new one.${indent}The last enabled admin cannot be disabled, removed or demoted`,
    {
      role: { type: 'string' },
      name: { type: 'string' },
      site: { type: 'string', multiple: true },
      'no-sites': { type: 'boolean' },
      password: { type: 'boolean' },
    },
  ),
  pageRow(
    'title',
    `reply-desk page title SITE PAGE "Title"${indent}confirm a page's title (mails, feeds and webhooks show only confirmed titles)`,
  ),
  pageRow(
    'suggestions',
    `reply-desk page suggestions SITE${indent}list pages whose title is only a submission's suggestion`,
  ),
  poolRow(
    ['page', 'close'],
    `reply-desk page close SITE PAGE${indent}close a page's thread to new comments`,
    (pool, args, print) => runPageCloseCommand(pool, ['close', ...args], print),
    {},
  ),
  poolRow(
    ['page', 'open'],
    `reply-desk page open SITE PAGE${indent}reopen a closed page's thread`,
    (pool, args, print) => runPageCloseCommand(pool, ['open', ...args], print),
    {},
  ),
  poolRow(
    ['chat', 'list'],
    `reply-desk chat list SITE${indent}list a site's chat targets (Slack, Teams, Mattermost) with their last post`,
    (pool, args, print) => runChatCommand(pool, ['list', ...args], print),
    {},
  ),
  poolRow(
    ['chat', 'add'],
    `reply-desk chat add SITE slack|teams|mattermost URL [--events held,surge,appeal] [--held-minutes N] [--note TEXT]${indent}post desk notices to a channel's incoming webhook (held comments at most every N minutes, default 15)`,
    (pool, args, print) => runChatCommand(pool, ['add', ...args], print),
    chatAddOptions,
  ),
  poolRow(
    ['chat', 'remove'],
    `reply-desk chat remove SITE ID${indent}stop posting to a chat target`,
    (pool, args, print) => runChatCommand(pool, ['remove', ...args], print),
    {},
  ),
  poolRow(
    ['page', 'update'],
    `reply-desk page update SITE PAGE --settings JSON${indent}override the site's moderation, holdLinks, holdWords (added), guests or votes on one page (null: as the site)`,
    (pool, args, print) => runPageSettingsCommand(pool, ['update', ...args], print),
    { settings: { type: 'string' } },
  ),
  poolRow(
    ['page', 'show'],
    `reply-desk page show SITE PAGE${indent}a page's state and the settings it overrides`,
    (pool, args, print) => runPageSettingsCommand(pool, ['show', ...args], print),
    {},
  ),
  poolRow(
    ['comment', 'feature'],
    `reply-desk comment feature ID${indent}make a published comment an editors' pick (the strip above the thread)`,
    (pool, args, print) => runCommentFeatureCommand(pool, ['feature', ...args], print),
    {},
  ),
  poolRow(
    ['comment', 'unfeature'],
    `reply-desk comment unfeature ID${indent}take a comment out of the editors' picks`,
    (pool, args, print) => runCommentFeatureCommand(pool, ['unfeature', ...args], print),
    {},
  ),
  poolRow(
    ['author', 'trust'],
    `reply-desk author trust SITE EMAIL${indent}trust an author: their comments skip the hold rules`,
    (pool, args, print) => runAuthorCommand(pool, ['trust', ...args], print),
    {},
  ),
  poolRow(
    ['author', 'untrust'],
    `reply-desk author untrust SITE EMAIL${indent}take an author's trust back`,
    (pool, args, print) => runAuthorCommand(pool, ['untrust', ...args], print),
    {},
  ),
  poolRow(
    ['author', 'trusted'],
    `reply-desk author trusted SITE${indent}list a site's trusted authors`,
    (pool, args, print) => runAuthorCommand(pool, ['trusted', ...args], print),
    {},
  ),
  poolRow(
    ['author', 'suspend'],
    `reply-desk author suspend SITE AUTHOR --for 7d|12h [--reason TEXT]${indent}suspend an author (reader:ID, guest:EMAIL or an email): their comments are refused${indent}until then (at most a year; longer is a ban)`,
    (pool, args, print) => runAuthorModerationCommand(pool, ['suspend', ...args], print),
    authorSuspendOptions,
  ),
  poolRow(
    ['author', 'unsuspend'],
    `reply-desk author unsuspend SITE AUTHOR${indent}lift an author's running suspension`,
    (pool, args, print) => runAuthorModerationCommand(pool, ['unsuspend', ...args], print),
    {},
  ),
  poolRow(
    ['author', 'note'],
    `reply-desk author note SITE AUTHOR TEXT | --remove ID${indent}add (or remove) a moderator's private note about an author`,
    (pool, args, print) => runAuthorModerationCommand(pool, ['note', ...args], print),
    authorNoteOptions,
  ),
  poolRow(
    ['author', 'show'],
    `reply-desk author show SITE AUTHOR${indent}an author's profile: names, counts, trust, suspensions, notes`,
    (pool, args, print) => runAuthorModerationCommand(pool, ['show', ...args], print),
    {},
  ),
  {
    words: ['import'],
    options: { site: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'batch-size': { type: 'string' } },
    usage: `reply-desk import wordpress|disqus|json FILE --site ID [--dry-run] [--batch-size N]${indent}import comments (WordPress WXR, Disqus XML, or our JSON export); prints a report;${indent}running it again adds nothing`,
    run: (ctx, args) =>
      withPool(ctx, 2, (pool) => runImportCommand(pool, args, { print: ctx.print, progress: ctx.log })),
  },
  {
    words: ['export'],
    options: { site: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    usage: `reply-desk export --site ID [--format json|wxr] [--out FILE]${indent}export a site's pages and comments (JSON by default, to stdout)`,
    run: (ctx, args) => withPool(ctx, 2, (pool) => runExportCommand(pool, args, process.stdout, ctx.log, new Date())),
  },
  privacyRow(
    'export',
    `reply-desk privacy export EMAIL [--site ID]${indent}print everything stored about a commenter, as JSON`,
  ),
  privacyRow(
    'erase',
    `reply-desk privacy erase EMAIL [--site ID] [--yes]${indent}erase a commenter's data (without --yes: only say what)`,
  ),
  {
    words: ['spam', 'eval'],
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      json: { type: 'boolean' },
      'classifier-only': { type: 'boolean' },
    },
    usage: `reply-desk spam eval [--train TRAIN.csv] --test TEST.csv [--json] [--classifier-only]${indent}measure the spam filter on labelled CSV (text,label); no database`,
    // An offline measurement: it needs neither Postgres nor the environment.
    run: async (ctx, args) => {
      await runSpamEval(args, ctx.print, ctx.progress);
      if (process.stderr.isTTY) process.stderr.write('\n');
      return 0;
    },
  },
  {
    words: ['spam', 'train'],
    options: { site: { type: 'string' }, shared: { type: 'boolean' } },
    usage: `reply-desk spam train FILE --site ID | --shared${indent}seed a site's (or the shared) spam model from labelled CSV`,
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await runSpamTrain(pool, args, ctx.print, ctx.log);
        return 0;
      }),
  },
  {
    words: ['abuse', 'eval'],
    options: {
      train: { type: 'string' },
      test: { type: 'string' },
      json: { type: 'boolean' },
      threshold: { type: 'string' },
      'no-lexicon': { type: 'boolean' },
    },
    usage: `reply-desk abuse eval [--train TRAIN.csv] --test TEST.csv [--json] [--threshold PERCENT] [--no-lexicon]${indent}measure the abuse filter on labelled CSV (text,label: abuse or ok); no --train: the lexicon alone; no database`,
    // An offline measurement, like spam eval: neither Postgres nor the environment.
    run: async (ctx, args) => {
      await runAbuseEval(args, ctx.print);
      return 0;
    },
  },
  {
    words: ['abuse', 'train'],
    options: { site: { type: 'string' } },
    usage: `reply-desk abuse train FILE --site ID${indent}seed a site's abuse model from labelled CSV (text,label: abuse or ok)`,
    run: (ctx, args) =>
      withPool(ctx, 1, async (pool) => {
        await runAbuseTrain(pool, args, ctx.print, ctx.log);
        return 0;
      }),
  },
  poolRow(
    ['rules', 'backtest'],
    `reply-desk rules backtest --site ID --settings JSON [--page PAGE] [--days N] [--json]${indent}what these settings (a patch over the site's, or with --page over the page's own) would have done to${indent}the last N days of comments (default 30): counts, transitions, a sample; changes nothing`,
    (pool, args, print) => runRulesBacktest(pool, args, print),
    rulesBacktestOptions,
  ),
];
