import type { booleanFields, SiteFormValues } from '../../../domain/site-form.js';
import type { Site } from '../../../domain/site-settings.js';
import type { FieldError } from '../../../errors.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, type SafeHtml } from '../../../html/html.js';
import { renderBacktestControls } from '../backtest-panel.js';

const moderationLabels: Record<Site['settings']['moderation'], string> = {
  pre: 'Pre-moderate all: hold every comment for a moderator',
  rules: 'Hold by rules: publish what passes the checks, hold the rest',
  open: 'Publish unless flagged: no hold rules; readers’ flags send comments back',
};

/** Each language by its own name, so an admin who reads only it still finds it. */
const languageLabels: Record<Site['settings']['language'], string> = {
  auto: 'The reader’s browser language (English where it is none of these)',
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  it: 'Italiano',
  pt: 'Português',
  nl: 'Nederlands',
  pl: 'Polski',
  tr: 'Türkçe',
  ru: 'Русский',
  ja: '日本語',
  ar: 'العربية',
};
const sortLabels: Record<Site['settings']['defaultSort'], string> = {
  oldest: 'Oldest first',
  newest: 'Newest first',
  top: 'Top (by votes, confidence-adjusted)',
};
const voteLabels: Record<Site['settings']['votes'], string> = {
  up: 'Up votes only',
  updown: 'Up and down votes',
  off: 'No votes',
};
const abuseFilterLabels: Record<Site['settings']['abuseFilter'], string> = {
  hold: 'Abuse filter: hold comments with abusive words, or that the filter learned to find abusive',
  off: 'Abuse filter off',
};

/** The error for a field, shown under it and tied to it for screen readers. */
function fieldError(errors: FieldError[], field: string): SafeHtml {
  const e = errors.find((x) => x.field === field);
  return e ? html`<span class="rd-field-error" id="err-${field}" role="alert">${e.message}</span>` : html``;
}

function invalid(errors: FieldError[], field: string): SafeHtml {
  return errors.some((x) => x.field === field) ? html` aria-invalid="true" aria-describedby="err-${field}"` : html``;
}

/**
 * The site form, for a new site (`siteId` null) or an existing one. Shows the values as entered and
 * each field's error next to it, so a rejected save loses nothing.
 */
