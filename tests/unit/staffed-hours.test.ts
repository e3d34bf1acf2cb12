import { describe, expect, it } from 'vitest';
import { staffedHoursSchema, staffedStateAt, type StaffedHours } from '../../src/domain/pages/staffed-hours.js';
import { closureFields, pageClosureAt } from '../../src/domain/thread-closure.js';

/*
 * The staffed-hours rule (issue 16, item 2) with a clock the test sets: weekdays, weekends, overnight
 * windows and both daylight saving changes in Europe/Berlin (2026: 29 March and 25 October).
 */

const berlin = (o: Partial<StaffedHours> = {}): StaffedHours =>
  staffedHoursSchema.parse({ timeZone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], from: '07:00', to: '23:00', ...o });

const at = (iso: string): Date => new Date(iso);

describe('is the desk staffed at now, and when does it open', () => {
  it.each([
    // 2026-12-07 is a Monday; Berlin is UTC+1 in winter.
    ['Monday 10:00 Berlin', berlin(), '2026-12-07T09:00:00Z', null],
    ['Monday 06:59 Berlin: one minute before', berlin(), '2026-12-07T05:59:00Z', '2026-12-07T06:00:00.000Z'],
    ['Monday 07:00 Berlin: opens on the minute', berlin(), '2026-12-07T06:00:00Z', null],
    ['Monday 23:00 Berlin: closed at the end minute', berlin(), '2026-12-07T22:00:00Z', '2026-12-08T06:00:00.000Z'],
    ['Friday 23:30 Berlin: next is Monday', berlin(), '2026-12-11T22:30:00Z', '2026-12-14T06:00:00.000Z'],
    ['Saturday noon: next is Monday', berlin(), '2026-12-12T11:00:00Z', '2026-12-14T06:00:00.000Z'],
    ['Sunday only, on a Sunday before it', berlin({ days: [0] }), '2026-12-06T05:00:00Z', '2026-12-06T06:00:00.000Z'],
    // Summer time (UTC+2): the same wall clock is an hour earlier in UTC.
    ['a July Monday 07:30 Berlin', berlin(), '2026-07-06T05:30:00Z', null],
    ['a July Monday 06:30 Berlin', berlin(), '2026-07-06T04:30:00Z', '2026-07-06T05:00:00.000Z'],
    // Spring forward on Sunday 29 March: Monday's 07:00 is already summer time.
    ['the night clocks go forward', berlin(), '2026-03-29T12:00:00Z', '2026-03-30T05:00:00.000Z'],
    // Fall back on Sunday 25 October: Monday's 07:00 is winter time again.
    ['the night clocks go back', berlin(), '2026-10-25T12:00:00Z', '2026-10-26T06:00:00.000Z'],
    // A window over the change itself: Sunday 01:00–05:00 lasts 3 hours in spring, 5 in autumn.
    [
      'spring Sunday 04:30 local (02:30 UTC)',
      berlin({ days: [0], from: '01:00', to: '05:00' }),
      '2026-03-29T02:30:00Z',
      null,
    ],
    [
      'spring Sunday 05:00 local (03:00 UTC)',
      berlin({ days: [0], from: '01:00', to: '05:00' }),
      '2026-03-29T03:00:00Z',
      '2026-04-04T23:00:00.000Z',
    ],
    [
      'autumn Sunday 04:30 local (03:30 UTC)',
      berlin({ days: [0], from: '01:00', to: '05:00' }),
      '2026-10-25T03:30:00Z',
      null,
    ],
  ])('%s', (_name, hours, now, opensAt) => {
    const state = staffedStateAt(hours, at(now));
    if (opensAt === null) expect(state).toEqual({ staffed: true });
    else
      expect(state).toEqual({ staffed: false, outside: 'pre', opensAt: new Date(opensAt), opensAtLocal: hours.from });
  });

  describe('an overnight desk, 22:00–06:00 starting Monday to Friday (Berlin, winter)', () => {
    const night = berlin({ from: '22:00', to: '06:00' });
    it.each([
      ['Monday 23:00: staffed', '2026-12-07T22:00:00Z', null],
      ['Tuesday 03:00, the morning after Monday: staffed', '2026-12-08T02:00:00Z', null],
      ['Tuesday 06:00: the shift ended', '2026-12-08T05:00:00Z', '2026-12-08T21:00:00.000Z'],
      ['Monday 03:00, after Sunday (not listed): off', '2026-12-07T02:00:00Z', '2026-12-07T21:00:00.000Z'],
      ['Saturday 05:00, the morning after Friday: staffed', '2026-12-12T04:00:00Z', null],
      ['Saturday 23:00: off until Monday night', '2026-12-12T22:00:00Z', '2026-12-14T21:00:00.000Z'],
    ])('%s', (_name, now, opensAt) => {
      const state = staffedStateAt(night, at(now));
      expect(state.staffed).toBe(opensAt === null);
      if (!state.staffed) expect(state.opensAt).toEqual(new Date(opensAt as string));
    });
  });

  it('no hours at all: always staffed', () => {
    expect(staffedStateAt(null, at('2026-12-12T03:00:00Z'))).toEqual({ staffed: true });
  });

  it('another zone: New York 09:00–17:00 every day', () => {
    const ny = staffedHoursSchema.parse({
      timeZone: 'America/New_York',
      days: [0, 1, 2, 3, 4, 5, 6],
      from: '09:00',
      to: '17:00',
    });
    expect(staffedStateAt(ny, at('2026-12-07T14:00:00Z')).staffed).toBe(true);
    expect(staffedStateAt(ny, at('2026-12-07T22:30:00Z'))).toMatchObject({ opensAt: new Date('2026-12-08T14:00:00Z') });
  });
});

