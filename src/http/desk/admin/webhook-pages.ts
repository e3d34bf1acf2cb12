import type { Site } from '../../../domain/site-settings.js';
import type { LoggedAttempt, WebhookSubscription } from '../../../store/webhooks.js';
import { subscribableEventTypes, type SubscribableEventType } from '../../../webhooks/comment-events.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, type SafeHtml } from '../../../html/html.js';

/** The subscription form as entered (kept on a refused save). */
export interface WebhookFormValues {
  siteId: string;
  url: string;
  events: SubscribableEventType[];
  active: boolean;
  description: string;
}

const eventHelp: Record<SubscribableEventType, string> = {
  'comment.created': 'a comment was stored, whatever its status (held, published, spam, refused)',
  'comment.approved': 'a comment was published (by the checks or a moderator)',
  'comment.rejected': 'a comment was refused or rejected',
  'comment.spam': 'a comment was marked as spam',
  'comment.held': 'a published comment went back to the queue (readers’ flags, an undo)',
  'page.surge': 'a brigade began on one page: its new comments are held until it calms down',
};

function noticeOf(notice: string | null, error: string | null): SafeHtml {
  return html`${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}`;
}

function form(
  ctx: AdminPageContext,
  action: string,
  sites: Site[] | null,
  v: WebhookFormValues,
  submit: string,
): SafeHtml {
  return html`<form class="rd-form" method="post" action="${action}">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
${
  sites
    ? html`<div class="rd-field"><label for="w-site">Site</label><select id="w-site" name="site">${sites.map((s) => html`<option value="${s.id}"${s.id === v.siteId ? html` selected` : ''}>${s.name} (${s.id})</option>`)}</select></div>`
    : ''
}
<div class="rd-field"><label for="w-url">URL</label><input id="w-url" name="url" type="url" required value="${v.url}" placeholder="https://example.org/hooks/reply-desk">
<small>http:// or https://; private and loopback addresses are refused unless WEBHOOK_ALLOW_PRIVATE is on.</small></div>
<fieldset><legend>Events</legend>
${subscribableEventTypes.map((e) => html`<div class="rd-field"><label><input type="checkbox" name="events" value="${e}"${v.events.includes(e) ? html` checked` : ''}> <code>${e}</code> — ${eventHelp[e]}</label></div>`)}
</fieldset>
<div class="rd-field"><label for="w-desc">Description</label><input id="w-desc" name="description" maxlength="200" value="${v.description}"></div>
<div class="rd-field"><label><input type="checkbox" name="active" value="1"${v.active ? html` checked` : ''}> Active</label></div>
<p><button type="submit">${submit}</button></p>
</form>`;
}

export function renderWebhooksPage(input: {
  ctx: AdminPageContext;
  sites: Site[];
  subscriptions: (WebhookSubscription & { lastResult: string | null; lastAt: Date | null })[];
  values: WebhookFormValues;
  notice: string | null;
  error: string | null;
}): string {
  const { ctx, subscriptions } = input;
  return renderAdminPage(
    'Webhooks',
    ctx,
    html`<h1>Webhooks</h1>
<p>Reply Desk POSTs a signed JSON event to each URL when comments are stored or change status. See the README,
“Webhooks and email”, for the payload and how to check the signature.</p>
${noticeOf(input.notice, input.error)}
${
  subscriptions.length === 0
    ? html`<p>No subscriptions yet.</p>`
    : html`<table class="rd-table"><thead><tr><th>Site</th><th>URL</th><th>Events</th><th>State</th><th>Last delivery</th></tr></thead><tbody>
${subscriptions.map(
  (
    s,
  ) => html`<tr><td>${s.siteId}</td><td><a href="/admin/webhooks/${String(s.id)}">${s.url}</a>${s.description ? html`<br><small>${s.description}</small>` : ''}</td>
<td>${s.events.join(', ')}</td><td>${s.active ? 'active' : 'paused'}</td><td>${s.lastResult ? html`${s.lastResult} <small>${s.lastAt?.toISOString() ?? ''}</small>` : '—'}</td></tr>`,
)}
</tbody></table>`
}
<h2>Add a subscription</h2>
${form(ctx, '/admin/webhooks', input.sites, input.values, 'Add')}`,
  );
}

export function renderWebhookPage(input: {
  ctx: AdminPageContext;
  subscription: WebhookSubscription;
  values: WebhookFormValues;
  attempts: LoggedAttempt[];
  olderThan: number | null;
  notice: string | null;
  error: string | null;
  now: Date;
}): string {
  const { ctx, subscription: s, attempts } = input;
  const base = `/admin/webhooks/${String(s.id)}`;
  const inGrace =
    s.previousSecret !== null && s.previousSecretExpiresAt !== null && s.previousSecretExpiresAt > input.now;
  return renderAdminPage(
    `Webhook ${String(s.id)}`,
    ctx,
    html`<h1>Webhook for ${s.siteId}</h1>
<p><a href="/admin/webhooks">All webhooks</a></p>
${noticeOf(input.notice, input.error)}
${form(ctx, base, null, input.values, 'Save')}
<h2>Signing secret</h2>
<p>Receivers check <code>Reply-Desk-Signature</code> with this secret.</p>
<details><summary>Show the secret</summary><p><code class="rd-secret">${s.secret}</code></p></details>
${
  inGrace
    ? html`<p>The previous secret stays valid until ${s.previousSecretExpiresAt?.toISOString() ?? ''}: deliveries carry a signature with each.</p>`
    : ''
}
<form class="rd-form" method="post" action="${base}/rotate">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<div class="rd-field"><label for="w-grace">Keep the old secret valid for (hours)</label>
<input id="w-grace" name="graceHours" inputmode="numeric" value="24"><small>0 to 168. Meanwhile every delivery is signed with both.</small></div>
<p><button type="submit">Rotate the secret</button></p>
</form>
<form method="post" action="${base}/delete">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<p><button type="submit">Delete this webhook</button> <small>Its delivery log goes with it.</small></p>
</form>
<h2>Deliveries</h2>
${
  attempts.length === 0
    ? html`<p>No deliveries yet.</p>`
    : html`<table class="rd-table rd-deliveries"><thead><tr><th>When</th><th>Event</th><th>Attempt</th><th>Result</th><th>Status</th><th>Duration</th><th>Error</th><th>Next retry</th></tr></thead><tbody>
${attempts.map(
  (
    a,
  ) => html`<tr data-result="${a.result}"><td>${a.createdAt.toISOString()}</td><td><code>${a.eventType}</code><br><small>${a.eventId}</small></td>
<td>${String(a.attempt)}</td><td>${a.result}</td><td>${a.statusCode === null ? '—' : String(a.statusCode)}</td><td>${String(a.durationMs)} ms</td>
<td>${a.error ?? ''}</td><td>${a.nextRetryAt?.toISOString() ?? ''}</td></tr>`,
)}
</tbody></table>
${input.olderThan !== null ? html`<p><a href="${base}?before=${String(input.olderThan)}">Older deliveries</a></p>` : ''}`
}`,
  );
}