function renderSiteForm(
  csrfToken: string,
  siteId: string | null,
  v: SiteFormValues,
  errors: FieldError[],
  backtestDays?: string,
): SafeHtml {
  const creating = siteId === null;
  const number = (name: keyof SiteFormValues & string, label: string, help: string, min: number, max: number) =>
    html`<div class="rd-field"><label for="f-${name}">${label}</label>
<input id="f-${name}" name="${name}" inputmode="numeric" value="${String(v[name])}" data-min="${min}" data-max="${max}"${invalid(errors, name)}>
<small>${help}</small>${fieldError(errors, name)}</div>`;
  const checkbox = (name: (typeof booleanFields)[number], label: string) =>
    html`<div class="rd-field"><label><input type="checkbox" name="${name}" value="1"${v[name] ? html` checked` : ''}> ${label}</label>${fieldError(errors, name)}</div>`;
  const choice = <K extends 'language' | 'defaultSort' | 'votes'>(
    name: K,
    label: string,
    options: Record<string, string>,
  ) =>
    html`<div class="rd-field"><label for="f-${name}">${label}</label>
<select id="f-${name}" name="${name}"${invalid(errors, name)}>${Object.entries(options).map(
      ([value, text]) => html`<option value="${value}"${v[name] === value ? html` selected` : ''}>${text}</option>`,
    )}</select>${fieldError(errors, name)}</div>`;
  const lines = (name: 'origins' | 'holdWords' | 'spamWords', label: string, help: string) =>
    html`<div class="rd-field"><label for="f-${name}">${label}</label>
<textarea id="f-${name}" name="${name}" rows="5"${invalid(errors, name)}>${v[name]}</textarea>
<small>${help}</small>${fieldError(errors, name)}</div>`;
  return html`${errors.length > 0 ? html`<p class="rd-notice rd-notice-error" role="alert">Nothing was saved: please fix the ${errors.length === 1 ? 'field' : `${errors.length} fields`} marked below.</p>` : ''}
<form class="rd-form" method="post" action="${creating ? '/admin/sites' : `/admin/sites/${encodeURIComponent(siteId)}`}" novalidate>
<input type="hidden" name="_csrf" value="${csrfToken}">
${
  creating
    ? html`<div class="rd-field"><label for="f-id">Id</label><input id="f-id" name="id" value="${v.id}" required${invalid(errors, 'id')}>
<small>Used in the embed code (data-site); lowercase letters, digits, - and _. It cannot be changed later.</small>${fieldError(errors, 'id')}</div>`
    : ''
}
<div class="rd-field"><label for="f-name">Name</label><input id="f-name" name="name" value="${v.name}" required${invalid(errors, 'name')}>${fieldError(errors, 'name')}</div>
${lines('origins', 'Allowed origins', 'One per line, like https://example.org. Pages on these origins may show threads and post comments.')}
<fieldset><legend>Comment form</legend>
${checkbox('requireName', 'Require a name')}
${checkbox('requireEmail', 'Require an email (never shown)')}
</fieldset>
<fieldset><legend>Moderation</legend>
<div class="rd-field">${(['pre', 'rules', 'open'] as const).map(
    (mode) =>
      html`<label class="rd-radio"><input type="radio" name="moderation" value="${mode}"${v.moderation === mode ? html` checked` : ''}> ${moderationLabels[mode]}</label>`,
  )}${fieldError(errors, 'moderation')}</div>
${lines('holdWords', 'Hold words', 'One word or phrase per line; a comment containing one waits for a moderator.')}
${lines('spamWords', 'Spam words', 'One word or phrase per line; a comment containing one goes to spam.')}
${number('holdLinks', 'Hold at this many links', '0 turns the rule off.', 0, 100)}
${checkbox('holdFirstTime', 'Hold a first-time commenter until one of their comments is approved')}
<div class="rd-field">${(['hold', 'off'] as const).map(
    (mode) =>
      html`<label class="rd-radio"><input type="radio" name="abuseFilter" value="${mode}"${v.abuseFilter === mode ? html` checked` : ''}> ${abuseFilterLabels[mode]}</label>`,
  )}${fieldError(errors, 'abuseFilter')}</div>
${number('abuseThreshold', 'Abuse filter: hold when the learned model is this sure (percent)', 'From 50 to 99; it learns from rejects with the reason “abusive” and from approvals.', 50, 99)}
<div class="rd-field"><label for="f-spamBlockedHamTarget">Spam filter: at most this % of approved comments held or marked as spam</label>
<input id="f-spamBlockedHamTarget" name="spamBlockedHamTarget" inputmode="decimal" value="${v.spamBlockedHamTarget}" data-min="0.1" data-max="20"${invalid(errors, 'spamBlockedHamTarget')}>
<small>The filter sets where it holds from this site’s own decisions once moderators have approved 100 scored comments. Lower spares more readers and lets more spam through; 0.1 to 20.</small>${fieldError(errors, 'spamBlockedHamTarget')}</div>
${number('floodSeconds', 'Seconds between two comments from one author', '0 turns the rule off.', 0, 3600)}
${number('flagThreshold', 'Readers’ flags that send a comment back to the queue', 'From 1 to 100 (3 is strict, 5 balanced).', 1, 100)}
</fieldset>
<fieldset><legend>Floods and bots</legend>
${checkbox('requireFormToken', 'Hold comments sent without a form token (the widget and the no-JS form always send one; API clients do not)')}
${number('formMinSeconds', 'Hold comments sent sooner than this many seconds after the form was shown', 'People read and type; bots post at once. 0 turns the rule off.', 0, 600)}
${number('rateLimitIp', 'Comments per minute from one IP address', 'More are refused with “try again in N seconds”. 0: no limit.', 0, 100_000)}
${number('rateLimitNet', 'Comments per minute from one IPv6 /64 network', '0: no limit.', 0, 100_000)}
${number('rateLimitEmail', 'Comments per minute from one email address', '0: no limit.', 0, 100_000)}
${number('rateLimitSite', 'Comments per minute for the whole site', '0: no limit.', 0, 1_000_000)}
${number('surgeFactor', 'Surge mode: hold everything when the rate is this many times normal', 'It switches itself off when the rate falls. 0 turns it off.', 0, 1000)}
${number('surgeMinimum', 'Surge mode: fewest comments in a minute that count as a surge', 'From 1.', 1, 1_000_000)}
${number('pageSurgeScore', 'Brigades: pre-moderate one page when its brigade score reaches', 'Rate jump, first-time authors, near-duplicate texts from other addresses, flags; 0 to 9. 0 turns it off.', 0, 9)}
${number('pageSurgeMinimum', 'Brigades: fewest comments on one page in a minute before the score counts', 'From 1.', 1, 1_000_000)}
</fieldset>
<fieldset><legend>Threads</legend>
${number('closeAfterDays', 'Close a thread this many days after its first comment', '0 never closes.', 0, 36_500)}
${number('maxDepth', 'Deepest reply level', 'From 1 (no replies) to 10.', 1, 10)}
${choice('language', 'Language of the widget, the no-JS form and readers’ mails', languageLabels)}
${choice('defaultSort', 'Order of a thread until the reader picks one', sortLabels)}
${choice('votes', 'Readers’ votes on published comments', voteLabels)}
${checkbox('gravatar', 'Show Gravatar pictures for signed-in readers, whose email is verified (never guests; readers’ browsers then ask gravatar.com; off: an identicon drawn here, no third party asked)')}
</fieldset>
<fieldset><legend>Desk</legend>
${checkbox('requireTwoFactor', 'Require two-factor sign-in (a code from an authenticator app) from everyone with a role on this site and from every admin; those without it set it up at their next click')}
</fieldset>
<fieldset><legend>Privacy</legend>
${number('ipRetentionDays', 'Forget commenters’ IP addresses after this many days', 'Truncated to the network and the browser cleared; 0 keeps them.', 0, 36_500)}
</fieldset>
${creating ? '' : renderBacktestControls(`/admin/sites/${encodeURIComponent(siteId)}/backtest`, backtestDays)}
<p><button type="submit">${creating ? 'Create site' : 'Save changes'}</button></p>
</form>`;
}

