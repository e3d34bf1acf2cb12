import { describe, expect, it } from 'vitest';
import { formatCommentDate, threadHeading } from '../../src/http/demo/thread-words.js';
import { languages } from '../../widget/i18n.js';

/*
 * Issue 13, item 10: the page without JavaScript and the widget say the same thing over the thread,
 * and the no-JS page's dates are readable ("3 December 2026 at 14:05 UTC", not an RFC 1123 string).
 */
describe('the no-JS thread speaks as the widget does', () => {
  it.each([0, 1, 2, 17])('the heading over %i approved comments is the widget’s English one', (n) => {
    expect(threadHeading(n, false)).toBe(languages.en?.count(n));
  });

  it('with the reader’s own comment waiting below and none approved, both say "Comments", not "No comments yet"', () => {
    expect(threadHeading(0, true)).toBe('Comments');
    expect(languages.en?.title).toBe('Comments');
    // Once comments are approved the count is true whatever waits below it.
    expect(threadHeading(3, true)).toBe('3 Comments');
  });
});

describe('formatCommentDate', () => {
  it.each([
    ['2026-12-03T14:05:09Z', '3 December 2026 at 14:05 UTC'],
    ['2027-01-01T00:00:00Z', '1 January 2027 at 00:00 UTC'],
    ['2026-06-30T23:59:59.999Z', '30 June 2026 at 23:59 UTC'],
  ])('%s reads as "%s"', (iso, text) => {
    expect(formatCommentDate(new Date(iso))).toBe(text);
  });
});
