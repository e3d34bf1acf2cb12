import type { ApiResult } from '../api';
import { h } from '../dom';
import type { ReaderHost } from '../reader-host';
import { sentComments } from '../sent-comments';
import type { ReaderMessages } from './words';

/**
 * Moderators' warnings to this reader (issue 16): asked for once when the reader's part starts, shown
 * above the form until the reader presses the button, which marks them seen (POST /api/warnings…/seen),
 * so each is shown once. Who asks is proven, as the API wants: a signed-in reader by their token (the
 * API client sends it), a guest by the edit key of a comment sent from this browser.
 */
export function startWarnings(host: ReaderHost, rt: ReaderMessages): void {
  const { ctx } = host;
  const { api } = ctx;
  let proof: Record<string, string> = {};
  if (!api.session.get()) {
    const sent = Object.entries(sentComments(ctx.site, ctx.info.editWindowMinutes)).find(([, r]) => r.key);
    if (!sent) return;
    proof = { comment: sent[0], key: sent[1].key ?? '' };
  }
  const body = { site: ctx.site, ...proof };
  void api.send('POST', 'api/warnings', body).then((r: ApiResult) => {
    const list = (r.body as { warnings?: { id?: unknown; message?: unknown }[] } | null)?.warnings;
    const warnings = Array.isArray(list)
      ? list.filter(
          (w): w is { id: string; message: string } => typeof w.id === 'string' && typeof w.message === 'string',
        )
      : [];
    if (r.status !== 200 || warnings.length === 0) return;
    const box = h(
      'div',
      { class: 'rd-warning', role: 'alert' },
      h('strong', null, rt.warningTitle),
      ...warnings.map((w) => h('p', null, w.message)),
    );
    box.append(
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            box.remove();
            for (const w of warnings) void api.send('POST', `api/warnings/${encodeURIComponent(w.id)}/seen`, body);
          },
        },
        rt.warningDismiss,
      ),
    );
    host.form.el.before(box);
  });
}
