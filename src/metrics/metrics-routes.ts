import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Registry } from 'prom-client';

/** True when the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function hasBearer(authorization: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in Prometheus' text format, for whoever holds METRICS_TOKEN. Without a token the route
 * does not exist (404): metrics name routes, queues and volumes, which are nobody else's business.
 */
export function createMetricsRoutes(deps: { registry: Registry; token: string | undefined }): Router {
  const router = Router();
  const { token } = deps;
  if (token === undefined) return router;
  router.get('/metrics', async (req: Request, res) => {
    if (!hasBearer(req.get('authorization'), token)) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer realm="metrics"')
        .set('Cache-Control', 'no-store')
        .type('text/plain')
        .send('unauthorized\n');
      return;
    }
    const body = await deps.registry.metrics();
    res.status(200).set('Cache-Control', 'no-store').type(deps.registry.contentType).send(body);
  });
  return router;
}
