import { Gauge, type Registry } from 'prom-client';
import type { ReadRouter } from '../store/replica/read-router.js';

/** The read replica's lag guard at scrape time (src/store/replica/read-router.ts): its lag, and whether reads go to it. */
export function registerReplicaGauges(registry: Registry, router: Pick<ReadRouter, 'state'>): void {
  new Gauge({
    name: 'reply_desk_read_replica_lag_seconds',
    help: 'How far the read replica was behind the primary at the last probe (+Inf: unreachable or not yet seen caught up).',
    registers: [registry],
    collect() {
      this.set(router.state().lagMs / 1000);
    },
  });
  new Gauge({
    name: 'reply_desk_read_replica_in_use',
    help: 'Whether public reads go to the read replica (1) or, with the replica too far behind, to the primary (0).',
    registers: [registry],
    collect() {
      this.set(router.state().target === 'replica' ? 1 : 0);
    },
  });
}
