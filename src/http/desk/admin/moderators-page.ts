import type { Site } from '../../../domain/site-settings.js';
import { MIN_PASSWORD_LENGTH } from '../../../auth/passwords.js';
import type { OpenInvite } from '../../../store/accounts/invites.js';
import type { Moderator } from '../../../store/moderators.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html } from '../../../html/html.js';
import { renderRoleFields } from './accounts/site-roles-form.js';

const sitesOf = (m: Moderator) =>
  m.role === 'admin'
    ? 'all sites'
    : m.siteIds.map((s) => `${s} (${m.siteRoles[s] ?? 'moderator'})`).join(', ') || 'no sites';

/** The Moderators page (admins): every account, with a link to manage each. */
export function renderModeratorsPage(input: {
  ctx: AdminPageContext;
  moderators: Moderator[];
  notice: string | null;
  /** Invites not yet used (src/store/accounts/invites.ts). */
  invites?: OpenInvite[];
}): string {
  const { ctx, moderators, notice, invites = [] } = input;
  return renderAdminPage(
    'Moderators',
    ctx,
    html`<h1>Moderators</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      <p>
        Admins manage sites and accounts and act on every site; everyone else has a role on each of their sites:
        viewer (reads only), moderator, or site admin. <a href="/admin/moderators/invite">Invite someone by mail</a>,
        or make an account with <code>reply-desk moderator add EMAIL</code>.
      </p>
      <table class="rd-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Sites</th>
            <th scope="col">Two-factor</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${moderators.map(
            (m) =>
              html`<tr>
                <td><a href="/admin/moderators/${String(m.id)}">${m.email}</a></td>
                <td>${m.displayName}</td>
                <td>${m.role}</td>
                <td>${sitesOf(m)}</td>
                <td>${m.twoFactor ? 'on' : 'off'}</td>
                <td>${m.disabled ? 'disabled' : 'enabled'}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${invites.length === 0 ? '' : renderOpenInvites(invites, ctx.csrfToken)}`,
  );
}

function renderOpenInvites(invites: OpenInvite[], csrfToken: string) {
  return html`<h2>Open invites</h2>
    <table class="rd-table rd-invites">
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">Invited by</th>
          <th scope="col">Link works until</th>
          <th scope="col"></th>
        </tr>
      </thead>
      <tbody>
        ${invites.map(
          (i) =>
            html`<tr>
              <td>${i.email}</td>
              <td>${
                i.role === 'admin'
                  ? 'admin'
                  : Object.entries(i.siteRoles)
                      .map(([s, r]) => `${s} (${r})`)
                      .join(', ')
              }</td>
              <td>${i.invitedBy ?? '—'}</td>
              <td>${i.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${i.mailed ? '' : ' (mail not sent yet)'}</td>
              <td>
                <form method="post" action="/admin/moderators/invites/${i.id}/revoke">
                  <input type="hidden" name="_csrf" value="${csrfToken}" /><button type="submit">Take back</button>
                </form>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

/** One account: its role, name and sites; a new password; disable or enable; remove. */
export function renderModeratorPage(input: {
  ctx: AdminPageContext;
  account: Moderator;
  sites: Site[];
  notice: string | null;
  error: string | null;
}): string {
  const { ctx, account: m, sites, notice, error } = input;
  const base = `/admin/moderators/${String(m.id)}`;
  const csrf = html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}" />`;
  return renderAdminPage(
    m.email,
    ctx,
    html`<p><a href="/admin/moderators">← Moderators</a></p>
      <h1>${m.email}${m.disabled ? html` <small>(disabled)</small>` : ''}</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}
      <form class="rd-form" method="post" action="${base}">
        ${csrf}
        ${renderRoleFields({
          idPrefix: 'm',
          displayName: m.displayName,
          role: m.role,
          sites,
          siteRoles: m.role === 'moderator' ? m.siteRoles : {},
        })}
        <p><button type="submit">Save</button></p>
      </form>
      <h2>New password</h2>
      <form class="rd-form" method="post" action="${base}/password">
        ${csrf}
        <div class="rd-field">
          <label for="m-password">New password (at least ${String(MIN_PASSWORD_LENGTH)} characters)</label>
          <input
            id="m-password"
            name="password"
            type="password"
            autocomplete="new-password"
            required
            minlength="${String(MIN_PASSWORD_LENGTH)}"
          />
          <small>Every session of this account is signed out; tell them the new password another way.</small>
        </div>
        <p><button type="submit">Set password</button></p>
      </form>
      <h2>Two-factor sign-in</h2>
      ${
        m.twoFactor
          ? html`<form class="rd-form" method="post" action="${base}/two-factor/reset">
              ${csrf}
              <p>On. Reset it when they lost their phone and their recovery codes: they sign in with the password alone and enrol again (at once, where a site of theirs requires it).</p>
              <p><button type="submit">Reset two-factor</button></p>
            </form>`
          : html`<p>Off.</p>`
      }
      <h2>${m.disabled ? 'Enable' : 'Disable'}</h2>
      <form class="rd-form" method="post" action="${base}/${m.disabled ? 'enable' : 'disable'}">
        ${csrf}
        <p>
          ${
            m.disabled
              ? 'They can sign in again with their password.'
              : 'They are signed out at once, their mail links stop working, and they cannot sign in until enabled.'
          }
        </p>
        <p><button type="submit">${m.disabled ? 'Enable account' : 'Disable account'}</button></p>
      </form>
      <h2>Remove</h2>
      <form class="rd-form" method="post" action="${base}/remove">
        ${csrf}
        <div class="rd-field">
          <label for="m-confirm">Type the email to confirm</label>
          <input id="m-confirm" name="confirm" autocomplete="off" required />
          <small>Deletes the account. The audit log keeps what they did, under their email.</small>
        </div>
        <p><button type="submit">Remove account</button></p>
      </form>`,
  );
}
