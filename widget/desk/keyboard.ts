import type { CardActions } from './card-actions';
import type { CurrentCard } from './current-card';
import type { DeskPage } from './desk-page';
import type { KeysDialog } from './keys-dialog';
import type { Selection } from './selection';

/** Typing in a field: the keys are the moderator's text there, not commands. Boxes and buttons are not fields. */
export function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  if (el.closest('textarea, select, [contenteditable=""], [contenteditable="true"]')) return true;
  return el instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type);
}

/**
 * The desk's keys (the dialog lists them: src/http/desk/moderator/queue-page.ts): j/k move, a/r/s act, f features, x ticks,
 * u undoes, / searches, ? shows the keys, Esc closes the dialog or leaves the search box. Keys with
 * Ctrl, Cmd or Alt, and keys another handler took, are the browser's.
 */
export function wireKeyboard(deps: {
  page: DeskPage;
  cards: CurrentCard;
  actions: CardActions;
  selection: Selection;
  keys: KeysDialog;
  undo: () => Promise<void>;
}): void {
  const { page, cards, actions, selection, keys, undo } = deps;
  const { search } = page;
  const handlers = new Map<string, () => void>([
    ['j', () => cards.move(1)],
    ['k', () => cards.move(-1)],
    ['a', () => actions.actByKey('a')],
    ['r', () => actions.actByKey('r')],
    ['s', () => actions.actByKey('s')],
    ['f', () => actions.actByKey('f')],
    ['x', () => selection.toggleCurrent()],
    ['u', () => void undo()],
    [
      '/',
      () => {
        search?.focus();
        search?.select();
      },
    ],
    ['?', () => keys.toggle()],
  ]);

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    if (e.key === 'Escape') {
      if (keys.isOpen()) keys.toggle(false);
      else if (search && document.activeElement === search) {
        search.blur();
        cards.select(cards.current());
      }
      return;
    }
    if (isTyping(e.target)) return;
    const run = handlers.get(e.key);
    if (!run) return;
    e.preventDefault();
    run();
  });
}
