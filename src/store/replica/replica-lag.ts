/*
 * How far a streaming replica is behind, from LSNs alone. `now() - pg_last_xact_replay_timestamp()` on
 * the replica reads as "an hour behind" when the primary simply wrote nothing for an hour, and as
 * "caught up" when the replica's WAL receiver is cut off and it never hears of new writes. Comparing
 * with the primary avoids both: each probe samples the primary's current LSN, and the replica is as far
 * behind as the oldest sample it has not replayed yet is old. An idle primary's samples all carry one
 * LSN the replica has replayed, so its lag is 0 however long nobody writes.
 */

/** The primary's `pg_current_wal_lsn()` at a moment (ms since the epoch). */
export interface LsnSample {
  at: number;
  lsn: bigint;
}

/** What the probe knows between rounds. */
export interface LagState {
  /** Primary samples the replica had not replayed when last looked at, oldest first. */
  pending: LsnSample[];
  /**
   * Whether the replica has ever replayed a sample. Before that the first sample's age says nothing
   * (a replica hours behind at start-up would count as fresh), so the replica is not used.
   */
  caughtUp: boolean;
}

/** Pending samples kept at most; the oldest stays (it is the one the lag is measured from). */
const MAX_PENDING = 600;

export const initialLagState: LagState = { pending: [], caughtUp: false };

/** Parses a `pg_lsn` text (`16/B374D848`) into its 64-bit position. */
export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (m === null) throw new Error(`not an LSN: ${text}`);
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`);
}

/**
 * One probe round: the primary's sample taken just before the replica was asked (null when the primary
 * could not be asked), the replica's replayed LSN (null when it is not in recovery: a server that
 * takes writes itself is never behind). Returns the new state and the lag in ms (Infinity: unknown).
 */
export function observeLag(
  state: LagState,
  sample: LsnSample | null,
  replayed: bigint | null,
  now: number,
): { state: LagState; lagMs: number } {
  if (replayed === null) return { state: { pending: [], caughtUp: true }, lagMs: 0 };
  const all = sample === null ? state.pending : [...state.pending, sample];
  const pending = all.filter((s) => s.lsn > replayed);
  const caughtUp = state.caughtUp || pending.length < all.length;
  if (pending.length > MAX_PENDING) pending.splice(1, pending.length - MAX_PENDING);
  const oldest = pending[0];
  const lagMs = !caughtUp ? Infinity : oldest === undefined ? 0 : Math.max(0, now - oldest.at);
  return { state: { pending, caughtUp }, lagMs };
}
