/*
 * The server renders and sanitises every comment (src/domain/render-comment.ts); the widget shows that
 * HTML and nothing built from reader strings. As a second wall, it is parsed in an inert <template>
 * (nothing loads or runs there) and checked against the same allow-list before it joins the page, so a
 * bug or a tampered response still cannot put a handler or a script link in front of a reader.
 */
const allowedTags = new Set(['P', 'BR', 'EM', 'STRONG', 'A', 'BLOCKQUOTE', 'CODE', 'PRE', 'UL', 'OL', 'LI']);
const safeLink = /^(https?:|mailto:)/i;

export function toSafeFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const el of Array.from(template.content.querySelectorAll('*'))) {
    if (!allowedTags.has(el.tagName)) {
      el.replaceWith(el.textContent ?? '');
      continue;
    }
    for (const { name, value } of Array.from(el.attributes)) {
      const keep =
        el.tagName === 'A' ? name === 'href' && safeLink.test(value.trim()) : el.tagName === 'OL' && name === 'start';
      if (!keep) el.removeAttribute(name);
    }
    if (el.tagName === 'A') el.setAttribute('rel', 'nofollow ugc noopener');
  }
  return template.content;
}

/** A reader's website as a link target: http(s) only, else none. */
export function safeWebsite(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
