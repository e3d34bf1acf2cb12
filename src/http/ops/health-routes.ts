import { Router } from 'express';
import type { RedisClient } from '../../redis.js';
import type { Queryable } from '../../store/db.js';
import { within } from '../kit/within.js';

/** /healthz: the process answers. /readyz: and both Postgres and Redis answer within a second. */
export function createHealthRoutes(deps: { db: Queryable; redis: RedisClient }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      within(1000, deps.db.query('select 1')).then(
        () => 'ok',
        () => 'unavailable',
      ),
      within(1000, deps.redis.ping()).then(
        () => 'ok',
        () => 'unavailable',
      ),
    ]);
    const ready = postgres === 'ok' && redis === 'ok';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ok' : 'unavailable', postgres, redis });
  });
  return router;
}
