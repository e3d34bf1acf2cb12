import { describe, it, expect } from 'vitest';
import { toVerdict, type RuleAction, type RuleOutcome } from '../../src/moderation/verdict.js';

const outcome = (action: RuleAction, score = 0, code = action.toUpperCase()): RuleOutcome => ({
  rule: `rule-${code.toLowerCase()}`,
  action,
  code,
  message: `because ${code}`,
  score,
});

describe('toVerdict', () => {
  it('no outcome means approved with score 0', () => {
    expect(toVerdict([])).toEqual({ status: 'approved', score: 0, reasons: [] });
  });

  it.each([
    [['hold'], 'pending'],
    [['spam'], 'spam'],
    [['reject'], 'rejected'],
    [['hold', 'spam'], 'spam'],
    [['spam', 'hold'], 'spam'],
    [['hold', 'reject', 'spam'], 'rejected'],
    [['reject', 'hold'], 'rejected'],
    [['spam', 'reject'], 'rejected'],
    [['hold', 'hold', 'hold'], 'pending'],
  ] as [RuleAction[], string][])('actions %j give status %s (the most severe wins)', (actions, status) => {
    expect(toVerdict(actions.map((a) => outcome(a))).status).toBe(status);
  });

  it('the score is the sum of the scores, rounded to hundredths', () => {
    expect(toVerdict([outcome('hold', 0.1), outcome('hold', 0.2)]).score).toBe(0.3);
    expect(toVerdict([outcome('hold', 2), outcome('spam', 5), outcome('hold', 0.5)]).score).toBe(7.5);
    expect(toVerdict([outcome('hold', 1 / 3)]).score).toBe(0.33);
  });

  it('keeps every reason in the given order', () => {
    const reasons = [outcome('hold', 1, 'A'), outcome('reject', 0, 'B'), outcome('spam', 5, 'C')];
    expect(toVerdict(reasons).reasons.map((r) => r.code)).toEqual(['A', 'B', 'C']);
  });
});
