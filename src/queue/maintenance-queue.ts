import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';

/** The queue of scheduled upkeep jobs, run by the workers. */
export const MAINTENANCE_QUEUE = 'maintenance';

/** Truncates IP addresses (and clears user agents) older than each site's `ipRetentionDays`. */
export const ANONYMISE_IPS_JOB = 'anonymise-ips';

export type MaintenanceJobName = typeof ANONYMISE_IPS_JOB;

/** The job carries nothing: the processor reads every site's setting when it runs. */
export type AnonymiseIpsData = Record<string, never>;

export interface AnonymiseIpsResult {
  /** Rows changed, by site (sites with none left out). */
  bySite: Record<string, number>;
  total: number;
  /** Webhook delivery-log rows older than the log's window, deleted in the same run. */
  deliveriesPruned: number;
}

export type MaintenanceQueue = Queue<AnonymiseIpsData, AnonymiseIpsResult, MaintenanceJobName>;

/**
 * How often the retention job runs. @defaultValue one hour — an address is kept at most an hour past
 * its site's window.
 */
export const ANONYMISE_EVERY_MS = 60 * 60 * 1000;

/**
 * A failed run is retried a few times with backoff (Postgres away); the next hourly run would catch up
 * anyway, so a few attempts are enough. A day of finished runs is kept to look at.
 */
export const maintenanceJobOptions: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 86_400, count: 100 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createMaintenanceQueue(connection: RedisClient, prefix: string): MaintenanceQueue {
  return new Queue<AnonymiseIpsData, AnonymiseIpsResult, MaintenanceJobName>(MAINTENANCE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: maintenanceJobOptions,
  });
}

/**
 * Schedules the retention job. Every worker calls this on start: a job scheduler is keyed by its id,
 * so the upsert is idempotent and each run happens once whichever worker takes it.
 */
export async function scheduleMaintenance(queue: MaintenanceQueue, everyMs = ANONYMISE_EVERY_MS): Promise<void> {
  await queue.upsertJobScheduler(
    ANONYMISE_IPS_JOB,
    { every: everyMs },
    { name: ANONYMISE_IPS_JOB, data: {}, opts: maintenanceJobOptions },
  );
}
