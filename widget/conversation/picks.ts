import type { WidgetContext } from '../context';
import { h } from '../dom';
import type { ConversationMessages } from './words';
import { toSafeFragment } from '../safe-html';

/** How much of a pick's text the strip shows. */
const EXCERPT_CHARS = 140;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of the server's sanitised HTML, shortened at a word: the strip shows no markup. */
export function excerpt(html: string, max = EXCERPT_CHARS): string {
  const text = (toSafeFragment(html).textContent ?? '').replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The "Editors' picks" strip at the top of `home` (there only while there are picks) and which ids are picks. */
export function createPicks(ctx: WidgetContext, ct: ConversationMessages, home: HTMLElement) {
  const ids = new Set<string>();
  const list = h('ul', { class: 'rd-picks-list' });
  const el = h(
    'aside',
    { class: 'rd-picks', 'aria-labelledby': 'rd-picks-title' },
    h('h3', { class: 'rd-picks-title', id: 'rd-picks-title' }, ct.picks),
    list,
  );

  async function load(): Promise<void> {
    const q = `site=${encodeURIComponent(ctx.site)}&page=${encodeURIComponent(ctx.page)}&featured=1`;
    const r = await ctx.api.call(`api/comments?${q}`);
    const items = r.status === 200 && isObject(r.body) && Array.isArray(r.body.comments) ? r.body.comments : [];
    list.replaceChildren();
    ids.clear();
    for (const c of items) {
      if (!isObject(c) || typeof c.id !== 'string' || typeof c.html !== 'string') continue;
      const author = isObject(c.author) && typeof c.author.name === 'string' ? c.author.name : '';
      ids.add(c.id);
      list.append(
        h(
          'li',
          { class: 'rd-pick' },
          h(
            'a',
            { href: `${ctx.pageUrl}#comment-${c.id}`, class: 'rd-pick-link' },
            h('strong', { class: 'rd-pick-author' }, author || ctx.t.anonymous),
            ' ',
            h('span', { class: 'rd-pick-text' }, excerpt(c.html)),
          ),
        ),
      );
    }
    // Out of the page while there are none: no empty heading for screen readers to land on.
    if (ids.size === 0) el.remove();
    else if (!el.isConnected) home.prepend(el);
  }

  return { load, has: (id: string) => ids.has(id) };
}
