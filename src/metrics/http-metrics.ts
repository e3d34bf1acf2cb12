import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

/**
 * The route pattern a request matched (`/api/comments/:id`), never the raw URL: ids in label values
 * would make a new time series per comment. Requests no route took are `unmatched`; static files
 * carry their mount path.
 */
function routeOf(req: Request): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.baseUrl === '/assets') return '/assets';
  return 'unmatched';
}

/** Counts requests by method, route and status, and times them, when each answer is finished. */
export function createHttpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: 'reply_desk_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'reply_desk_http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const labels = { method: req.method, route: routeOf(req), status: String(res.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