describe('the staffed-hours setting', () => {
  it.each([
    ['an unknown zone', { timeZone: 'Mars/Olympus', days: [1], from: '07:00', to: '23:00' }, 'timeZone'],
    ['a day 7', { timeZone: 'UTC', days: [7], from: '07:00', to: '23:00' }, 'days'],
    ['no days', { timeZone: 'UTC', days: [], from: '07:00', to: '23:00' }, 'days'],
    ['25:00', { timeZone: 'UTC', days: [1], from: '07:00', to: '25:00' }, 'to'],
    ['7 am', { timeZone: 'UTC', days: [1], from: '7am', to: '23:00' }, 'from'],
    ['an empty window', { timeZone: 'UTC', days: [1], from: '07:00', to: '07:00' }, 'to'],
    ['another outcome', { timeZone: 'UTC', days: [1], from: '07:00', to: '08:00', outside: 'spam' }, 'outside'],
    ['an unknown key', { timeZone: 'UTC', days: [1], from: '07:00', to: '08:00', lunch: '12:00' }, ''],
  ])('refuses %s, naming the key', (_name, raw, key) => {
    const parsed = staffedHoursSchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => String(i.path[0] ?? ''))).toContain(key);
  });

  it('defaults outside to pre and keeps each day once, in order', () => {
    expect(staffedHoursSchema.parse({ timeZone: 'UTC', days: [5, 1, 1], from: '07:00', to: '08:00' })).toEqual({
      timeZone: 'UTC',
      days: [1, 5],
      from: '07:00',
      to: '08:00',
      outside: 'pre',
    });
  });
});

describe('a thread closed outside the hours', () => {
  const closedAtNight = berlin({ outside: 'closed' });
  it('reads "closed until" the desk opens, and opens by itself', () => {
    const night = pageClosureAt(null, { closeAfterDays: 0, staffedHours: closedAtNight }, at('2026-12-08T02:00:00Z'));
    expect(closureFields(night)).toEqual({
      closed: true,
      closedReason: 'off-hours',
      closedUntil: '2026-12-08T06:00:00.000Z',
      closedUntilLocal: '07:00',
    });
    const morning = pageClosureAt(null, { closeAfterDays: 0, staffedHours: closedAtNight }, at('2026-12-08T06:00:00Z'));
    expect(closureFields(morning)).toEqual({ closed: false });
  });

  it('a page closed by hand stays closed by hand, also at night', () => {
    const c = pageClosureAt(
      { closed: true, firstCommentAt: null },
      { closeAfterDays: 0, staffedHours: closedAtNight },
      at('2026-12-08T02:00:00Z'),
    );
    expect(c).toEqual({ closed: true, reason: 'by-hand' });
  });

  it('outside: pre holds comments but leaves the thread open', () => {
    expect(pageClosureAt(null, { closeAfterDays: 0, staffedHours: berlin() }, at('2026-12-08T02:00:00Z'))).toEqual({
      closed: false,
    });
  });
});
