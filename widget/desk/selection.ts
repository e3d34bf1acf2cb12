import type { CurrentCard } from './current-card';
import type { DeskPage } from './desk-page';
import type { Say } from './status-line';

/** The cards ticked for a bulk action (their boxes belong to the bulk form through `form="rd-bulk"`). */
export interface Selection {
  /** How many are ticked; the bulk form's "Apply to selected" button says so too. */
  count(): number;
  /** x: ticks or unticks the current card. */
  toggleCurrent(): void;
}

export function createSelection(deps: { page: DeskPage; cards: CurrentCard; say: Say }): Selection {
  const { page, cards, say } = deps;
  const selectedButton = page.bulk?.querySelector('button[name="scope"][value="selection"]');

  function count(): number {
    const n = document.querySelectorAll('input[name="ids"][form="rd-bulk"]:checked').length;
    if (selectedButton) selectedButton.textContent = n > 0 ? `Apply to ${n} selected` : 'Apply to selected';
    return n;
  }

  page.list.addEventListener('change', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.name === 'ids') count();
  });

  return {
    count,
    toggleCurrent() {
      const box = cards.current()?.querySelector<HTMLInputElement>('input[name="ids"]');
      if (!box) return say('Pick a comment first: press j.');
      box.checked = !box.checked;
      count();
    },
  };
}
