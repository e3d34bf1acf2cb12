/*
 * "3 minutes ago", in the widget's language, from Intl (no locale data shipped with the widget).
 * Pure: the caller passes `now`, so the unit tests pin the clock.
 */
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

export function relativeTime(iso: string, now: number, lang: string): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return '';
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  // Under a minute reads as "now" (and a clock a little ahead of the server's never says "in 5 seconds").
  return format.format(0, 'second');
}
