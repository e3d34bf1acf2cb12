import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { Queryable } from '../../store/db.js';

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** /healthz: the process answers. /readyz: and both Postgres and Redis answer within a second. */
export function createHealthRoutes(deps: { db: Queryable; redis: Redis }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      within(1000, deps.db.query('select 1')).then(() => 'ok', () => 'unavailable'),
      within(1000, deps.redis.ping()).then(() => 'ok', () => 'unavailable'),
    ]);
    const ready = postgres === 'ok' && redis === 'ok';
    res.status(ready ? 200 : 503).set('Cache-Control', 'no-store').json({ status: ready ? 'ok' : 'unavailable', postgres, redis });
  });
  return router;
}
