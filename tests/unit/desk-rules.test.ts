import { describe, expect, it } from 'vitest';
import type { DeskCommentStatus, DeskTab } from '../../src/http-contract/desk-contract.js';
import {
  arrivalOf,
  inTab,
  queueViewOf,
  stepIndex,
  tabOfStatus,
  toCommentEvent,
  toDeskTab,
  type Arrival,
} from '../../widget/desk/desk-rules.js';

// The dashboard script's decisions (widget/desk/desk-rules.ts), as the one-file admin.js made them.

describe('j and k: the next card', () => {
  it.each([
    ['none current, j: the first', -1, 1, 5, 0],
    ['none current, k: the last', -1, -1, 5, 4],
    ['j from the second: the third', 1, 1, 5, 2],
    ['k from the second: the first', 1, -1, 5, 0],
    ['j on the last stays there', 4, 1, 5, 4],
    ['k on the first stays there', 0, -1, 5, 0],
  ] as const)('%s', (_name, at, delta, count, want) => {
    expect(stepIndex(at, delta, count)).toBe(want);
  });
});

describe('which tab a status belongs in', () => {
  it.each([
    ['pending', 'pending', true],
    ['reported', 'pending', true],
    ['reported', 'spam', false],
    ['spam', 'spam', true],
    ['approved', 'pending', false],
    ['rejected', 'rejected', true],
  ] as [DeskTab, DeskCommentStatus, boolean][])('tab %s, status %s: %s', (tab, status, want) => {
    expect(inTab(tab, status)).toBe(want);
  });

  it('counts every status in its own tab, and a deleted comment in none', () => {
    expect(tabOfStatus).toEqual({ pending: 'pending', approved: 'approved', rejected: 'rejected', spam: 'spam' });
  });

  it.each([
    ['spam', 'spam'],
    ['reported', 'reported'],
    [undefined, 'pending'],
    ['toString', 'pending'],
    ['nonsense', 'pending'],
  ] as [string | undefined, DeskTab][])('data-tab %s reads as %s', (raw, want) => {
    expect(toDeskTab(raw)).toBe(want);
  });
});

describe('where a newly held comment goes', () => {
  const held = { id: 'c1', siteId: 'news', status: 'pending' } as const;
  it.each([
    ['the open pending queue, oldest first, on its last page', 'pending', '', false, 'insert'],
    ['newest first, on the first page', 'pending', 'order=newest', true, 'insert'],
    ['newest first, on a later page', 'pending', 'order=newest&cursor=abc', false, 'count-and-say'],
    ['oldest first, with a next page', 'pending', '', true, 'count-and-say'],
    ['narrowed by a search', 'pending', 'q=spam', false, 'count-and-say'],
    ['narrowed by a page', 'pending', 'page=p1', false, 'count-and-say'],
    ['a blank search narrows nothing', 'pending', 'q=%20', false, 'insert'],
    ['filtered to this site', 'pending', 'site=news', false, 'insert'],
    ['filtered to another site', 'pending', 'site=blog', false, 'ignore'],
    ['the spam tab', 'spam', '', false, 'count-other-tab'],
    ['the reported tab (a new comment has no flags yet)', 'reported', '', false, 'count-other-tab'],
  ] as [string, DeskTab, string, boolean, Arrival][])('%s: %s', (_name, tab, query, hasNext, want) => {
    expect(arrivalOf(queueViewOf(tab, new URLSearchParams(query), hasNext), held)).toBe(want);
  });
});

describe("the live stream's comment event", () => {
  it.each([
    ['{"id":"a","siteId":"news","status":"spam"}', { id: 'a', siteId: 'news', status: 'spam' }],
    ['{"id":"a","siteId":"news","status":"pending","extra":1}', { id: 'a', siteId: 'news', status: 'pending' }],
    ['{"id":"a","siteId":"news","status":"approved"}', null],
    ['{"id":1,"siteId":"news","status":"pending"}', null],
    ['null', null],
    ['not json', null],
  ])('%s', (data, want) => {
    expect(toCommentEvent(data)).toEqual(want);
  });
});
