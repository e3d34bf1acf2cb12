/*
 * The moderator's time zone for the desk's pages. The browser knows it and the server does not: the
 * desk script (widget/desk/time-zone.ts) writes it into the `rd_tz` cookie, and pages that show times
 * read it here. Without the script (or before it has run once) times stay in UTC, and the pages say so.
 */

/** The cookie the desk script sets; read on every desk page that shows times. */
export const TIME_ZONE_COOKIE = 'rd_tz';

/** Whether Intl knows this IANA zone name (a cookie is input: anything else falls back to UTC). */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone.length > 64 || !/^[A-Za-z0-9_+\-/]+$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone in a Cookie header, or null when there is none or it is not a zone Intl knows. */
export function timeZoneOfCookies(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name !== TIME_ZONE_COOKIE) continue;
    let value: string;
    try {
      value = decodeURIComponent(rest.join('='));
    } catch {
      return null;
    }
    return isTimeZone(value) ? value : null;
  }
  return null;
}

/** "2026-12-03 13:53:38 UTC": the exact instant, for a <time>'s title and for the no-script page. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** "2026-12-03 14:53:38" in `zone` (24-hour, sortable like the UTC form, so columns line up). */
export function formatInZone(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}
