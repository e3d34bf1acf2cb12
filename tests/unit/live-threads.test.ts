import { describe, expect, it } from 'vitest';
import { toThreadSignals } from '../../src/moderation/status-changes.js';
import { compareSeq, isThreadSeq, toLoggedThreadSignal, toThreadSignal } from '../../src/queue/live-threads.js';

describe('thread log ids', () => {
  it('order by time, then by sequence, as numbers (not as strings)', () => {
    expect(compareSeq('1-0', '1-0')).toBe(0);
    expect(compareSeq('9-0', '10-0')).toBe(-1);
    expect(compareSeq('10-2', '10-10')).toBe(-1);
    expect(compareSeq('1733312345678-1', '1733312345678-0')).toBe(1);
  });
  it('Last-Event-ID must look like one', () => {
    expect(isThreadSeq('1733312345678-0')).toBe(true);
    for (const bad of ['', '1733312345678', 'abc-1', '1-2-3', ' 1-0', `${'9'.repeat(21)}-0`])
      expect(isThreadSeq(bad)).toBe(false);
  });
});

const C = '0190a5c4-3b1e-7c2d-8e4f-1a2b3c4d5e6f';

describe('announcements off the channel', () => {
  it('are read when well formed, dropped (null) when not', () => {
    expect(toThreadSignal(`{"type":"vote","site":"s","id":"${C}","page":"p","up":2,"down":1}`)).toEqual({
      type: 'vote',
      site: 's',
      id: C,
      page: 'p',
      up: 2,
      down: 1,
    });
    for (const bad of [
      'nope',
      'null',
      '[]',
      '{"type":"x","site":"s","id":"c"}',
      '{"type":"comment","site":1,"id":"c"}',
      `{"type":"vote","site":"s","id":"${C}","up":1.5,"down":0}`,
      // Not a comment id: one such signal must not fail the relay's query for the whole batch.
      '{"type":"removed","site":"s","id":"c"}',
    ])
      expect(toThreadSignal(bad)).toBeNull();
    expect(toLoggedThreadSignal(`5-0 {"type":"removed","site":"s","id":"${C}"}`)).toEqual({
      seq: '5-0',
      type: 'removed',
      site: 's',
      id: C,
    });
    expect(toLoggedThreadSignal(`{"type":"removed","site":"s","id":"${C}"}`)).toBeNull();
    expect(toLoggedThreadSignal(`x-0 {"type":"removed","site":"s","id":"${C}"}`)).toBeNull();
  });
});

describe('what a status change tells readers', () => {
  it('becoming public is a comment, stopping being public is removed, anything else nothing', () => {
    const change = (fromStatus: string, toStatus: string) =>
      ({ id: `${fromStatus}>${toStatus}`, siteId: 's', fromStatus, toStatus }) as never;
    expect(
      toThreadSignals([
        change('pending', 'approved'),
        change('spam', 'approved'),
        change('approved', 'pending'),
        change('approved', 'deleted'),
        change('pending', 'spam'),
        change('rejected', 'deleted'),
      ]),
    ).toEqual([
      { type: 'comment', site: 's', id: 'pending>approved' },
      { type: 'comment', site: 's', id: 'spam>approved' },
      { type: 'removed', site: 's', id: 'approved>pending' },
      { type: 'removed', site: 's', id: 'approved>deleted' },
    ]);
  });
});
