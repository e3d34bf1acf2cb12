/**
 * A path on this service, fit for a redirect or a Back link, or null. Browsers drop tabs and line
 * breaks inside a URL and read "\" as "/", so "/<TAB>/evil.test" and "/\evil.test" lead off-site as
 * "//evil.test" does: the value is resolved the way a browser would (the WHATWG URL parser) and kept
 * only if it stays on the same origin, and anything holding a control character, a space or a
 * backslash is refused outright. The answer is the parsed path, query and fragment, never the raw text.
 */
export function toSameOriginPath(value: string | null): string | null {
  if (value === null || !value.startsWith('/') || /[\u0000-\u0020\u007f-\u009f\\]/.test(value)) return null;
  const base = 'http://same-origin.invalid';
  try {
    const u = new URL(value, base);
    if (u.origin !== base || u.pathname.startsWith('//')) return null;
    return `${u.pathname}${u.search}${u.hash}`;
  } catch {
    return null;
  }
}
