import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { AnonymiseIpsData, AnonymiseIpsResult, MaintenanceJobName } from '../src/queue/maintenance-queue.js';
import type { Pool } from '../src/store/db.js';
import { anonymiseOldIps } from '../src/store/privacy.js';
import { listSites } from '../src/store/sites.js';
import { pruneDeliveryAttempts } from '../src/store/webhooks.js';

export interface MaintenanceProcessorDeps {
  db: Pool;
  logger: Logger;
  /** The clock (tests pass their own). */
  now?: () => Date;
  /** Rows per UPDATE or DELETE. @defaultValue 5000 */
  batchSize?: number;
  /**
   * Days of webhook delivery log kept (admins read it to debug a receiver; a month covers any
   * investigation, and the rows name comments). @defaultValue 30
   */
  deliveryLogDays?: number;
}

const DAY_MS = 86_400_000;

/**
 * Runs scheduled upkeep. `anonymise-ips`: for every site with a retention window (`ipRetentionDays`
 * > 0), truncates the IPs and clears the user agents of comments received before the window, in
 * batches, and records one audit event per site that changed; then deletes webhook delivery-log rows
 * older than `deliveryLogDays`. Safe to run twice or concurrently: truncated rows are not touched
 * again, deleted ones are gone. Postgres errors are rethrown so BullMQ retries.
 */
export function createMaintenanceProcessor(deps: MaintenanceProcessorDeps) {
  const batchSize = deps.batchSize ?? 5000;
  return async (job: Job<AnonymiseIpsData, AnonymiseIpsResult, MaintenanceJobName>): Promise<AnonymiseIpsResult> => {
    const now = deps.now?.() ?? new Date();
    const result: AnonymiseIpsResult = { bySite: {}, total: 0, deliveriesPruned: 0 };
    for (const site of await listSites(deps.db)) {
      const days = site.settings.ipRetentionDays;
      if (days === 0) continue;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      let changed = 0;
      for (;;) {
        const n = await anonymiseOldIps(deps.db, site.id, cutoff, batchSize);
        changed += n;
        if (n < batchSize) break;
      }
      if (changed > 0) {
        result.bySite[site.id] = changed;
        result.total += changed;
        await deps.db.query(
          `insert into moderation_events (actor, action, site_id, detail) values ('worker', 'anonymise_ips', $1, $2)`,
          [site.id, JSON.stringify({ comments: changed, receivedBefore: cutoff.toISOString(), ipRetentionDays: days })],
        );
      }
    }
    const logCutoff = new Date(now.getTime() - (deps.deliveryLogDays ?? 30) * DAY_MS);
    for (;;) {
      const n = await pruneDeliveryAttempts(deps.db, logCutoff, batchSize);
      result.deliveriesPruned += n;
      if (n < batchSize) break;
    }
    deps.logger.info(
      { jobId: job.id, anonymised: result.total, deliveriesPruned: result.deliveriesPruned },
      'IP retention run done',
    );
    return result;
  };
}
