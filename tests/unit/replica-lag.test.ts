import { describe, expect, it } from 'vitest';
import { initialLagState, observeLag, parseLsn, type LagState } from '../../src/store/replica/replica-lag.js';
import { probeInterval } from '../../src/store/replica/read-router.js';
import { withoutStatementName } from '../../src/store/db.js';

/** Runs probe rounds over one state: [ms, primary LSN or null, replayed LSN or null] each. */
function rounds(list: [number, bigint | null, bigint | null][]): number[] {
  let state: LagState = initialLagState;
  return list.map(([at, primary, replayed]) => {
    const seen = observeLag(state, primary === null ? null : { at, lsn: primary }, replayed, at);
    state = seen.state;
    return seen.lagMs;
  });
}

describe('replica lag from WAL positions', () => {
  it('parses pg_lsn text into its 64-bit position', () => {
    expect(parseLsn('0/0')).toBe(0n);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
    expect(() => parseLsn('16-B3')).toThrow(/not an LSN/);
  });

  it('a replica never seen caught up is not trusted, however young the first sample', () => {
    expect(rounds([[0, 100n, 50n]])).toEqual([Infinity]);
    expect(rounds([[0, null, 50n]])).toEqual([Infinity]);
  });

  it('an idle primary is no lag however long nobody writes', () => {
    expect(
      rounds([
        [0, 100n, 100n],
        [60_000, 100n, 100n],
        [3_600_000, 100n, 100n],
      ]),
    ).toEqual([0, 0, 0]);
  });

  it('a paused replay lags by the age of the oldest write it has not replayed', () => {
    expect(
      rounds([
        [0, 100n, 100n],
        [1000, 200n, 100n],
        [2000, 300n, 100n],
        [6000, 300n, 100n],
        // Replay resumes halfway: the lag is now that of the first unreplayed sample (300 at 2000).
        [7000, 300n, 250n],
        [8000, 300n, 300n],
      ]),
    ).toEqual([0, 0, 1000, 5000, 5000, 0]);
  });

  it('the primary unreachable: the replica is behind by what it had not replayed, no more', () => {
    expect(
      rounds([
        [0, 100n, 100n],
        [1000, 200n, 150n],
        [5000, null, 150n],
        [6000, null, 200n],
      ]),
    ).toEqual([0, 0, 4000, 0]);
  });

  it('a server out of recovery (takes writes itself) is never behind', () => {
    expect(rounds([[0, 100n, null]])).toEqual([0]);
  });

  it('probes every quarter of the bound, between 50 ms and 1 s', () => {
    expect([probeInterval(100), probeInterval(2000), probeInterval(60_000)]).toEqual([50, 500, 1000]);
  });
});

describe('DB_PREPARED_STATEMENTS=off', () => {
  it("drops a query config's statement name and keeps the rest", () => {
    expect(withoutStatementName({ name: 'x', text: 'select $1', values: [1] })).toEqual({
      text: 'select $1',
      values: [1],
    });
  });

  it('leaves strings, unnamed configs and query objects of their own alone', () => {
    const cursor = { name: 'c', submit: () => undefined };
    const plain = { text: 'select 1' };
    expect(withoutStatementName('select 1')).toBe('select 1');
    expect(withoutStatementName(plain)).toBe(plain);
    expect(withoutStatementName(cursor)).toBe(cursor);
  });
});
