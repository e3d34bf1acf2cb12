import type { DeskPage } from './desk-page';
import { stepIndex } from './desk-rules';
import type { Say } from './status-line';

/** The cards on the page and which one is current: the one j, k, a, r, s and x work on. */
export interface CurrentCard {
  all(): HTMLElement[];
  /** The card an element is in, if any. */
  cardOf(el: EventTarget | null): HTMLElement | null;
  /** The card holding the focus, else the one marked current (the focus may have gone to the search box). */
  current(): HTMLElement | null;
  /** Makes a card current and focuses it, scrolled into view. */
  select(card: HTMLElement | null): void;
  /** One card down (1) or up (-1); from none, the first or the last. */
  move(delta: 1 | -1): void;
  /** The "queue is clear" line when the last card has gone, and not once one is back. */
  showEmptyIfNeeded(): void;
}

const CARD = 'article.rd-card';

export function createCurrentCard(page: DeskPage, say: Say): CurrentCard {
  const { list } = page;
  const all = (): HTMLElement[] => [...list.querySelectorAll<HTMLElement>(CARD)];
  const cardOf = (el: EventTarget | null): HTMLElement | null =>
    el instanceof Element ? el.closest<HTMLElement>(CARD) : null;
  const current = (): HTMLElement | null =>
    cardOf(document.activeElement) ?? list.querySelector<HTMLElement>(`${CARD}.rd-current`);

  function mark(card: HTMLElement | null): void {
    for (const c of list.querySelectorAll('.rd-current')) if (c !== card) c.classList.remove('rd-current');
    card?.classList.add('rd-current');
  }

  function select(card: HTMLElement | null): void {
    if (!card) return;
    mark(card);
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: 'nearest', behavior: page.reduceMotion ? 'auto' : 'smooth' });
  }

  function move(delta: 1 | -1): void {
    const cards = all();
    if (cards.length === 0) return say('Nothing in this queue.');
    const from = current();
    select(cards[stepIndex(from ? cards.indexOf(from) : -1, delta, cards.length)] ?? null);
  }

  function showEmptyIfNeeded(): void {
    const empty = list.querySelector('.rd-empty');
    if (all().length > 0) {
      empty?.remove();
    } else if (!empty) {
      const p = document.createElement('p');
      p.className = 'rd-empty';
      p.textContent = 'Nothing here: this queue is clear.';
      list.append(p);
    }
  }

  // Clicking or tabbing into a card makes it current too, so the keys act on what the moderator sees.
  list.addEventListener('focusin', (e) => mark(cardOf(e.target)));

  return { all, cardOf, current, select, move, showEmptyIfNeeded };
}
