import type { DeskLiveEvents } from '../../src/http-contract/desk-contract.js';
import type { CurrentCard } from './current-card';
import type { DeskPage } from './desk-page';
import { arrivalOf, queueViewOf, toCommentEvent } from './desk-rules';
import type { Say } from './status-line';
import type { BumpCount } from './tab-counts';

type CommentEvent = DeskLiveEvents['comment'];

/**
 * The live queue: new held comments arrive as server-sent events (GET /admin/live); this page fetches
 * and shows those that belong to the list as it is filtered and paged, and counts the rest. The body's
 * `data-live` says whether the stream is on, reconnecting or off.
 */
export function wireLiveQueue(deps: { page: DeskPage; cards: CurrentCard; bump: BumpCount; say: Say }): void {
  const { page, cards, bump, say } = deps;
  const { list } = page;
  const view = queueViewOf(page.tab, page.params, document.querySelector('a[rel="next"]') !== null);

  async function arrived(event: CommentEvent): Promise<void> {
    if (document.getElementById(`card-${event.id}`)) return;
    switch (arrivalOf(view, event)) {
      case 'ignore':
        return;
      case 'count-other-tab':
        return bump(event.status, +1);
      case 'count-and-say':
        // On another page of the whole tab it is in the view; in a narrowed view perhaps.
        bump(page.tab, +1, view.narrowed ? 'maybe' : 'in-view');
        return say('A new comment is waiting. Reload to see it.');
      case 'insert':
        break;
    }
    const res = await fetch(`/admin/cards/${encodeURIComponent(event.id)}?tab=${encodeURIComponent(page.tab)}`, {
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
    });
    if (!res.ok) return; // already handled by someone else, or not ours to see
    // Server-rendered, every reader value escaped or sanitised, exactly as on a page load.
    const template = document.createElement('template');
    template.innerHTML = await res.text();
    const card = template.content.querySelector<HTMLElement>('article.rd-card');
    if (!card || document.getElementById(card.id)) return;
    card.classList.add('rd-new');
    card.addEventListener('animationend', () => card.classList.remove('rd-new'), { once: true });
    if (view.order === 'newest') list.prepend(card);
    else list.append(card);
    cards.showEmptyIfNeeded();
    bump(page.tab, +1);
    say(`New comment from ${card.querySelector('.rd-author b')?.textContent ?? 'someone'}.`);
  }

  if (!('EventSource' in window)) return;
  const live = new EventSource('/admin/live');
  live.addEventListener('ready', () => {
    document.body.dataset.live = 'on';
  });
  live.addEventListener('comment', (e: MessageEvent<string>) => {
    const event = toCommentEvent(e.data);
    if (event) arrived(event).catch(() => {});
  });
  live.addEventListener('error', () => {
    document.body.dataset.live = live.readyState === EventSource.CLOSED ? 'off' : 'reconnecting';
  });
  addEventListener('pagehide', () => live.close());
}
