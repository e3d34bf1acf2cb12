import { canReplyTo, renderComment, type CommentView } from './comment-view';
import type { WidgetContext } from './context';
import { h } from './dom';
import { emitHostEvent } from './host-events';
import { loadPart } from './parts';
import { plural } from './plural';
import type { ApiComment, Order, ThreadPage } from './types';

/** Comments per request: a thread of thousands arrives (and is rendered) a page at a time. */
export const PAGE_SIZE = 30;

export interface Thread {
  el: HTMLElement;
  views: Map<string, CommentView>;
  /** Shows a first page that was fetched already (in parallel with the site's settings). */
  show(page: ThreadPage): void;
  /** Puts one comment from the API on screen (null: it is there already). */
  add(c: ApiComment): CommentView | null;
  /** Fetches the thread again from its start in another order (null: the site's default). */
  sortBy(o: Order | null): Promise<void>;
  /** Where the reader's own comment goes: under its parent when that is on screen, else `fallback`. */
  listFor(parent: string | null, fallback: HTMLOListElement): HTMLOListElement;
  /** One more approved comment on the page (the reader's own, once published). */
  counted(): void;
  /** Whether the reader's own comment waits on screen (checked or held): then no "No comments yet". */
  ownWaiting(waiting: boolean): void;
  /** The page takes no more comments (the API said so): no form, no Reply buttons. */
  closed(): boolean;
  /** Scrolls to and highlights #comment-<id> from the host page's address, loading pages to find it. */
  goToHash(): Promise<void>;
}

/** What loading a conversation's further replies (conversation/extras.ts) works on. */
export interface RepliesHost {
  ctx: WidgetContext;
  view: CommentView;
  /** Where the next page of its replies starts; null once all are in. */
  cursor: string | null;
  loading: boolean;
  order(): Order | null;
  add(c: ApiComment): CommentView | null;
  error: HTMLElement;
}

/** What going to a permalink (conversation/extras.ts) works on. */
export interface PermalinkHost {
  ctx: WidgetContext;
  views: Map<string, CommentView>;
  /** Loads the next page of the thread (null: it failed). */
  more(): Promise<CommentView[] | null>;
  hasMore(): boolean;
}

export interface ThreadHooks {
  /** Adds the Reply and Report buttons to a comment. */
  decorate(view: CommentView, replyable: boolean): void;
  /** Called after a comment from the API is on screen (the reader's own copy of it can go). */
  shown(id: string): void;
  /** Called after the thread was fetched again in another order. */
  reloaded(): void;
}

export function createThread(ctx: WidgetContext, hooks: ThreadHooks): Thread {
  const { t, api } = ctx;
  const views = new Map<string, CommentView>();
  // null: the site's default order (the API's `defaultSort`), until the reader picks one.
  let order: Order | null = null;
  let cursor: string | null = null;
  let total = 0;
  let busy = false;
  let closed = false;
  let own = false;
  let shown = false;

  const heading = h('h2', { class: 'rd-title', id: 'rd-title' });
  const list = h('ol', { class: 'rd-list', 'aria-labelledby': 'rd-title' });
  const error = h('p', { class: 'rd-error', hidden: true });
  const more = h(
    'button',
    { class: 'rd-more', type: 'button', hidden: true, onclick: () => void loadMore() },
    t.loadMore,
  );
  // The host page hears the count once it is known (the first page) and on every change after.
  let told = -1;
  const setTotal = (n: number): void => {
    if (shown && n !== told) {
      told = n;
      emitHostEvent(ctx.root.host, 'count', { count: n });
    }
    total = n;
    heading.textContent = n > 0 ? plural(ctx.lang, n, t.count) : own ? t.title : t.noComments;
  };

  function add(c: ApiComment): CommentView | null {
    if (views.has(c.id)) return null;
    const view = renderComment(ctx, c);
    hooks.decorate(view, !closed && canReplyTo(c, ctx.info.maxDepth));
    views.set(c.id, view);
    // Oldest first, a parent always comes before its replies; newest first, the API sends each
    // conversation's root with its replies. A reply whose parent is gone (deleted) stands alone.
    const parent = c.parent ? views.get(c.parent) : undefined;
    (parent ? parent.replies() : list).append(view.li);
    hooks.shown(c.id);
    if (c.moreReplies) moreRepliesButton(view, c.moreReplies);
    return view;
  }

  /**
   * Under a conversation that came with only its first replies: loads the rest, a page per press (the
   * code that does is in the conversation's extras, fetched on the first press).
   */
  function moreRepliesButton(view: CommentView, from: string): void {
    const host: RepliesHost = { ctx, view, cursor: from, loading: false, order: () => order, add, error };
    const button = h(
      'button',
      {
        class: 'rd-more rd-more-replies',
        type: 'button',
        onclick: () =>
          void loadPart<typeof import('./conversation/extras')>('extras').then(
            (m) => m.moreReplies(host, button),
            () => {},
          ),
      },
      t.loadMoreReplies,
    );
    view.li.append(button);
  }

  function show(page: ThreadPage): void {
    shown = true;
    closed ||= page.closed;
    if (page.total !== null) setTotal(page.total);
    page.comments.forEach(add);
    cursor = page.nextCursor;
    more.hidden = cursor === null;
  }

  async function fetchPage(): Promise<CommentView[] | null> {
    busy = true;
    more.setAttribute('aria-busy', 'true');
    error.hidden = true;
    const r = await api.thread(ctx.page, order, cursor, PAGE_SIZE);
    busy = false;
    more.removeAttribute('aria-busy');
    if (!r.page) {
      error.textContent = t.loadFailed;
      error.hidden = false;
      return null;
    }
    closed ||= r.page.closed;
    if (r.page.total !== null) setTotal(r.page.total);
    const added = r.page.comments.map(add).filter((v): v is CommentView => v !== null);
    cursor = r.page.nextCursor;
    more.hidden = cursor === null;
    return added;
  }

  async function loadMore(): Promise<void> {
    if (busy || cursor === null) return;
    const added = await fetchPage();
    // The button is gone once the last page is in: keep keyboard focus in the thread.
    if (added && more.hidden) added[0]?.article.focus();
  }

  /** Fetches the thread again in `o` (the conversation part's sort selector, and its live `reset`). */
  async function sortBy(o: Order | null): Promise<void> {
    if (busy) return;
    order = o;
    // Everything is fetched again in the new order; the reader's own pending replies hung under the
    // old elements, so their owner (own-comments.ts) puts them back under the new ones.
    views.clear();
    list.replaceChildren();
    cursor = null;
    await fetchPage();
    hooks.reloaded();
  }

  /** A permalink's code is in the conversation's extras, fetched only for an address that is one. */
  async function goToHash(): Promise<void> {
    if (!location.hash.startsWith('#comment-')) return;
    const m = await loadPart<typeof import('./conversation/extras')>('extras').catch(() => null);
    await m?.goToHash({ ctx, views, more: fetchPage, hasMore: () => cursor !== null });
  }

  const el = h(
    'section',
    { class: 'rd-thread', 'aria-labelledby': 'rd-title' },
    h('div', { class: 'rd-head' }, heading),
    list,
    error,
    more,
  );
  setTotal(0);
  return {
    el,
    views,
    show,
    add,
    sortBy,
    goToHash,
    listFor: (parent, fallback) => (parent && views.get(parent)?.replies()) || fallback,
    counted: () => setTotal(total + 1),
    ownWaiting: (waiting) => {
      own = waiting;
      setTotal(total);
    },
    closed: () => closed,
  };
}
