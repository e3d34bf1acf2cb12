import { describe, expect, it } from 'vitest';
import { closureFields, closureOf } from '../../src/domain/thread-closure.js';

const DAY = 86_400_000;
const now = new Date('2026-12-03T12:00:00Z');
const ago = (days: number): Date => new Date(now.getTime() - days * DAY);

describe('whether a page takes comments, and why not', () => {
  it.each([
    ['no page row yet', null, 30, { closed: false }],
    [
      'closed by hand, whatever the days',
      { closed: true, firstCommentAt: null },
      0,
      { closed: true, closedReason: 'by-hand' },
    ],
    [
      'first comment 31 days ago, closes after 30',
      { closed: false, firstCommentAt: ago(31) },
      30,
      { closed: true, closedReason: 'after-days', closeAfterDays: 30 },
    ],
    ['first comment 29 days ago, closes after 30', { closed: false, firstCommentAt: ago(29) }, 30, { closed: false }],
    [
      'exactly 30 days: still open (the worker refuses only past it)',
      { closed: false, firstCommentAt: ago(30) },
      30,
      { closed: false },
    ],
    ['a site that never closes', { closed: false, firstCommentAt: ago(5000) }, 0, { closed: false }],
    ['no comment yet on an existing page', { closed: false, firstCommentAt: null }, 30, { closed: false }],
  ] as const)('%s', (_name, page, days, expected) => {
    expect(closureFields(closureOf(page, days, now))).toEqual(expected);
  });
});
