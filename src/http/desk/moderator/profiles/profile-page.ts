import { formatEnd } from '../../../../domain/decisions/suspension-length.js';
import { html, type SafeHtml } from '../../../../html/html.js';
import type { CommenterProfile } from '../../../../store/authors/commenter-profile.js';
import { renderAdminPage, type AdminPageContext } from '../../admin-layout.js';

/** Where an author's profile is: the cards' "Profile" link, the forms' way back. */
export function profileHref(siteId: string, authorKey: string): string {
  return `/admin/profile?${new URLSearchParams({ site: siteId, author: authorKey }).toString()}`;
}

const stamp = (d: Date): SafeHtml =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>`;

/** The hidden fields every action form of the profile carries. */
function who(p: CommenterProfile, csrf: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="site" value="${p.siteId}" /><input
      type="hidden"
      name="author"
      value="${p.key}"
    />`;
}

function renderActions(p: CommenterProfile, csrf: string): SafeHtml {
  const trustForm =
    p.reader !== null
      ? html`<form method="post" action="/admin/readers/${String(p.reader.id)}/${p.reader.trusted ? 'untrust' : 'trust'}" class="rd-inline">
          <input type="hidden" name="_csrf" value="${csrf}" />
          <button type="submit" class="rd-profile-trust">${p.reader.trusted ? 'Untrust' : 'Trust'}</button>
        </form>`
      : html`<form method="post" action="/admin/${p.trusted ? 'trusted/delete' : 'trusted'}" class="rd-inline">
          <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="site" value="${p.siteId}" /><input
            type="hidden"
            name="email"
            value="${p.email}"
          />
          <button type="submit" class="rd-profile-trust">${p.trusted ? 'Untrust' : 'Trust'}</button>
        </form>`;
  const banForm =
    p.reader !== null
      ? html`<input type="hidden" name="kind" value="reader" /><input type="hidden" name="reader" value="${String(p.reader.id)}" />`
      : html`<input type="hidden" name="kind" value="email" /><input type="hidden" name="email" value="${p.email}" />`;
  return html`<section class="rd-profile-actions" aria-label="Actions">
    <h2>Actions</h2>
    <form method="post" action="/admin/profile/warn" class="rd-profile-warn">
      ${who(p, csrf)}
      <label>Warning (the reader sees it once in the comment box on their next visit)
        <textarea name="message" rows="2" maxlength="1000" required></textarea></label>
      <button type="submit">Warn</button>
    </form>
    <form method="post" action="/admin/profile/suspend" class="rd-profile-suspend">
      ${who(p, csrf)}
      <label>Suspend for <input name="amount" type="number" min="1" max="8760" value="24" required /></label>
      <select name="unit" aria-label="Unit">
        <option value="hours">hours</option>
        <option value="days">days</option>
      </select>
      <label>Reason <input name="reason" maxlength="500" /></label>
      <button type="submit">Suspend</button>
    </form>
    ${
      p.suspendedUntil !== null
        ? html`<form method="post" action="/admin/profile/unsuspend" class="rd-inline">
            ${who(p, csrf)}
            <button type="submit">Lift the suspension</button>
          </form>`
        : ''
    }
    <form method="post" action="/admin/bans" class="rd-inline rd-profile-ban">
      <input type="hidden" name="_csrf" value="${csrf}" /><input type="hidden" name="site" value="${p.siteId}" />${banForm}
      <label><input type="checkbox" name="rejectPending" value="1" checked /> reject their pending comments</label>
      <button type="submit">Ban</button>
    </form>
    ${trustForm}
  </section>`;
}

function renderNotes(p: CommenterProfile, csrf: string): SafeHtml {
  return html`<section class="rd-profile-notes" aria-label="Moderator notes">
    <h2>Notes <small>(private to moderators)</small></h2>
    <ul>
      ${p.notes.map(
        (n) => html`<li class="rd-note" data-note="${String(n.id)}">
          <p>${n.body}</p>
          <small>${n.by} · ${stamp(n.createdAt)}</small>
          <form method="post" action="/admin/profile/notes/delete" class="rd-inline">
            ${who(p, csrf)}<input type="hidden" name="id" value="${String(n.id)}" />
            <button type="submit">Remove</button>
          </form>
        </li>`,
      )}
    </ul>
    <form method="post" action="/admin/profile/notes" class="rd-note-add">
      ${who(p, csrf)}
      <label>New note <textarea name="body" rows="2" maxlength="2000" required></textarea></label>
      <button type="submit">Add note</button>
    </form>
  </section>`;
}

