import { html, markup } from '../../../../html/html.js';
import type { Appeal } from '../../../../store/authors/appeals.js';
import type { Moderator } from '../../../../store/moderators.js';
import { renderAdminPage, type AdminPageContext } from '../../admin-layout.js';
import { profileHref } from './profile-page.js';

const stamp = (d: Date) =>
  html`<time datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>`;

/** The author key of an appeal's comment, for its profile link (the cards' data-author). */
function authorKeyOf(a: Appeal): string {
  if (a.comment.readerId !== null) return `reader:${a.comment.readerId}`;
  return a.comment.email !== '' ? `guest:${a.comment.email}` : '';
}

/** One appeal: the comment, the decision and its reason, what the commenter wrote, and the two outcomes. */
function renderAppeal(a: Appeal, m: Moderator, csrf: string) {
  const own = a.decision.decidedBy === m.id;
  const key = authorKeyOf(a);
  return html`<article class="rd-card rd-appeal" id="appeal-${String(a.id)}" data-appeal="${String(a.id)}" data-id="${a.commentId}">
    <header class="rd-card-head">
      <span class="rd-author"><b>${a.comment.author || 'Anonymous'}</b>${key !== '' ? html` · <a class="rd-profile-link" href="${profileHref(a.siteId, key)}">profile</a>` : ''}</span>
      <span class="rd-meta">on <b>${a.siteId}</b> / ${a.comment.pageUrl ? html`<a href="${a.comment.pageUrl}" target="_blank" rel="noopener noreferrer">${a.comment.page}</a>` : a.comment.page} · appealed ${stamp(a.openedAt)}</span>
    </header>
    <div class="rd-body">${markup(a.comment.html)}</div>
    <p class="rd-decided">
      ${a.decision.action === 'spam' ? 'Marked spam' : 'Rejected'} by <b class="rd-decider">${a.decision.decidedByName}</b> ·
      ${stamp(a.decision.decidedAt)} · reason <b class="rd-given-reason">${a.decision.reasonLabel}</b>${a.decision.note ? html` — ${a.decision.note}` : ''}
    </p>
    <blockquote class="rd-appeal-statement"><small>The commenter wrote:</small><p>${a.statement || '(nothing)'}</p></blockquote>
    ${
      own
        ? html`<p class="rd-notice">This decision is yours: another moderator decides its appeal.</p>`
        : html`<form method="post" action="/admin/appeals/${String(a.id)}" class="rd-appeal-decide">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <label>Note to the commenter (optional) <input name="note" maxlength="1000" /></label>
            <button type="submit" name="outcome" value="reinstate" class="rd-act-reinstate">Reinstate (publish)</button>
            <button type="submit" name="outcome" value="uphold" class="rd-act-uphold">Uphold the decision</button>
          </form>`
    }
  </article>`;
}

/** The queue's Appeals tab: open appeals, oldest first. */
export function renderAppealsPage(input: {
  ctx: AdminPageContext & { moderator: Moderator };
  appeals: Appeal[];
  notice: string | null;
}): string {
  const { ctx, appeals, notice } = input;
  return renderAdminPage(
    `Appeals (${String(appeals.length)})`,
    ctx,
    html`<nav class="rd-tabs" aria-label="Queues">
        <a href="/admin">Queue</a>
        <a href="/admin/appeals" aria-current="page">Appeals <span class="rd-count" data-tab="appeals">${String(appeals.length)}</span></a>
      </nav>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      <section class="rd-cards" aria-label="Appeals">
        ${appeals.length === 0 ? html`<p class="rd-empty">No open appeals.</p>` : appeals.map((a) => renderAppeal(a, ctx.moderator, ctx.csrfToken))}
      </section>`,
  );
}
