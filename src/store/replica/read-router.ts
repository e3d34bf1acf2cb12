import type { Queryable } from '../db.js';
import { isDatabaseUnavailable } from '../../http/kit/read-errors.js';
import { initialLagState, observeLag, parseLsn, type LagState } from './replica-lag.js';

/**
 * Public reads over a streaming replica with a lag guard. A probe asks the primary for its WAL position
 * and the replica for what it has replayed (src/store/replica/replica-lag.ts); while the replica is
 * more than `maxLagMs` behind, cannot be reached, or has not been seen caught up yet, reads go to the
 * primary. Only reads that may be a little old come here: a reader's own status and everything the
 * desk reads stay on the primary (read your own writes).
 */
export interface ReadRouter extends Queryable {
  /** Where reads go now, and the lag last measured (ms; Infinity: unknown or the replica unreachable). */
  state(): { target: 'replica' | 'primary'; lagMs: number };
  /** One probe round now (the timer runs them too). */
  probe(): Promise<void>;
  /** Stops the probe; the pools are the caller's to end. */
  close(): void;
}

export interface ReadRouterOptions {
  primary: Queryable;
  replica: Queryable;
  /** A replica further behind than this is skipped. */
  maxLagMs: number;
  /** How often to probe. @defaultValue a quarter of maxLagMs, between 50 ms and 1 s */
  probeMs?: number;
  /** Told when reads move to the other server. */
  onSwitch?: (to: 'replica' | 'primary', lagMs: number) => void;
  now?: () => number;
}

export function probeInterval(maxLagMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(maxLagMs / 4)));
}

export function createReadRouter(opts: ReadRouterOptions): ReadRouter {
  const now = opts.now ?? Date.now;
  let lag: LagState = initialLagState;
  let lagMs = Infinity;
  let target: 'replica' | 'primary' = 'primary';
  let probing: Promise<void> | null = null;

  const settle = (next: number): void => {
    lagMs = next;
    const to = next <= opts.maxLagMs ? 'replica' : 'primary';
    if (to !== target) {
      target = to;
      opts.onSwitch?.(to, next);
    }
  };

  const round = async (): Promise<void> => {
    // The primary first: the replica's answer is then at least as new as the sample it is compared with.
    const sample = await opts.primary
      .query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')
      .then((r) => ({ at: now(), lsn: parseLsn(r.rows[0]?.lsn ?? '') }))
      // The primary away: nothing new is written, so the replica falls no further behind than it was.
      .catch(() => null);
    let replayed: bigint | null;
    try {
      const { rows } = await opts.replica.query<{ lsn: string | null }>(
        'select case when pg_is_in_recovery() then pg_last_wal_replay_lsn()::text end as lsn',
      );
      const text = rows[0]?.lsn ?? null;
      replayed = text === null ? null : parseLsn(text);
    } catch {
      settle(Infinity);
      return;
    }
    const seen = observeLag(lag, sample, replayed, now());
    lag = seen.state;
    settle(seen.lagMs);
  };

  const probe = (): Promise<void> => {
    // A slow server must not pile rounds up: a round still running is the one asked for.
    probing ??= round().finally(() => {
      probing = null;
    });
    return probing;
  };
  const timer = setInterval(() => void probe(), opts.probeMs ?? probeInterval(opts.maxLagMs));
  timer.unref();
  void probe();

  const query = async (...args: unknown[]): Promise<unknown> => {
    const forward = (db: Queryable): Promise<unknown> => Reflect.apply(db.query, db, args) as Promise<unknown>;
    if (target === 'primary') return forward(opts.primary);
    try {
      return await forward(opts.replica);
    } catch (err) {
      // Reads are safe to repeat: a replica that went away (or cancelled the read in a recovery
      // conflict) is skipped until a probe finds it well, and this read asks the primary.
      if (!isDatabaseUnavailable(err)) throw err;
      settle(Infinity);
      return forward(opts.primary);
    }
  };

  return {
    query: query as Queryable['query'],
    state: () => ({ target, lagMs }),
    probe,
    close: () => clearInterval(timer),
  };
}
