import { z } from 'zod';

/*
 * Staffed hours (issue 16, item 2): when a site's desk is staffed, in the desk's own time zone, and what
 * happens to new comments outside those hours. Pure: `now` always comes in, and local time is Intl's
 * (the IANA zone database Node ships), so daylight saving time moves the hours with the desk's clocks.
 */

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use a 24-hour time such as 07:00.');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A site's staffed hours: on each of `days` (0 = Sunday … 6 = Saturday, local) from `from` to `to` in
 * `timeZone`. A window whose `to` is earlier than its `from` runs overnight (22:00–06:00 starts on the
 * listed day and ends the next morning). Outside them, `outside` decides: `pre` holds every new comment
 * with the reason OFF_HOURS, `closed` closes every thread until the desk opens again.
 */
export const staffedHoursSchema = z
  .object({
    /** An IANA time zone such as Europe/Berlin. */
    timeZone: z.string().max(100).refine(isTimeZone, 'Not a known time zone (e.g. Europe/Berlin).'),
    /** The local days a window starts on, 0 = Sunday. */
    days: z
      .array(z.number().int().min(0).max(6))
      .min(1)
      .max(7)
      .transform((d) => [...new Set(d)].sort((a, b) => a - b)),
    from: clock,
    to: clock,
    /** What happens outside the hours. @defaultValue pre */
    outside: z.enum(['pre', 'closed']).default('pre'),
  })
  .strict()
  .refine((h) => h.from !== h.to, { message: 'from and to must differ.', path: ['to'] });

export type StaffedHours = z.output<typeof staffedHoursSchema>;

/** Whether the desk is staffed at an instant, and when not, what applies and when it opens again. */
export type StaffedState =
  | { staffed: true }
  | {
      staffed: false;
      outside: 'pre' | 'closed';
      /** The next window's start (null only if none in the coming week, which valid hours never are). */
      opensAt: Date | null;
      /** That start as the desk's clock shows it, e.g. "07:00". */
      opensAtLocal: string;
    };

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formats.set(timeZone, f);
  }
  return f;
}

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface LocalTime {
  year: number;
  month: number;
  day: number;
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

/** The wall clock in `timeZone` at `at`. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatIn(timeZone).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
    minutes: (Number(parts.hour) % 24) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** How far `timeZone` is ahead of UTC at `at`, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const l = localTime(new Date(at), timeZone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, Math.floor(l.minutes / 60), l.minutes % 60);
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant the desk's clock shows `minutes` past midnight on a local date. Twice round: the offset
 * guessed from the wall time, then the one at the guess (they differ only near a DST change). A wall
 * time that does not exist (inside a spring-forward gap) lands on the hour after.
 */
function instantOf(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, Math.floor(minutes / 60), minutes % 60);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return new Date(Math.max(first, second));
}

/** Whether a local time falls in one of the windows. */
function inWindow(h: StaffedHours, l: LocalTime): boolean {
  const from = toMinutes(h.from);
  const to = toMinutes(h.to);
  if (from < to) return h.days.includes(l.weekday) && l.minutes >= from && l.minutes < to;
  // Overnight: the evening of a listed day, or the morning after one.
  return (h.days.includes(l.weekday) && l.minutes >= from) || (h.days.includes((l.weekday + 6) % 7) && l.minutes < to);
}

/** The desk's state at `now`; no hours (null) means always staffed. */
export function staffedStateAt(hours: StaffedHours | null, now: Date): StaffedState {
  if (hours === null) return { staffed: true };
  const l = localTime(now, hours.timeZone);
  if (inWindow(hours, l)) return { staffed: true };
  const from = toMinutes(hours.from);
  // The next window starts on the first listed day, today or within a week, whose start is after now.
  for (let k = 0; k <= 7; k += 1) {
    if (!hours.days.includes((l.weekday + k) % 7)) continue;
    const date = new Date(Date.UTC(l.year, l.month - 1, l.day + k));
    const start = instantOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), from, hours.timeZone);
    if (start.getTime() > now.getTime())
      return { staffed: false, outside: hours.outside, opensAt: start, opensAtLocal: hours.from };
  }
  return { staffed: false, outside: hours.outside, opensAt: null, opensAtLocal: hours.from };
}
