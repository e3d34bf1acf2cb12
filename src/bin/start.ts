import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logger.js';
import { startDemoHostServer } from '../http/demo/demo-host-page.js';
import { demoHostPort, demoHostUrl, ensureDemoSite, ensureDemoSsoSecret } from '../demo-site.js';
import { createPool } from '../store/db.js';
import { prepareDatabase } from '../store/migrate.js';
import { CHECKED_BY_PARENT, EXIT_CONFIG, exitOnStartupProblem } from './startup.js';

// `npm start`: create and migrate the database, create the demo site, then run the API and one worker
// as child processes, restarting either if it dies, until SIGTERM/SIGINT stops both gracefully.
// It prints the start-up warnings once; the API and worker it starts leave them to it.
const config = await exitOnStartupProblem('start');
const logger = createLogger(config.LOG_LEVEL, 'start');

const prepared = await prepareDatabase(config.DATABASE_URL);
if (prepared.created) logger.info('created the database');
if (prepared.applied.length > 0) logger.info({ applied: prepared.applied }, 'applied migrations');
// The demo host page signs its subscribers' SSO tokens with the demo site's secret (made here on first start).
let demoSsoSecret: string | null = null;
if (config.DEMO) {
  const pool = createPool(config.DATABASE_URL, 1);
  if (await ensureDemoSite(pool, config.PUBLIC_URL, config.PORT)) logger.info('created the demo site');
  demoSsoSecret = await ensureDemoSsoSecret(pool);
  await pool.end();
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(name: string, entry: string): void {
  const child = fork(fileURLToPath(new URL(entry, import.meta.url)), {
    stdio: 'inherit',
    env: { ...process.env, [CHECKED_BY_PARENT]: 'start' },
  });
  children.set(name, child);
  child.on('message', (m) => {
    if (m === 'ready' && name === 'api') process.stdout.write(`\n${runningLine()}\n\n`);
  });
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (stopping) {
      if (children.size === 0) process.exit();
      return;
    }
    if (code === EXIT_CONFIG) {
      // It said why in one line; restarting would only say it again every second.
      stopping = true;
      for (const other of children.values()) other.kill('SIGTERM');
      if (children.size === 0) process.exit(1);
      process.exitCode = 1;
      return;
    }
    logger.error({ process: name, code, signal }, `${name} exited; restarting in 1 s`);
    setTimeout(() => run(name, entry), 1000).unref();
  });
}

// The demo "customer" page on the next port shows the widget embedded from another origin. It is only
// a demo: a port that is taken just means no second page.
const hostPage =
  config.DEMO && config.PORT > 0
    ? await startDemoHostServer({
        port: demoHostPort(config.PORT),
        host: config.HOST,
        apiUrl: config.PUBLIC_URL,
        ssoSecret: demoSsoSecret,
      }).catch((err: Error) => {
        logger.warn({ err: err.message }, 'the demo host page could not start');
        return null;
      })
    : null;

run('api', './api.js');
run('worker', '../../workers/main.js');

/** The addresses to open, as this process serves them (PUBLIC_URL follows PORT unless it is set). */
function runningLine(): string {
  const where = config.DEMO
    ? `open ${config.PUBLIC_URL}/ for the demo article` +
      (hostPage ? `, ${demoHostUrl(config.PUBLIC_URL, config.PORT)}/ for it embedded on another origin` : '')
    : `the API is at ${config.PUBLIC_URL}/`;
  return `Reply Desk is running: ${where}, ${config.PUBLIC_URL}/admin for the moderators' desk (Ctrl+C stops it)`;
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping');
  hostPage?.close();
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(0);
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
