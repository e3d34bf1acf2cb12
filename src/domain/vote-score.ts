/*
 * How "top" ranks a comment (issue 15): the lower bound of the Wilson score interval for the share of
 * up votes, at 95% confidence (Evan Miller, "How Not To Sort By Average Rating"). A comment with one
 * up vote and none down is not "100% liked": with so little evidence the bound is low (0.21), and a
 * comment at 40 up / 2 down (0.84) ranks above it. With down votes off it still grows with the number
 * of up votes, so more votes rank higher, with diminishing returns.
 */

/** z for a two-sided 95% interval. */
const Z = 1.959963984540054;

/** The Wilson lower bound of up / (up + down); 0 for a comment nobody voted on. */
export function voteScore(up: number, down: number): number {
  const n = up + down;
  if (n <= 0) return 0;
  const p = up / n;
  const z2 = Z * Z;
  const bound = (p + z2 / (2 * n) - Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
  // Rounded so the stored double and the cursor's decimal text are the same number.
  return Math.max(0, Math.round(bound * 1e12) / 1e12);
}

export type VoteValue = -1 | 0 | 1;

/** The counts after a voter's vote goes from `before` to `after` (either may be 0: none). */
export function applyVote(
  counts: { up: number; down: number },
  before: VoteValue,
  after: VoteValue,
): { up: number; down: number } {
  const up = counts.up - (before === 1 ? 1 : 0) + (after === 1 ? 1 : 0);
  const down = counts.down - (before === -1 ? 1 : 0) + (after === -1 ? 1 : 0);
  return { up: Math.max(0, up), down: Math.max(0, down) };
}