function renderComments(p: CommenterProfile): SafeHtml {
  if (p.comments.length === 0) return html`<p>No comments.</p>`;
  return html`<table class="rd-table rd-profile-comments">
    <thead>
      <tr><th scope="col">When</th><th scope="col">Page</th><th scope="col">Comment</th><th scope="col">Status</th><th scope="col">Decided by</th><th scope="col">Flags</th></tr>
    </thead>
    <tbody>
      ${p.comments.map(
        (c) => html`<tr data-id="${c.id}" data-status="${c.status}">
          <td>${stamp(c.receivedAt)}</td>
          <td>${c.page.url ? html`<a href="${c.page.url}" rel="noopener noreferrer" target="_blank">${c.page.title ?? c.page.identifier}</a>` : (c.page.title ?? c.page.identifier)}</td>
          <td><a href="/admin?${new URLSearchParams({ tab: c.status === 'approved' || c.status === 'spam' || c.status === 'rejected' ? c.status : 'pending', q: c.id }).toString()}">${c.body.length > 140 ? `${c.body.slice(0, 139)}…` : c.body}</a></td>
          <td class="rd-profile-status">${c.status}${c.reason ? html`<br /><small class="rd-given-reason">${c.reason.label}${c.reason.note ? ` — ${c.reason.note}` : ''}</small>` : ''}${c.appeal ? html`<br /><small>appeal: ${c.appeal.status}</small>` : ''}</td>
          <td class="rd-profile-decider">${c.decided ? html`${c.decided.by} · ${stamp(c.decided.at)}` : 'the rules'}</td>
          <td>${c.flags > 0 ? String(c.flags) : ''}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

/** One author's page: who they are, every comment on the site with its decider, flags, bans, notes, warnings, suspensions, and the actions. */
export function renderProfilePage(input: {
  ctx: AdminPageContext;
  profile: CommenterProfile;
  notice: string | null;
}): string {
  const { ctx, profile: p, notice } = input;
  const name = p.names[0] ?? 'Anonymous';
  const c = p.counts;
  return renderAdminPage(
    `${name} · profile`,
    ctx,
    html`<h1 class="rd-profile-name">${name}</h1>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      <p class="rd-profile-who">
        ${p.reader !== null ? html`Verified reader (${p.reader.via}) · ` : html`Guest (typed details) · `}${p.email || 'no email'} · on
        <b>${p.siteId}</b>${p.names.length > 1 ? html` · also posted as ${p.names.slice(1).join(', ')}` : ''}
        ${(p.reader?.trusted ?? p.trusted) ? html` <span class="rd-badge">trusted</span>` : ''}
        ${p.suspendedUntil !== null ? html` <b class="rd-suspended">Suspended until ${formatEnd(p.suspendedUntil)}</b>` : ''}
      </p>
      <p class="rd-history">
        ${String(c.approved)} approved · ${String(c.pending)} pending · ${String(c.rejected)} rejected · ${String(c.spam)}
        spam · ${String(c.deleted)} deleted
      </p>
      ${renderActions(p, ctx.csrfToken)} ${renderNotes(p, ctx.csrfToken)}
      <section aria-label="Comments"><h2>Comments</h2>${renderComments(p)}</section>
      <section class="rd-profile-flags" aria-label="Flags">
        <h2>Flags received</h2>
        ${p.flags.length ? html`<p>${p.flags.map((f) => html`<span>${f.reason} ×${String(f.count)}</span> `)}</p>` : html`<p>None.</p>`}
      </section>
      <section class="rd-profile-bans" aria-label="Bans">
        <h2>Bans</h2>
        ${p.bans.length ? html`<ul>${p.bans.map((b) => html`<li>${b.kind} ${b.value}${b.reason ? ` — ${b.reason}` : ''} · since ${stamp(b.since)}</li>`)}</ul>` : html`<p>None.</p>`}
      </section>
      <section class="rd-profile-warnings" aria-label="Warnings">
        <h2>Warnings</h2>
        ${p.warnings.length ? html`<ul>${p.warnings.map((w) => html`<li>${w.message} <small>${w.by} · ${stamp(w.createdAt)} · ${w.seenAt ? html`seen ${stamp(w.seenAt)}` : 'not seen yet'}</small></li>`)}</ul>` : html`<p>None.</p>`}
      </section>
      <section class="rd-profile-suspensions" aria-label="Suspensions">
        <h2>Suspensions</h2>
        ${p.suspensions.length ? html`<ul>${p.suspensions.map((s) => html`<li>${stamp(s.startsAt)} → ${formatEnd(s.endsAt)}${s.liftedAt ? html` (lifted ${stamp(s.liftedAt)})` : ''}${s.reason ? ` — ${s.reason}` : ''} <small>by ${s.by}</small></li>`)}</ul>` : html`<p>None.</p>`}
      </section>`,
  );
}
