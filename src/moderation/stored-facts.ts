import type { CommentFields } from '../domain/comment-fields.js';
import { holdCalibrationLimits } from '../spam/hold-calibration.js';
import type { SpamScore } from '../spam/score-spam.js';
import type { CheckContext } from './verdict.js';

/*
 * What the rules read, stored with each verdict (comments.check_facts, sql/0054) so that a backtest
 * (src/moderation/backtest.ts) re-runs the rules exactly. Generic on purpose: whatever the worker puts
 * in the CheckContext is kept (a field added to the context later is kept without a change here), and
 * its Dates come back as Dates.
 */

/** A context the rules can run over once a backtest supplies the settings. */
export type BacktestContext = Omit<CheckContext, 'settings'>;

/**
 * The stored facts: the context without the settings (a backtest supplies those) and without the
 * fields the comment's row holds already (name, email, website, text, page: read back from the row,
 * so they are stored once, and erasing them there erases them here). Only the parent id stays: a
 * refused reply's row keeps no parent.
 */
export type StoredFacts = Omit<CheckContext, 'settings' | 'fields'> & { fields: Pick<CommentFields, 'parentId'> };

/**
 * The spam score as stored: of the site's calibration samples (up to 2,000 scores of approved comments,
 * 39 kB of JSON on every comment of a calibrated site, were they kept whole) only those at or above the
 * lowest threshold calibration can give (holdCalibrationLimits.min), and how many were below it
 * (`recentHamScoresBelow`, which calibrateHold reads as they are): no threshold and no blocked-ham count
 * depends on the values under every possible threshold, so a backtest's calibration is the worker's.
 */
function storedSpamScore(score: SpamScore | null): SpamScore | null {
  const samples = score?.recentHamScores;
  if (score === null || samples === undefined || score.recentHamScoresBelow !== undefined) return score;
  const above = samples.filter((p) => p >= holdCalibrationLimits.min);
  return { ...score, recentHamScores: above, recentHamScoresBelow: samples.length - above.length };
}

/** The comment's own fields, as its row holds them. */
export type RowFields = Omit<CommentFields, 'parentId'>;

/** The exact form of Date.prototype.toJSON: only such strings are revived, so typed text stays text. */
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The facts to store for a checked comment. The banned or remembered value (an email, an IP) is left
 * out: no rule's status depends on it (only a message quotes it), and an address kept here would
 * outlive the IP retention and erasure jobs, which scrub the row's own columns.
 */
export function toStoredFacts(ctx: CheckContext): StoredFacts {
  const { settings: _settings, fields, ...rest } = ctx;
  const facts: StoredFacts = {
    ...rest,
    fields: { parentId: fields.parentId },
    spamScore: storedSpamScore(rest.spamScore),
  };
  if (facts.ban) facts.ban = { ...facts.ban, value: '' };
  if (facts.spamMemory) facts.spamMemory = { ...facts.spamMemory, value: '' };
  return facts;
}

/** Dates back in place: the value is a fresh parse of the row's jsonb, owned by nobody else (a backtest reads many). */
function reviveDates(value: unknown): unknown {
  if (typeof value === 'string') return isoInstant.test(value) ? new Date(value) : value;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = reviveDates(o[k]);
  }
  return value;
}

/**
 * The context a stored comment was checked with (its jsonb as Postgres returns it, revived in place,
 * and its row's fields); null when the row has no facts (checked before they were stored, edited since, erased).
 */
export function fromStoredFacts(raw: unknown, row: RowFields): BacktestContext | null {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const facts = reviveDates(raw) as StoredFacts;
  if (facts.fields === undefined || !(facts.receivedAt instanceof Date)) return null;
  return { ...facts, fields: { ...row, parentId: facts.fields.parentId } };
}
