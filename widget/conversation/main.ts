/*
 * The conversation, started once the thread is on screen: the authors' badges, the editors' picks,
 * votes, the sort selector and the live updates. It is in the widget module, as every thread has it;
 * what only some need (the picks strip, sending a vote, the live stream's events) is in extras.ts,
 * fetched on demand.
 */
import type { CommentView } from '../comment-view';
import type { WidgetContext } from '../context';
import { adoptStyles } from '../dom';
import type { Thread } from '../thread';
import type { Order } from '../types';
import { badges } from './badges';
import { startLive } from './live';
import { createPicks } from './picks';
import { createSort } from './sort';
import { createVotes } from './votes';
import { loadConversationMessages } from './words';
import css from './conversation.css';

/** Reads the conversation's settings from the site's public answer (api.ts passes them on unread). */
export function conversationSettings(info: WidgetContext['info']): {
  votes: 'up' | 'updown' | 'off';
  guestVotes: boolean;
  sort: Order;
} {
  const votes = info.votes === 'updown' || info.votes === 'off' ? info.votes : 'up';
  const sort = info.defaultSort === 'newest' || info.defaultSort === 'top' ? info.defaultSort : 'oldest';
  return { votes, guestVotes: info.guestVotes === true, sort };
}

/** Starts the conversation's extras once their words are in (English, or the reader's language from its own file). */
export async function startConversation(ctx: WidgetContext, thread: Thread): Promise<void> {
  const ct = await loadConversationMessages(ctx.lang);
  adoptStyles(ctx.root, css);
  const settings = conversationSettings(ctx.info);
  const votes = settings.votes === 'off' ? null : createVotes(ctx, ct, settings);
  const picks = createPicks(ctx, ct, thread.el);
  const sort = createSort(ct, settings.sort, (o) => thread.sortBy(o));
  thread.el.querySelector('.rd-head')?.append(sort.el);

  // Every comment the thread puts on screen (a page, a reload in another order, a live insert) gets
  // its badges and votes: watched here, so embed.js needs no hook for it.
  const done = new WeakSet<HTMLElement>();
  const decorate = (view: CommentView): void => {
    if (done.has(view.li)) return;
    done.add(view.li);
    badges(view, ct, picks.has(view.comment.id));
    votes?.decorate(view);
  };
  const scan = (node: Node): void => {
    if (!(node instanceof HTMLElement)) return;
    const items = node.matches('li.rd-c') ? [node] : Array.from(node.querySelectorAll<HTMLElement>('li.rd-c'));
    for (const li of items) {
      const view = thread.views.get(li.id.slice('comment-'.length));
      if (view && view.li === li) decorate(view);
    }
  };
  // As before the selector moved here: no choice of order over fewer than two comments (but kept
  // while a reload in another order empties the thread for a moment).
  const fit = (): void => {
    if (!sort.busy()) sort.el.hidden = thread.views.size < 2;
  };
  const watch = new MutationObserver((records) => {
    records.forEach((r) => r.addedNodes.forEach(scan));
    fit();
  });
  watch.observe(thread.el, { childList: true, subtree: true });
  ctx.signal.addEventListener('abort', () => watch.disconnect());
  scan(thread.el);
  fit();

  void picks.load().then(() => {
    // The marks go on the comments already on screen once the picks are known.
    for (const view of thread.views.values()) if (picks.has(view.comment.id)) badges.pick(view, ct);
  });
  void votes?.loadMine(thread);
  ctx.api.session.on(() => void votes?.loadMine(thread));
  startLive(ctx, ct, thread, { votes, reload: () => thread.sortBy(sort.value()), order: sort.value });
}
