import type { UndoAnswer } from '../../src/http-contract/desk-contract.js';
import type { CurrentCard } from './current-card';
import type { DeskPage } from './desk-page';
import type { RemovedCards } from './removed-cards';
import { send } from './server';
import { messageOf, type Say } from './status-line';
import { inTab, tabOfStatus } from './desk-rules';
import type { BumpCount } from './tab-counts';

const restoredText = (n: number): string => `Undone: ${n} comment${n === 1 ? '' : 's'} restored.`;

/**
 * u: undoes this moderator's last action (POST /admin/undo, the same route as the Undo link without
 * the script). The cards come back where they were when this page took them out; otherwise the page
 * reloads with the server's view.
 */
export function createUndo(deps: {
  page: DeskPage;
  cards: CurrentCard;
  bump: BumpCount;
  say: Say;
  removed: RemovedCards;
}): () => Promise<void> {
  const { page, cards, bump, say, removed } = deps;
  return async () => {
    let data: UndoAnswer;
    try {
      data = await send<UndoAnswer>(page.csrf, '/admin/undo', new URLSearchParams());
    } catch (err) {
      return say(messageOf(err), 'error');
    }
    const restored = data.restored ?? [];
    if (restored.length === 0) return say('Nothing was restored: those comments have changed since.');
    // In place when every restored comment is one this page took out; otherwise the page knows too
    // little (another tab's action, a bulk action), so it reloads with the server's view.
    const back = restored.every((r) => inTab(page.tab, r.status) && removed.has(r.id));
    if (!back) {
      const url = new URL(location.href);
      url.searchParams.set('notice', restoredText(restored.length));
      url.searchParams.delete('cursor');
      location.assign(url);
      return;
    }
    let last: HTMLElement | null = null;
    for (const r of restored) {
      const entry = removed.get(r.id);
      if (!entry) continue;
      removed.delete(r.id);
      const ref = cards.all()[entry.at];
      if (ref) page.list.insertBefore(entry.card, ref);
      else page.list.append(entry.card);
      bump(page.tab, +1);
      const was = tabOfStatus[entry.status];
      if (was) bump(was, -1);
      last = entry.card;
    }
    cards.showEmptyIfNeeded();
    cards.select(last);
    say(restoredText(restored.length));
  };
}
