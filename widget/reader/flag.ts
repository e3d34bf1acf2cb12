import type { WidgetContext } from '../context';
import { h, randomId } from '../dom';
import { readStored, writeStored } from '../storage';
import { withMore } from '../more-words';

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
 * The reasons behind a comment's Report button (widget/flag.ts made `box` and its button, and calls
 * this on the first press): they open at once, and the button toggles them from then on.
 */
export function openFlagReasons(ctx: WidgetContext, box: HTMLElement, commentId: string, flagUrl: string): void {
  const t = withMore(ctx.t);
  const open = box.querySelector('button')!;
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
  box.append(choices);
  toggle(true);

  async function send(reason: string): Promise<void> {
    // POST /api/comments/:id/flag: `key` is this browser's random key (one flag per reader).
    const url = flagUrl.replace('{id}', encodeURIComponent(commentId));
    const r = await ctx.api.send('POST', url, { reason, key: readerKey() });
    const done = r.status >= 200 && r.status < 300;
    box.replaceChildren(h('span', { class: 'rd-flagged', role: 'status' }, done ? t.flagged : t.failed));
  }
}
