/*
 * localStorage and sessionStorage as JSON, failing soft: storage can be full, disabled, or throw
 * outright (Safari private windows, third-party storage blocking); the widget then just forgets.
 */
export function readStored<T>(area: 'local' | 'session', key: string): T | null {
  try {
    const raw = (area === 'local' ? localStorage : sessionStorage).getItem(key);
    return raw === null ? null : (JSON.parse(raw) as T);
  } catch {
    return null;
  }
}

export function writeStored(area: 'local' | 'session', key: string, value: unknown): void {
  try {
    const store = area === 'local' ? localStorage : sessionStorage;
    if (value === null) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    // Nothing to do: the draft or the saved details live only as long as this page.
  }
}

/** localStorage/sessionStorage key of this site and page. */
export const storageKey = (ctx: { site: string; page: string }, what: string): string =>
  `reply-desk:${what}:${ctx.site}:${ctx.page}`;
