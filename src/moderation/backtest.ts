import type { SiteSettings } from '../domain/site-settings.js';
import { checkComment } from './check-comment.js';
import type { BacktestContext } from './stored-facts.js';
import type { CheckRule, CommentStatus } from './verdict.js';

/*
 * "What if I change this rule?" (issue 17, item 3): the rules re-run over the facts stored with each
 * verdict (src/moderation/stored-facts.ts) under proposed settings, and what that would have changed.
 * Pure: the store reads the comments (src/store/backtest/backtest-rows.ts), this only counts.
 */

/** One stored comment as a backtest sees it. */
export interface StoredCheck {
  id: string;
  pageId: number;
  /** The status the rules gave it when it was checked (its stored verdict's, not a moderator's since). */
  status: CommentStatus;
  /** What the rules read then; null: not backtestable (checked before facts were kept, edited, erased). */
  context: BacktestContext | null;
}

/** The settings a comment's page is backtested under: the proposed ones, and the ones in force now. */
export interface BacktestSettings {
  proposed: SiteSettings;
  current: SiteSettings;
}

/** One comment whose verdict would change, for the preview's cards. */
export interface BacktestSample {
  id: string;
  from: CommentStatus;
  to: CommentStatus;
  /** The codes of the new verdict's reasons. */
  codes: string[];
  receivedAt: Date;
}

export interface BacktestResult {
  /** Comments re-run (those with stored facts). */
  comments: number;
  /** Of those, how many the proposed settings would have given another status. */
  changed: number;
  /** Comments in the window without stored facts: counted, never guessed. */
  notBacktestable: number;
  /** `from->to` (e.g. `approved->pending`) and how many. */
  transitions: Record<string, number>;
  /**
   * Of `changed`, those whose status the settings in force now would change as well (the rules changed
   * since they were checked): that part is not the proposal's doing.
   */
  drift: number;
  /** The newest changed comments, newest first, in whatever order the checks come. */
  sample: BacktestSample[];
}

export const emptyBacktest = (): BacktestResult => ({
  comments: 0,
  changed: 0,
  notBacktestable: 0,
  transitions: {},
  drift: 0,
  sample: [],
});

/** Keeps the `size` newest, newest first (of equal times, the one met first stays ahead). */
function addToSample(sample: BacktestSample[], size: number, one: BacktestSample): void {
  const last = sample.at(-1);
  if (size <= 0 || (sample.length >= size && last !== undefined && last.receivedAt >= one.receivedAt)) return;
  const at = sample.findIndex((s) => s.receivedAt < one.receivedAt);
  sample.splice(at === -1 ? sample.length : at, 0, one);
  if (sample.length > size) sample.pop();
}

/**
 * Re-runs the rules over stored checks and adds what changes to `into` (so a long window is counted
 * batch by batch). `settingsOf` gives a page's settings (a page's overrides merged over its site's);
 * null leaves the page's comments out.
 */
export function backtestChecks(
  checks: readonly StoredCheck[],
  settingsOf: (pageId: number) => BacktestSettings | null,
  options: { sampleSize: number; rules?: readonly CheckRule[] },
  into: BacktestResult = emptyBacktest(),
): BacktestResult {
  const result = into;
  for (const check of checks) {
    const settings = settingsOf(check.pageId);
    if (settings === null) continue;
    if (check.context === null) {
      result.notBacktestable += 1;
      continue;
    }
    result.comments += 1;
    const verdict = checkComment({ ...check.context, settings: settings.proposed }, options.rules);
    if (verdict.status === check.status) continue;
    result.changed += 1;
    // Only for the changed: a second run over every comment would double a long window's cost.
    const current =
      settings.current === settings.proposed
        ? verdict.status
        : checkComment({ ...check.context, settings: settings.current }, options.rules).status;
    if (current !== check.status) result.drift += 1;
    const key = `${check.status}->${verdict.status}`;
    result.transitions[key] = (result.transitions[key] ?? 0) + 1;
    addToSample(result.sample, options.sampleSize, {
      id: check.id,
      from: check.status,
      to: verdict.status,
      codes: verdict.reasons.map((r) => r.code),
      receivedAt: check.context.receivedAt,
    });
  }
  return result;
}

/** The answer of the CLI and the JSON route: the counts, and the sample as comment ids. */
export function toBacktestJson(result: BacktestResult): Record<string, unknown> {
  return {
    comments: result.comments,
    changed: result.changed,
    transitions: result.transitions,
    sample: result.sample.map((s) => s.id),
    notBacktestable: result.notBacktestable,
    drift: result.drift,
  };
}
