import { describe, expect, it } from 'vitest';
import { applyVote, voteScore } from '../../src/domain/vote-score.js';
import { decodeCursor, encodeCursor } from '../../src/http/kit/thread-cursor.js';

describe('voteScore (Wilson lower bound, 95%)', () => {
  it('is 0 without votes and below 1 for any finite evidence', () => {
    expect(voteScore(0, 0)).toBe(0);
    expect(voteScore(0, 5)).toBe(0);
    expect(voteScore(1000, 0)).toBeLessThan(1);
  });

  it('one vote on a new comment does not beat 40 up and 2 down', () => {
    expect(voteScore(1, 0)).toBeCloseTo(0.2065, 4);
    expect(voteScore(40, 2)).toBeCloseTo(0.8421, 4);
    expect(voteScore(40, 2)).toBeGreaterThan(voteScore(1, 0));
    expect(voteScore(3, 0)).toBeGreaterThan(voteScore(5, 5));
  });

  it('grows with the number of up votes when down votes are off', () => {
    const scores = [1, 2, 5, 10, 50].map((n) => voteScore(n, 0));
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(new Set(scores).size).toBe(scores.length);
  });
});

describe('applyVote', () => {
  it('moves the counts from the old vote to the new one, and never below zero', () => {
    expect(applyVote({ up: 0, down: 0 }, 0, 1)).toEqual({ up: 1, down: 0 });
    expect(applyVote({ up: 1, down: 0 }, 1, -1)).toEqual({ up: 0, down: 1 });
    expect(applyVote({ up: 0, down: 1 }, -1, 0)).toEqual({ up: 0, down: 0 });
    expect(applyVote({ up: 0, down: 0 }, 1, 0)).toEqual({ up: 0, down: 0 });
  });
});

describe('thread cursors', () => {
  const at = new Date('2026-12-01T10:00:00.123Z');
  const id = '0b7c2f4e-8d1a-4c3b-9e5f-1a2b3c4d5e6f';

  it('a time cursor and a scored ("top") cursor both come back as they went', () => {
    expect(decodeCursor(encodeCursor({ receivedAt: at, id }))).toEqual({ receivedAt: at, id });
    for (const score of [0, 1, voteScore(1, 0), voteScore(40, 2), 1e-7])
      expect(decodeCursor(encodeCursor({ receivedAt: at, id, score }))).toEqual({ receivedAt: at, id, score });
  });

  it('anything not made here is no cursor', () => {
    const b = (s: string): string => Buffer.from(s).toString('base64url');
    for (const bad of [
      b(`2|${at.toISOString()}|${id}`),
      b(`-0.5|${at.toISOString()}|${id}`),
      b(`NaN|${at.toISOString()}|${id}`),
      b(`0.5|${at.toISOString()}|${id}|x`),
      b(`0.5|yesterday|${id}`),
      b(`${at.toISOString()}|not-an-id`),
    ])
      expect(decodeCursor(bad)).toBeNull();
  });
});
