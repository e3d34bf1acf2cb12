import type { WidgetContext } from './context';
import { h } from './dom';
import type { ReaderPart } from './reader-host';

/**
 * The Report button of a comment: offered only when the site's public settings name a flag endpoint
 * (`flagUrl`), so the widget never shows a button that cannot work. The reasons and the request are
 * in the reader's part (widget/reader/flag.ts), loaded on the first press: few readers ever report,
 * and every reader downloads embed.js.
 */
export function flagButton(
  ctx: WidgetContext,
  commentId: string,
  flagUrl: string,
  load: () => Promise<ReaderPart | null>,
): HTMLElement {
  const open = h('button', { type: 'button', class: 'rd-link', 'aria-expanded': 'false' }, ctx.t.flag);
  const box = h('span', { class: 'rd-flag' }, open);
  open.addEventListener('click', () => void load().then((p) => p?.flag(box, commentId, flagUrl)), { once: true });
  return box;
}
