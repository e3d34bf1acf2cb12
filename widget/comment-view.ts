import type { WidgetContext } from './context';
import { h } from './dom';
import { relativeTime } from './relative-time';
import { safeWebsite, toSafeFragment } from './safe-html';
import type { ApiComment } from './types';

/** One comment on screen, with the list its replies go into (made when the first reply arrives). */
export interface CommentView {
  comment: ApiComment;
  li: HTMLLIElement;
  article: HTMLElement;
  /** The line above the text for the author's own comment ("awaiting moderation"). */
  note: HTMLElement;
  body: HTMLElement;
  actions: HTMLElement;
  replies(): HTMLOListElement;
}

/** Whether a reply to this comment stays within the site's depth (a top-level comment is level 1). */
export const canReplyTo = (c: ApiComment, maxDepth: number): boolean => c.depth + 2 <= maxDepth;

export function timeElement(ctx: WidgetContext, iso: string): HTMLTimeElement {
  const date = new Date(iso);
  return h(
    'time',
    { datetime: iso, title: Number.isNaN(date.getTime()) ? '' : date.toLocaleString(ctx.lang) },
    relativeTime(iso, Date.now(), ctx.lang),
  );
}

/** Builds a comment's elements; the caller puts `li` in place and fills `actions`. */
export function renderComment(ctx: WidgetContext, c: ApiComment): CommentView {
  const name = c.author || ctx.t.anonymous;
  const website = safeWebsite(c.website);
  const author = website
    ? h('a', { class: 'rd-author', href: website, rel: 'nofollow ugc noopener' }, name)
    : h('span', { class: 'rd-author' }, name);
  const nameId = `rd-n-${c.id}`;
  author.id = nameId;
  const note = h('p', { class: 'rd-note', hidden: true });
  const body = h('div', { class: 'rd-body' }, toSafeFragment(c.html));
  const actions = h('div', { class: 'rd-actions' });
  // tabindex -1: a permalink or "load more" can move focus here for screen-reader users.
  const article = h(
    'article',
    { class: 'rd-card', 'aria-labelledby': nameId, tabindex: -1 },
    h(
      'div',
      { class: 'rd-meta' },
      author,
      ' ',
      h('a', { class: 'rd-time', href: `${ctx.pageUrl}#comment-${c.id}` }, timeElement(ctx, c.createdAt)),
      c.editedAt && h('span', { class: 'rd-edited' }, ' · ', ctx.t.edited),
    ),
    note,
    body,
    actions,
  );
  const li = h('li', { class: 'rd-c', id: `comment-${c.id}` }, article);
  let replies: HTMLOListElement | null = null;
  return {
    comment: c,
    li,
    article,
    note,
    body,
    actions,
    replies() {
      replies ??= li.appendChild(h('ol', { class: 'rd-list rd-replies' }));
      return replies;
    },
  };
}
