import type { Logger } from 'pino';
import type { Queryable } from '../src/store/db.js';

/** The part of a BullMQ queue this needs: move every delayed job to the wait list. */
export interface Promotable {
  promoteJobs(opts?: { count?: number }): Promise<void>;
}

/**
 * SQLSTATE classes that mean "Postgres is away or refusing", as opposed to a problem with one job:
 * 08 connection exception, 53 insufficient resources (too many connections), 57 operator
 * intervention (admin shutdown, cannot connect now, statement timeout). Errors without a SQLSTATE
 * (ECONNREFUSED, "Connection terminated", query timeouts) come from the network or the pool.
 */
export function looksLikeOutage(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { name?: unknown }).name === 'UnrecoverableError') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return true;
  if (/^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('53') || code.startsWith('57');
  return true;
}

export interface OutageRecovery {
  /** Call with every failed attempt's error; an outage-looking one starts probing Postgres. */
  noteFailure(err: unknown): void;
  close(): void;
}

/**
 * Retries after a Postgres outage start when Postgres is back, not when the backoff says. Jobs
 * retry with exponential backoff (1, 2, 4 … s, up to hours: src/queue/submissions-queue.ts), so after
 * a 30-second outage the last retries are 16-32 s away when Postgres returns. Shortening the backoff
 * would shorten the window in which an outage loses nothing; instead, once a failure looks like an
 * outage, this probes Postgres every `probeEveryMs`, and when a probe that had failed succeeds, it
 * promotes the queue's delayed jobs (only retries are delayed in the submissions queue) so they run at
 * once. Promotion happens only after an observed outage, so a job failing for its own reason keeps
 * its backoff and cannot spin. With several workers, each promotes; promoting twice is harmless.
 */
export function createOutageRecovery(deps: {
  db: Queryable;
  queue: Promotable;
  logger: Logger;
  probeEveryMs?: number;
}): OutageRecovery {
  const every = deps.probeEveryMs ?? 1000;
  let timer: NodeJS.Timeout | null = null;
  let sawOutage = false;
  let closed = false;

  const probe = async (): Promise<void> => {
    timer = null;
    if (closed) return;
    try {
      await deps.db.query('select 1');
    } catch {
      if (!sawOutage) deps.logger.warn('Postgres unreachable: retries will be promoted when it answers again');
      sawOutage = true;
      timer = setTimeout(() => void probe(), every);
      return;
    }
    if (!sawOutage) return; // the failure was not an outage (one connection cut): backoff as usual
    sawOutage = false;
    try {
      await deps.queue.promoteJobs();
      deps.logger.info('Postgres answers again: delayed retries promoted');
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'could not promote delayed retries; they run on their backoff');
    }
  };

  return {
    noteFailure(err) {
      if (closed || timer !== null || !looksLikeOutage(err)) return;
      timer = setTimeout(() => void probe(), 0);
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
