import { toComment } from '../api';
import type { WidgetContext } from '../context';
import { h } from '../dom';
import { plural } from '../plural';
import type { ConversationMessages } from './words';
import type { Thread } from '../thread';
import type { ApiComment } from '../types';
import type { Votes } from './votes';

const parse = (e: Event): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse((e as MessageEvent<string>).data);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * The page's live stream (GET /api/live): new comments wait behind a "3 new comments" button (a reader
 * in the middle of reading is not pushed around), votes and removals change the thread in place, a
 * closed page loses its form, and a `reset` (the stream could not catch up) fetches the thread again.
 */
export function startLive(
  ctx: WidgetContext,
  ct: ConversationMessages,
  thread: Thread,
  opts: { votes: Votes | null; reload: () => Promise<void>; order: () => string },
): void {
  if (typeof EventSource !== 'function') return;
  const waiting = new Map<string, ApiComment>();
  const button = h('button', { type: 'button', class: 'rd-more rd-new', hidden: true, onclick: () => insert() });
  thread.el.querySelector('.rd-head')?.after(button);

  const refresh = (): void => {
    for (const id of waiting.keys()) if (thread.views.has(id)) waiting.delete(id);
    button.textContent = plural(ctx.lang, waiting.size, ct.newComments);
    button.hidden = waiting.size === 0;
  };

  function insert(): void {
    const list = thread.el.querySelector<HTMLOListElement>('ol.rd-list');
    let first: HTMLElement | null = null;
    for (const c of waiting.values()) {
      const view = thread.add(c);
      if (!view) continue;
      thread.counted();
      // Newest or top first, a new conversation belongs at the top, not after the last one loaded.
      if (!c.parent && opts.order() !== 'oldest' && list) list.prepend(view.li);
      first ??= view.article;
    }
    waiting.clear();
    refresh();
    first?.focus();
  }

  function close(): void {
    const home = ctx.root.querySelector('.rd-form-home');
    home?.replaceWith(h('p', { class: 'rd-closed', role: 'status' }, ctx.t.closed));
    ctx.root.querySelectorAll('.rd-reply').forEach((b) => b.remove());
  }

  const q = `site=${encodeURIComponent(ctx.site)}&page=${encodeURIComponent(ctx.page)}`;
  if (ctx.signal.aborted) return;
  const source = new EventSource(`${ctx.api.base}api/live?${q}`);
  ctx.signal.addEventListener('abort', () => source.close());
  source.addEventListener('comment', (e) => {
    const c = toComment(parse(e));
    if (!c || thread.views.has(c.id)) return;
    waiting.set(c.id, c);
    refresh();
    ctx.announce(plural(ctx.lang, waiting.size, ct.newComments));
  });
  source.addEventListener('vote', (e) => {
    const d = parse(e);
    if (d && typeof d.id === 'string') opts.votes?.update(d.id, d.up, d.down);
  });
  source.addEventListener('removed', (e) => {
    const id = parse(e)?.id;
    if (typeof id !== 'string') return;
    waiting.delete(id);
    refresh();
    const view = thread.views.get(id);
    // Its author deleting it here already said so in its place (reader/edits.ts): that stays.
    if (!view || !view.article.querySelector('.rd-body')) return;
    thread.views.delete(id);
    // Its replies stay, standing alone, as the thread lists them after a removal.
    if (view.li.querySelector('.rd-replies > li')) view.article.remove();
    else view.li.remove();
  });
  source.addEventListener('closed', close);
  source.addEventListener('ready', (e) => {
    if (parse(e)?.closed === true) close();
  });
  source.addEventListener('reset', () => {
    waiting.clear();
    refresh();
    void opts.reload();
  });
}
