import type { DeskCommentStatus, StatusChangeAnswer } from '../../src/http-contract/desk-contract.js';
import type { CurrentCard } from './current-card';
import type { DeskPage } from './desk-page';
import type { RemovedCards } from './removed-cards';
import { formBody, send } from './server';
import { messageOf, type Say } from './status-line';
import { tabOfStatus } from './desk-rules';
import { markAuthorApproved } from './first-comment';
import type { BumpCount } from './tab-counts';

const done: Record<DeskCommentStatus, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  spam: 'Marked as spam',
  pending: 'Back in the queue',
  deleted: 'Deleted',
};

export interface CardActions {
  /** Presses the current card's button for `key` (a, r, s), as a click would. */
  actByKey(key: string): void;
}

/**
 * Approve, reject, spam… on one card, in place: the card's own form is posted for JSON, the card
 * leaves the list, the counts move and the next card becomes current. The buttons stay real submit
 * buttons (without the script the form posts and the page reloads): we only take over the post.
 */
export function createCardActions(deps: {
  page: DeskPage;
  cards: CurrentCard;
  bump: BumpCount;
  say: Say;
  removed: RemovedCards;
}): CardActions {
  const { page, cards, bump, say, removed } = deps;

  async function act(form: HTMLFormElement, button: HTMLElement | null): Promise<void> {
    const card = cards.cardOf(form);
    if (!card || card.getAttribute('aria-busy') === 'true') return;
    card.setAttribute('aria-busy', 'true');
    try {
      // getAttribute: `form.action` is shadowed by the buttons named "action".
      const data = await send<StatusChangeAnswer>(page.csrf, form.getAttribute('action') ?? '', formBody(form, button));
      const all = cards.all();
      const at = all.indexOf(card);
      const next = all[at + 1] ?? all[at - 1];
      const hadFocus = card.contains(document.activeElement) || card.classList.contains('rd-current');
      removed.set(card.dataset.id ?? '', { card, at, status: data.status });
      card.remove();
      card.removeAttribute('aria-busy');
      bump(page.tab, -1);
      const to = tabOfStatus[data.status];
      if (to) bump(to, +1);
      cards.showEmptyIfNeeded();
      if (data.status === 'approved' && data.changed > 0) markAuthorApproved(page.list, card);
      if (next && hadFocus) cards.select(next);
      const who = card.querySelector('.rd-author b')?.textContent ?? 'the comment';
      const what = data.changed === 0 ? 'Already changed by someone else' : (done[data.status] ?? 'Done');
      say(`${what}: ${who}. Press u to undo.`);
    } catch (err) {
      card.removeAttribute('aria-busy');
      say(messageOf(err), 'error');
    }
  }

  page.list.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('rd-actions')) return;
    e.preventDefault();
    void act(form, e.submitter);
  });

  return {
    actByKey(key) {
      const card = cards.current();
      if (!card) return say('Pick a comment first: press j.');
      const button = card.querySelector<HTMLButtonElement>(
        `.rd-actions button[data-key="${key}"], .rd-feature button[data-key="${key}"]`,
      );
      if (!button) return say(`No "${key}" action in this queue.`);
      button.form?.requestSubmit(button);
    },
  };
}
