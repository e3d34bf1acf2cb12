import type { Queue } from 'bullmq';
import type { RequestHandler, Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Pool } from '../store/db.js';
import { createHttpMetrics } from './http-metrics.js';
import { createMetricsRoutes } from './metrics-routes.js';
import { registerPoolGauges } from './pool-gauges.js';
import { registerQueueGauges } from './queue-gauges.js';
import { registerReplicaGauges } from './replica-gauges.js';
import type { ReadRouter } from '../store/replica/read-router.js';

/** What the API's app needs to measure itself and serve GET /metrics. */
export interface ApiMetrics {
  /** Counts and times every request; mount before the routes. */
  http: RequestHandler;
  /** GET /metrics (bearer token). */
  routes: Router;
  registry: Registry;
}

/**
 * The API's metrics: HTTP requests and latency, its Postgres pool, every queue's depth and oldest
 * waiting job (read from Redis at scrape time), and the process's own (memory, event-loop lag). A
 * registry of its own, not prom-client's global one, so two apps in one test process never collide.
 */
export function createApiMetrics(deps: {
  pool: Pool;
  queues: readonly Queue[];
  token: string | undefined;
  /** The read replica's lag guard, when DATABASE_READ_URL is set. */
  readRouter?: Pick<ReadRouter, 'state'>;
}): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'reply_desk_api_' });
  registerPoolGauges(registry, deps.pool);
  registerQueueGauges(registry, deps.queues);
  if (deps.readRouter) registerReplicaGauges(registry, deps.readRouter);
  return { http: createHttpMetrics(registry), routes: createMetricsRoutes({ registry, token: deps.token }), registry };
}