/** One site's settings form; `errors` non-empty after a refused save (answered with 422). */
export function renderSitePage(input: {
  ctx: AdminPageContext;
  siteId: string;
  values: SiteFormValues;
  errors: FieldError[];
  notice: string | null;
  /** What the form's settings would have done (the backtest's panel, after "Preview changes"). */
  preview?: SafeHtml;
  /** The backtest window as entered. */
  backtestDays?: string;
}): string {
  const { ctx, siteId, values, errors, notice } = input;
  return renderAdminPage(
    `Site ${siteId}`,
    ctx,
    html`<p><a href="/admin/sites">← Sites</a></p>
      <h1>Site <code>${siteId}</code></h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${input.preview ?? ''}
      ${renderSiteForm(ctx.csrfToken, siteId, values, errors, input.backtestDays)}
      <p>
        <a href="/admin/audit?${new URLSearchParams({ site: siteId, action: 'site_update' }).toString()}"
          >History of this site’s settings</a
        >
      </p>
      <p>
        <a href="/admin/sites/${encodeURIComponent(siteId)}/hours"
          >Staffed hours: when the desk is staffed, and what comments meet outside them</a
        >
      </p>
      <p>
        <a href="/admin/sites/${encodeURIComponent(siteId)}/sign-in"
          >Sign-in: the SSO secret and OpenID Connect providers</a
        >
      </p>
      <p>
        <a href="/admin/sites/${encodeURIComponent(siteId)}/chat"
          >Chat notifications: Slack, Microsoft Teams, Mattermost</a
        >
      </p>
      <p>
        <a href="/admin/sites/${encodeURIComponent(siteId)}/check-hook"
          >External check: a newsroom’s own hook asked about each comment</a
        >
      </p>
      <p><a class="rd-danger" href="/admin/sites/${encodeURIComponent(siteId)}/delete">Delete this site…</a></p>`,
  );
}

/**
 * Every site, with a link to edit it, and the form to add one (open, with the entered values and
 * errors, after a refused create).
 */
export function renderSitesPage(input: {
  ctx: AdminPageContext;
  sites: Site[];
  notice: string | null;
  newSite: { values: SiteFormValues; errors: FieldError[] };
}): string {
  const { ctx, sites, notice, newSite } = input;
  return renderAdminPage(
    'Sites',
    ctx,
    html`<h1>Sites</h1>
${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
<table class="rd-table"><thead><tr><th>Id</th><th>Name</th><th>Origins</th><th>Moderation</th><th>Flags to report</th></tr></thead>
<tbody>${
      sites.length === 0
        ? html`<tr><td colspan="5">No sites yet.</td></tr>`
        : sites.map(
            (s) => html`<tr><td><a href="/admin/sites/${encodeURIComponent(s.id)}">${s.id}</a></td><td>${s.name}</td>
<td>${s.allowedOrigins.length ? s.allowedOrigins.map((o) => html`<div>${o}</div>`) : html`<i>none</i>`}</td>
<td>${s.settings.moderation}</td><td>${s.settings.flagThreshold}</td></tr>`,
          )
    }</tbody></table>
<details class="rd-new-site"${newSite.errors.length > 0 ? html` open` : ''}><summary>Add a site</summary>
${renderSiteForm(ctx.csrfToken, null, newSite.values, newSite.errors)}
</details>`,
  );
}
