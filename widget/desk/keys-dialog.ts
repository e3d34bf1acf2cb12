import type { DeskPage } from './desk-page';

/** The keyboard-shortcuts dialog (#rd-keys): opened by ? or the hint, closed by Esc, its button or a click outside. */
export interface KeysDialog {
  isOpen(): boolean;
  /** Opens (true), closes (false) or, without an argument, toggles it. */
  toggle(open?: boolean): void;
}

export function createKeysDialog(page: DeskPage): KeysDialog {
  const { keys } = page;
  // Closing gives the focus back to where it was, so the moderator's place in the queue is kept.
  let returnTo: Element | null = null;

  function toggle(open = keys?.hidden): void {
    if (!keys) return;
    if (open) {
      returnTo = document.activeElement;
      keys.hidden = false;
      keys.tabIndex = -1;
      keys.focus();
    } else if (!keys.hidden) {
      keys.hidden = true;
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus({ preventScroll: true });
    }
  }

  keys?.querySelector('.rd-keys-close')?.addEventListener('click', () => toggle(false));
  document.querySelector('.rd-help-hint')?.addEventListener('click', () => toggle(true));
  document.addEventListener('click', (e) => {
    const t = e.target;
    const inside = t instanceof Node && keys?.contains(t) === true;
    const onHint = t instanceof Element && t.closest('.rd-help-hint') !== null;
    if (keys && !keys.hidden && !inside && !onHint) toggle(false);
  });

  return { isOpen: () => keys !== null && !keys.hidden, toggle };
}
