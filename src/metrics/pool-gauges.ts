import { Gauge, type Registry } from 'prom-client';
import type { Pool } from '../store/db.js';

/** Postgres pool use at scrape time: connections open, idle, and callers waiting for one. */
export function registerPoolGauges(
  registry: Registry,
  pool: Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'>,
): void {
  new Gauge({
    name: 'reply_desk_db_pool_connections',
    help: 'Postgres pool connections by state (total, idle) and callers waiting for a connection (waiting).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
