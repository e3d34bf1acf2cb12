/*
 * The form's Markdown preview, a chunk of its own: form.ts imports it the first time a reader presses
 * "Preview", so a reader who never does never downloads it. The text is rendered by the server
 * (POST /api/preview, the very renderer the worker publishes with), and its answer joins the page only
 * through safe-html.ts, as every comment does: the second wall holds even against a tampered answer.
 */
import { toApiError } from './api';
import type { WidgetContext } from './context';
import { h } from './dom';
import { plural } from './plural';
import { toSafeFragment } from './safe-html';
import { withMore } from './more-words';

/** What the form hands over: its text box, the two tab buttons and where the preview goes. */
export interface PreviewParts {
  text: HTMLTextAreaElement;
  write: HTMLButtonElement;
  preview: HTMLButtonElement;
  pane: HTMLElement;
}

/** Shows the server's rendering of the text in `pane` (and hides the text box), or says why not. */
export async function showPreview(ctx: WidgetContext, p: PreviewParts): Promise<void> {
  const t = withMore(ctx.t);
  select(p, true);
  p.pane.setAttribute('aria-busy', 'true');
  p.pane.replaceChildren(h('p', { class: 'rd-loading' }, t.loading));
  const r = await ctx.api.send('POST', 'api/preview', { site: ctx.site, text: p.text.value });
  // The reader went back to writing meanwhile: nothing to show.
  if (p.pane.hidden) return;
  p.pane.removeAttribute('aria-busy');
  const html = r.status === 200 && typeof (r.body as { html?: unknown } | null)?.html === 'string';
  if (html) {
    p.pane.replaceChildren(h('div', { class: 'rd-body' }, toSafeFragment((r.body as { html: string }).html)));
    return;
  }
  const e = toApiError(r.body);
  const field = e?.errors.find((x) => x.field === 'text');
  const why =
    r.status === 0
      ? t.offline
      : r.status === 429
        ? r.retryAfter === null
          ? t.tooQuicklyMinute
          : plural(ctx.lang, r.retryAfter, t.tooQuickly)
        : field
          ? (t.errors[`${field.code}_body`] ?? t.errors[field.code] ?? field.message)
          : e?.message || t.failed;
  p.pane.replaceChildren(h('p', { class: 'rd-error', role: 'alert' }, why));
}

/** Back to the text box, focused where the reader left it. */
export function showWrite(p: PreviewParts): void {
  select(p, false);
  p.text.focus();
}

function select(p: PreviewParts, previewing: boolean): void {
  p.preview.setAttribute('aria-pressed', String(previewing));
  p.write.setAttribute('aria-pressed', String(!previewing));
  p.text.hidden = previewing;
  p.pane.hidden = !previewing;
}
