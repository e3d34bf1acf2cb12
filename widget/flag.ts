import type { WidgetContext } from './context';
import { h, randomId } from './dom';
import { readStored, writeStored } from './storage';

const READER_KEY = 'reply-desk:reader';
/** The API's reason codes, in the order of the Messages' flagReasons. */
const REASONS = ['spam', 'abuse', 'off_topic', 'other'] as const;

/** A random key for this browser: the API counts one flag per reader per comment without an account. */
function readerKey(): string {
  let key = readStored<string>('local', READER_KEY);
  if (typeof key !== 'string') {
    key = randomId();
    writeStored('local', READER_KEY, key);
  }
  return key;
}

/**
 * The Report button of a comment: offered only when the site's public settings name a flag endpoint
 * (`flagUrl`), so the widget never shows a button that cannot work.
 */
export function flagButton(ctx: WidgetContext, commentId: string, flagUrl: string): HTMLElement {
  const { t } = ctx;
  const box = h('span', { class: 'rd-flag' });
  const open = h('button', { type: 'button', class: 'rd-link', 'aria-expanded': 'false' }, t.flag);
  const choices = h(
    'span',
    { class: 'rd-flag-reasons', role: 'group', 'aria-label': t.flag, hidden: true },
    ...REASONS.map((reason, i) =>
      h('button', { type: 'button', class: 'rd-link', onclick: () => void send(reason) }, t.flagReasons[i] ?? reason),
    ),
    h('button', { type: 'button', class: 'rd-link', onclick: () => toggle(false) }, t.cancel),
  );
  const toggle = (on: boolean): void => {
    choices.hidden = !on;
    open.setAttribute('aria-expanded', String(on));
    (on ? choices.querySelector('button') : open)?.focus();
  };
  open.addEventListener('click', () => toggle(choices.hidden));

  async function send(reason: string): Promise<void> {
    const r = await ctx.api.flag(flagUrl.replace('{id}', encodeURIComponent(commentId)), reason, readerKey());
    const done = r.status >= 200 && r.status < 300;
    box.replaceChildren(h('span', { class: 'rd-flagged', role: 'status' }, done ? t.flagged : t.failed));
  }
  box.append(open, choices);
  return box;
}
