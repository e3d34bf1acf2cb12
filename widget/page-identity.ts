/**
 * Which thread a page shows: the embed's data-page, else the page's canonical URL, else its address
 * without query and hash (so "?utm_source=…" and "#comments" do not split a thread in two).
 * Pure: the caller reads the DOM and passes what it found.
 */
export function pageIdentity(input: {
  dataPage: string | null | undefined;
  canonical: string | null | undefined;
  location: string;
}): string {
  const given = input.dataPage?.trim();
  if (given) return given;
  const canonical = input.canonical?.trim();
  if (canonical) {
    try {
      return new URL(canonical, input.location).href;
    } catch {
      // Not a URL: fall through to the page's address.
    }
  }
  const u = new URL(input.location);
  return u.origin + u.pathname;
}

/** The page's address as sent with a comment (`pageUrl`): without the hash, which names a comment. */
export function pageUrlOf(location: string): string {
  return location.split('#')[0] ?? location;
}
