import { chatServices, type ChatService } from '../../../../notify/chat-formats.js';
import { chatEvents, type ChatEvent, type ChatTarget } from '../../../../store/notify/chat-targets.js';
import { renderAdminPage, type AdminPageContext } from '../../admin-layout.js';
import { html } from '../../../../html/html.js';

const serviceNames: Record<ChatService, string> = {
  slack: 'Slack',
  teams: 'Microsoft Teams',
  mattermost: 'Mattermost',
};
const eventHelp: Record<ChatEvent, string> = {
  held: 'held comments waiting (at most one post per interval, with the count)',
  surge: 'a brigade on a story (the page is pre-moderated until it calms down)',
  appeal: 'an appeal was opened',
};

/** The add form as entered (kept on a refused save). */
export interface ChatTargetFormValues {
  service: string;
  url: string;
  events: string[];
  heldEveryMinutes: string;
  description: string;
}

export const emptyChatTargetForm: ChatTargetFormValues = {
  service: 'slack',
  url: '',
  events: ['held', 'surge', 'appeal'],
  heldEveryMinutes: '15',
  description: '',
};

/** Only the start of a URL: the whole one is the channel's key, and the page may be on a shared screen. */
const shortUrl = (u: string): string => (u.length > 40 ? `${u.slice(0, 40)}…` : u);

/**
 * A site's chat targets at /admin/sites/:id/chat (admins only): the list with each one's last post,
 * the add form, and remove buttons.
 */
export function renderChatTargetsPage(input: {
  ctx: AdminPageContext;
  siteId: string;
  siteName: string;
  targets: ChatTarget[];
  values: ChatTargetFormValues;
  notice: string | null;
  error: string | null;
}): string {
  const { ctx, siteId, targets, values: v } = input;
  const base = `/admin/sites/${encodeURIComponent(siteId)}/chat`;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
  return renderAdminPage(
    `Chat notifications: ${input.siteName}`,
    ctx,
    html`<p><a href="/admin/sites/${encodeURIComponent(siteId)}">← Site ${siteId}</a></p>
<h1>Chat notifications for <code>${siteId}</code></h1>
${input.notice ? html`<p class="rd-notice" role="status">${input.notice}</p>` : ''}
${input.error ? html`<p class="rd-notice rd-notice-error" role="alert">${input.error}</p>` : ''}
<p>Post desk news to a Slack, Microsoft Teams or Mattermost channel through its incoming webhook. Failed posts are retried for about two hours.</p>
${
  targets.length === 0
    ? html`<p>No chat targets yet.</p>`
    : html`<table class="rd-table rd-chat-targets"><thead><tr><th>Service</th><th>URL</th><th>Posts</th><th>Held at most every</th><th>Last post</th><th></th></tr></thead><tbody>
${targets.map(
  (
    t,
  ) => html`<tr data-target="${String(t.id)}"><td>${serviceNames[t.service]}${t.description ? html`<br><small>${t.description}</small>` : ''}</td><td><code>${shortUrl(t.url)}</code></td>
<td>${t.events.join(', ')}</td><td>${String(t.heldEveryMinutes)} min</td>
<td>${t.lastResult === null ? '—' : html`${t.lastResult}${t.lastStatusCode === null ? '' : ` (HTTP ${t.lastStatusCode})`}${t.lastError ? html`<br><small>${t.lastError}</small>` : ''}`}</td>
<td><form method="post" action="${base}/${String(t.id)}/delete">${csrf}<button type="submit" class="rd-danger">Remove</button></form></td></tr>`,
)}
</tbody></table>`
}
<h2>Add a chat target</h2>
<form class="rd-form" method="post" action="${base}">
${csrf}
<div class="rd-field"><label for="c-service">Service</label><select id="c-service" name="service">${chatServices.map(
      (s) => html`<option value="${s}"${v.service === s ? html` selected` : ''}>${serviceNames[s]}</option>`,
    )}</select></div>
<div class="rd-field"><label for="c-url">Incoming-webhook URL</label><input id="c-url" name="url" type="url" required value="${v.url}">
<small>Slack: an app's incoming webhook; Teams: a channel's Workflows webhook (“Post to a channel when a webhook request is received”); Mattermost: Integrations → Incoming Webhooks.</small></div>
<fieldset><legend>Post about</legend>
${chatEvents.map(
  (e) =>
    html`<div class="rd-field"><label><input type="checkbox" name="events" value="${e}"${v.events.includes(e) ? html` checked` : ''}> <code>${e}</code> — ${eventHelp[e]}</label></div>`,
)}
</fieldset>
<div class="rd-field"><label for="c-every">Held comments: at most one post every (minutes)</label><input id="c-every" name="heldEveryMinutes" inputmode="numeric" value="${v.heldEveryMinutes}"></div>
<div class="rd-field"><label for="c-note">Note</label><input id="c-note" name="description" maxlength="200" value="${v.description}"></div>
<p><button type="submit">Add</button></p>
</form>`,
  );
}
