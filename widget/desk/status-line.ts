/** Says something to the moderator: shown for a few seconds, read out by screen readers. */
export type Say = (message: string, kind?: 'ok' | 'error') => void;

/**
 * One polite live region for everything the script says; created before any change, so that screen
 * readers announce what is put in it later (a region added together with its text is often missed).
 */
export function createStatusLine(): Say {
  const status = document.createElement('p');
  status.id = 'rd-status';
  status.className = 'rd-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  document.body.append(status);
  let timer = 0;
  return (message, kind = 'ok') => {
    status.textContent = message;
    status.dataset.kind = kind;
    status.dataset.shown = 'true';
    clearTimeout(timer);
    // Errors stay longer: they usually ask for something (reload, try again).
    timer = window.setTimeout(
      () => {
        status.dataset.shown = 'false';
      },
      kind === 'error' ? 9000 : 4000,
    );
  };
}

/** A caught value's message for people (fetch and our own errors are Errors; anything else, as text). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
