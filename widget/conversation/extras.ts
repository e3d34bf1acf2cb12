/*
 * The conversation's extras: what only some readers of a thread need, fetched on demand — the editors'
 * picks strip (a page with picks), sending a vote (the first press) and the live stream's events (the
 * first one after it is open). The rest of the conversation is in the widget module (main.ts).
 */
import { isObject, text, toApiError, toComment } from '../api';
import type { WidgetContext } from '../context';
import { adoptStyles, h, randomId } from '../dom';
import { withMore } from '../more-words';
import { plural } from '../plural';
import { toSafeFragment } from '../safe-html';
import { readStored, writeStored } from '../storage';
import type { PermalinkHost, RepliesHost } from '../thread';
import type { ApiComment } from '../types';
import type { CommentView } from '../comment-view';
import type { LiveHost } from './live';
import type { VoteHost } from './votes';
import type { ConversationMessages } from './words';
import css from './extras.css';

/** The shadow roots that have this part's styles (one widget may show picks, a vote and live events). */
const styled = new WeakSet<ShadowRoot>();
function style(root: ShadowRoot): void {
  if (styled.has(root)) return;
  styled.add(root);
  adoptStyles(root, css);
}

/** How much of a pick's text the strip shows. */
const EXCERPT_CHARS = 140;

