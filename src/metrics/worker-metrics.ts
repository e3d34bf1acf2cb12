import { createServer, type Server } from 'node:http';
import type { Job } from 'bullmq';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { CommentWriter } from '../store/batched/comment-writer.js';
import type { Pool } from '../store/db.js';
import { hasBearer } from './metrics-routes.js';
import { registerPoolGauges } from './pool-gauges.js';

/**
 * A worker's own counters: jobs by queue and outcome, and stored comments' verdicts by rule code.
 * Counters live in the process that counts them (each worker is scraped on its own METRICS_PORT);
 * queue depths are the API's to report, read from Redis, so they are not counted twice.
 */
export interface WorkerMetrics {
  registry: Registry;
  /** Counts each worker's finished and failed attempts. */
  watch(worker: WatchedWorker): void;
  /** Wraps the comment writer so each newly stored comment counts its verdict's reasons. */
  countVerdicts(writer: CommentWriter): CommentWriter;
}

/** The part of a BullMQ Worker counted: its queue name and its events (any job type). */
export interface WatchedWorker {
  name: string;
  on(event: 'completed', listener: () => void): unknown;
  on(event: 'failed', listener: (job: Pick<Job, 'attemptsMade' | 'opts'> | undefined, err: Error) => void): unknown;
}

export function createWorkerMetrics(deps: { pool: Pool }): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'reply_desk_worker_' });
  registerPoolGauges(registry, deps.pool);
  const jobs = new Counter({
    name: 'reply_desk_jobs_total',
    help: 'Job attempts by queue and outcome: completed, retried (failed, another attempt follows) or failed (for good).',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const verdicts = new Counter({
    name: 'reply_desk_verdicts_total',
    help: 'Comments stored by this worker, by status and by the code of each rule that spoke (none: no rule did).',
    labelNames: ['status', 'code'] as const,
    registers: [registry],
  });
  return {
    registry,
    watch(worker) {
      worker.on('completed', () => jobs.inc({ queue: worker.name, outcome: 'completed' }));
      worker.on('failed', (job, err) => {
        const final =
          job === undefined || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
        jobs.inc({ queue: worker.name, outcome: final ? 'failed' : 'retried' });
      });
    },
    countVerdicts(writer) {
      return {
        async write(comment) {
          const result = await writer.write(comment);
          // A retried job whose row was already there counted it the first time.
          if (!result.alreadyStored) {
            const codes = comment.verdict.reasons.map((r) => r.code);
            for (const code of codes.length === 0 ? ['none'] : new Set(codes))
              verdicts.inc({ status: result.status, code });
          }
          return result;
        },
        drain: () => writer.drain(),
      };
    },
  };
}

/**
 * The worker's tiny metrics server: GET /metrics, nothing else, on METRICS_HOST:METRICS_PORT
 * (loopback by default), with the bearer token when METRICS_TOKEN is set.
 */
export async function startMetricsServer(opts: {
  registry: Registry;
  port: number;
  host: string;
  token: string | undefined;
}): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (opts.token !== undefined && !hasBearer(req.headers.authorization, opts.token)) {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="metrics"' })
        .end('unauthorized\n');
      return;
    }
    opts.registry.metrics().then(
      (body) =>
        res.writeHead(200, { 'content-type': opts.registry.contentType, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
