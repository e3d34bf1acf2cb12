/**
 * Tells the server the moderator's time zone (the `rd_tz` cookie, src/http/desk/desk-time-zone.ts),
 * so the audit log shows times as the moderator's clock does. A page rendered in another zone (the
 * first visit, or after travelling) is reloaded once; without cookies it stays in UTC and says so.
 */
export function shareTimeZone(): void {
  let zone: string;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  const value = encodeURIComponent(zone);
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `rd_tz=${value}; path=/admin; max-age=31536000; samesite=lax${secure}`;
  const shown = document.querySelector<HTMLElement>('[data-zone]')?.dataset.zone;
  if (shown === undefined || shown === zone || !document.cookie.includes(`rd_tz=${value}`)) return;
  // Once per tab session: a zone the server refuses must not reload the page for ever.
  try {
    if (sessionStorage.getItem('rd_tz_reloaded') === zone) return;
    sessionStorage.setItem('rd_tz_reloaded', zone);
  } catch {
    return;
  }
  location.reload();
}
