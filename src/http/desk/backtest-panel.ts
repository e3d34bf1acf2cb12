import type { BacktestResult } from '../../moderation/backtest.js';
import { DEFAULT_BACKTEST_DAYS, MAX_BACKTEST_DAYS } from '../../moderation/backtest-change.js';
import { html, type SafeHtml } from '../../html/html.js';
import type { BacktestCard } from '../../store/backtest/backtest-rows.js';

/*
 * "What would these settings have done?" (issue 17, item 3) on the site and page settings forms: the
 * form's "Preview changes" button posts the form to a backtest route (formaction, so it works without
 * JavaScript), which answers the same form, as entered, with this panel above it; "Save" then saves.
 */

/** The window input and the preview button, inside a settings form; `action` is the backtest route. */
export function renderBacktestControls(action: string, days: number | string = DEFAULT_BACKTEST_DAYS): SafeHtml {
  return html`<fieldset class="rd-backtest-controls"><legend>Before saving</legend>
<div class="rd-field"><label for="f-backtestDays">Try the settings on the comments of the last … days</label>
<input id="f-backtestDays" name="backtestDays" inputmode="numeric" value="${String(days)}" data-min="1" data-max="${MAX_BACKTEST_DAYS}">
<small>The rules run again over what they read then; nothing changes until you save.</small></div>
<p><button type="submit" formaction="${action}" name="preview" value="1">Preview changes</button></p>
</fieldset>`;
}

const statusWords: Record<string, string> = {
  approved: 'published',
  pending: 'held',
  spam: 'spam',
  rejected: 'refused',
  deleted: 'deleted',
};

/** Where the desk shows one comment: the queue's tab of its status now, searched by its id. */
function cardLink(siteId: string, card: BacktestCard): string {
  const tab = card.status === 'pending' && card.reported ? 'reported' : card.status;
  return `/admin?${new URLSearchParams({ tab, site: siteId, q: card.id }).toString()}`;
}

/** What the proposed settings would have done to the window's comments, with a sample of them. */
export function renderBacktestPanel(input: {
  siteId: string;
  days: number;
  result: BacktestResult;
  cards: BacktestCard[];
  /** What "Save" is called on this form. */
  saveLabel: string;
}): SafeHtml {
  const { siteId, days, result, cards, saveLabel } = input;
  const transitions = Object.entries(result.transitions).sort((a, b) => b[1] - a[1]);
  const sampleOf = new Map(result.sample.map((s) => [s.id, s]));
  return html`<section class="rd-backtest" aria-labelledby="backtest-title">
<h2 id="backtest-title">What these settings would have done</h2>
<p class="rd-backtest-summary" role="status">Of the <b>${String(result.comments)}</b> comments of the last ${String(days)} days, <b>${String(result.changed)}</b> would have had another verdict.</p>
${
  result.notBacktestable > 0
    ? html`<p><small>${String(result.notBacktestable)} more of those days were checked before verdicts kept what the rules read, or were edited or erased since: not counted, not guessed.</small></p>`
    : ''
}
${
  transitions.length > 0
    ? html`<table class="rd-table rd-backtest-transitions"><thead><tr><th>Was</th><th>Would be</th><th>Comments</th></tr></thead>
<tbody>${transitions.map(([key, n]) => {
        const [from = '', to = ''] = key.split('->');
        return html`<tr data-from="${from}" data-to="${to}"><td>${statusWords[from] ?? from}</td><td>${statusWords[to] ?? to}</td><td>${String(n)}</td></tr>`;
      })}</tbody></table>`
    : ''
}
${
  result.drift > 0
    ? html`<p><small>${String(result.drift)} of them would get another verdict under the settings saved now too: the rules changed after they came in.</small></p>`
    : ''
}
${
  cards.length > 0
    ? html`<h3>Some of them</h3><ul class="rd-backtest-sample">${cards.map((c) => {
        const s = sampleOf.get(c.id);
        return html`<li class="rd-backtest-card" data-id="${c.id}"><a href="${cardLink(siteId, c)}">${c.author || 'Anonymous'} on ${c.page}</a>
<span class="rd-backtest-change">${s ? `${statusWords[s.from] ?? s.from} → ${statusWords[s.to] ?? s.to}` : ''}</span>
${s && s.codes.length > 0 ? html`<small>${s.codes.join(', ')}</small>` : ''}
<blockquote>${c.body}</blockquote></li>`;
      })}</ul>`
    : ''
}
<p><small>Nothing is saved yet: “${saveLabel}” below applies these settings.</small></p>
</section>`;
}