/** The text of the server's sanitised HTML, shortened at a word: the strip shows no markup. */
export function excerpt(html: string, max = EXCERPT_CHARS): string {
  const plain = (toSafeFragment(html).textContent ?? '').replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** The "Editors' picks" strip at the top of `home` (not there when none of `items` is a pick), filling `ids`. */
export function showPicks(
  ctx: WidgetContext,
  ct: ConversationMessages,
  home: HTMLElement,
  items: unknown[],
  ids: Set<string>,
): void {
  const list = h('ul', { class: 'rd-picks-list' });
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
  if (ids.size === 0) return;
  style(ctx.root);
  home.prepend(
    h(
      'aside',
      { class: 'rd-picks', 'aria-labelledby': 'rd-picks-title' },
      h('h3', { class: 'rd-picks-title', id: 'rd-picks-title' }, ct.picks),
      list,
    ),
  );
}

/** A guest's browser key, one per browser for every site (the API counts a guest once per key and network). */
const VOTE_KEY = 'reply-desk:vote-key';

function guestKey(): string {
  let key = readStored<string>('local', VOTE_KEY);
  if (typeof key !== 'string' || key.length < 16) {
    key = randomId();
    writeStored('local', VOTE_KEY, key);
  }
  return key;
}

/** Sends the reader's vote on `id` (pressing their own mark again takes it back) and shows the answer. */
export async function vote(v: VoteHost, id: string, pressed: 1 | -1): Promise<void> {
  const { api } = v.ctx;
  const b = v.on.get(id);
  if (!b || b.up.getAttribute('aria-busy')) return;
  const signedIn = api.session.get() !== null;
  const value = v.mine.get(id) === pressed ? 0 : pressed;
  b.message.hidden = true;
  b.up.setAttribute('aria-busy', 'true');
  const r = await api.send('PUT', `api/comments/${encodeURIComponent(id)}/vote`, {
    value,
    ...(signedIn ? {} : { key: guestKey() }),
  });
  b.up.removeAttribute('aria-busy');
  const body = r.body as { up?: unknown; down?: unknown; mine?: unknown } | null;
  if (r.status === 200 && body) {
    b.counts = { up: v.count(body.up), down: v.count(body.down) };
    const m = body.mine === 1 || body.mine === -1 ? body.mine : 0;
    if (m === 0) v.mine.delete(id);
    else v.mine.set(id, m);
    if (!signedIn) writeStored('local', v.guestMarksKey, Object.fromEntries(v.mine));
    v.paint(id);
    return;
  }
  const code = toApiError(r.body)?.code ?? '';
  style(v.ctx.root);
  b.message.textContent = v.ct.voteErrors[code] ?? v.ct.voteErrors['']!;
  b.message.hidden = false;
}

const parse = (e: Event): Record<string, unknown> | null => {
  try {
    const v: unknown = JSON.parse((e as MessageEvent<string>).data);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * The live stream's events, from the first one on: new comments wait behind a "3 new comments" button
 * (a reader in the middle of reading is not pushed around), votes and removals change the thread in
 * place, a closed page loses its form, and a `reset` (the stream could not catch up) fetches the thread
 * again. Returns what handles each later event.
 */
export function startLiveEvents(l: LiveHost): (e: Event) => void {
  const { ctx, ct, thread, opts } = l;
  style(ctx.root);
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

  function close(d: Record<string, unknown> | null): void {
    const home = ctx.root.querySelector('.rd-form-home');
    // Already closed (a page loaded closed, or told twice): it says so, and knows when it opens.
    if (!home) return;
    const note = h('p', { class: 'rd-closed', role: 'status' }, ctx.t.closed);
    home.replaceWith(note);
    ctx.root.querySelectorAll('.rd-reply').forEach((b) => b.remove());
    // Closed by the end of the desk's staffed hours: until when, and the widget afresh then.
    const until = d?.closedUntil;
    if (typeof until === 'string') showPageState({ ...ctx, info: { ...ctx.info, closedUntil: until } }, note, true);
  }

  const on: Record<string, (d: Record<string, unknown> | null) => void> = {
    comment(d) {
      const c = toComment(d);
      if (!c || thread.views.has(c.id)) return;
      waiting.set(c.id, c);
      refresh();
      ctx.announce(plural(ctx.lang, waiting.size, ct.newComments));
    },
    vote(d) {
      if (d && typeof d.id === 'string') opts.votes?.update(d.id, d.up, d.down);
    },
    removed(d) {
      const id = d?.id;
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
    },
    // A stream opened on a closed page says so in `ready`, and then in `closed`, with its details.
    closed: close,
    reset() {
      waiting.clear();
      refresh();
      void opts.reload();
    },
  };
  return (e) => on[e.type]?.(parse(e));
}

/** Replies per "Load more replies" request under a conversation (newest first shows its first few). */
export const REPLIES_PAGE_SIZE = 50;

/** The next page of a conversation's replies, on a press of its `button` (gone once all are in). */
export async function moreReplies(r: RepliesHost, button: HTMLElement): Promise<void> {
  const { ctx, view, error } = r;
  if (r.loading || r.cursor === null) return;
  r.loading = true;
  button.setAttribute('aria-busy', 'true');
  error.hidden = true;
  const answer = await ctx.api.thread(ctx.page, r.order(), r.cursor, REPLIES_PAGE_SIZE, view.comment.id);
  r.loading = false;
  button.removeAttribute('aria-busy');
  if (!answer.page) {
    error.textContent = ctx.t.loadFailed;
    error.hidden = false;
    return;
  }
  const added = answer.page.comments.map(r.add).filter((v): v is CommentView => v !== null);
  r.cursor = answer.page.nextCursor;
  if (r.cursor === null) {
    button.remove();
    // Keep keyboard focus in the conversation once the button is gone.
    added[0]?.article.focus();
  }
}

/** How many pages a permalink to a comment not loaded yet may pull in to find it. */
const MAX_PAGES_FOR_PERMALINK = 10;

/** Scrolls to and highlights #comment-<id> from the host page's address, loading pages to find it. */
export async function goToHash(p: PermalinkHost): Promise<void> {
  const id = /^#comment-([0-9a-f-]{36})$/i.exec(location.hash)?.[1]?.toLowerCase();
  if (!id) return;
  for (let i = 0; !p.views.has(id) && p.hasMore() && i < MAX_PAGES_FOR_PERMALINK; i++) {
    if ((await p.more()) === null) return;
  }
  const { root } = p.ctx;
  const target = root.getElementById(`comment-${id}`);
  if (!target) return;
  style(root);
  root.querySelector('.rd-target')?.classList.remove('rd-target');
  target.classList.add('rd-target');
  target.scrollIntoView({ block: 'center' });
  target.querySelector('article')?.focus({ preventScroll: true });
}

/**
 * A page's state beyond open or closed (issue 16): "reviewed before they appear" over the form of a
 * pre-moderated page, "closed until 07:00" in place of the form outside staffed hours. Staffed hours end
 * by themselves: when the desk opens the widget mounts afresh (`ctx.remount`: the form back, the note gone),
 * at least a minute on (a reader's clock ahead of ours must not ask again and again) and up to a minute
 * later still, so a big site's readers do not all ask in the same second.
 */
export function showPageState(ctx: WidgetContext, home: HTMLElement, closed: boolean): void {
  const t = withMore(ctx.t);
  const closedUntil = text(ctx.info.closedUntil);
  const reviewedUntil = text(ctx.info.reviewedUntil);
  style(home.getRootNode() as ShadowRoot);
  // The desk's opening in the reader's own clock (and day, when it is not within the day).
  const at = (iso: string): string =>
    new Date(iso).toLocaleString(ctx.lang, {
      hour: '2-digit',
      minute: '2-digit',
      ...(Date.parse(iso) - Date.now() > 72e6 ? { weekday: 'long' } : {}),
    });
  if (closed) {
    if (closedUntil) home.textContent = t.closedUntil(at(closedUntil));
  } else if (ctx.info.reviewed === true)
    home.prepend(h('p', { class: 'rd-reviewed' }, reviewedUntil ? t.reviewedUntil(at(reviewedUntil)) : t.reviewed));
  const opens = Date.parse(closedUntil || reviewedUntil);
  if (opens) {
    const timer = setTimeout(ctx.remount, Math.max(opens - Date.now(), 6e4) + Math.random() * 6e4);
    ctx.signal.addEventListener('abort', () => clearTimeout(timer));
  }
}
