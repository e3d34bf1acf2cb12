import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../logger.js';
import { CHECKED_BY_PARENT, exitOnStartupProblem } from './startup.js';

// Entry file of a multi-process API: API_WORKERS copies of the API entry (api.js) share one port,
// node:cluster handing each new connection to the next process in turn, so one machine's cores all take
// comments and serve threads. This primary serves nothing itself: it starts the processes, restarts one
// that dies, and on SIGTERM/SIGINT passes the signal on and waits for every process to finish its
// requests in flight (their own graceful shutdown).
const config = await exitOnStartupProblem('api-cluster');
const logger = createLogger(config.LOG_LEVEL, 'api-cluster');

// Same extension as this file: api.js when built, api.ts when run through tsx (the bench does).
const self = fileURLToPath(import.meta.url);
cluster.setupPrimary({ exec: fileURLToPath(new URL(`./api${extname(self)}`, import.meta.url)) });

let stopping = false;
let ready = 0;

function startOne(): void {
  const worker: Worker = cluster.fork({ [CHECKED_BY_PARENT]: 'api-cluster' });
  worker.on('message', (m) => {
    if (m !== 'ready') return;
    ready += 1;
    if (ready === config.API_WORKERS) {
      logger.info({ processes: config.API_WORKERS, port: config.PORT }, 'api cluster listening');
      process.send?.('ready');
    }
  });
  worker.on('exit', (code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'an API process exited; starting another in 1 s');
    setTimeout(startOne, 1000).unref();
  });
}

for (let i = 0; i < config.API_WORKERS; i++) startOne();

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'api cluster stopping');
  // Each process stops taking connections and finishes its requests in flight (SHUTDOWN_TIMEOUT_MS).
  const force = setTimeout(() => process.exit(1), config.SHUTDOWN_TIMEOUT_MS + 5000);
  force.unref();
  const workers = Object.values(cluster.workers ?? {});
  if (workers.length === 0) process.exit(0);
  for (const w of workers) w?.process.kill('SIGTERM');
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
