import type { Site, SiteSettings } from '../../../domain/site-settings.js';
import { measureOf } from '../../../moderation/reason-measure.js';
import type { SurgeState } from '../../../flood/surge-state.js';
import { formatWait, type ExpectedWait } from '../../../domain/pages/expected-wait.js';
import {
  COUNT_CAP,
  queueTabs,
  type QueueCard,
  type QueueFilter,
  type QueueTab,
} from '../../../store/moderation-queue.js';
import { asRoleAllows } from '../read-only-view.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, markup, type SafeHtml } from '../../../html/html.js';
import { formatUtc } from '../desk-time-zone.js';
import {
  defaultDecisionReasons,
  sharedDecisionReasons,
  type DecisionReason,
} from '../../../domain/decisions/decision-reasons.js';

const tabLabels: Record<QueueTab, string> = {
  pending: 'Pending',
  reported: 'Reported',
  spam: 'Spam',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** The rule codes a moderator can filter by, with their names. */
export const reasonLabels: Record<string, string> = {
  FIRST_COMMENT: 'First comment',
  TOO_MANY_LINKS: 'Links',
  HOLD_WORD: 'Watched word',
  SPAM_WORD: 'Spam word',
  HONEYPOT: 'Honeypot',
  BANNED: 'Banned author',
  PRE_MODERATION: 'Pre-moderation',
  DUPLICATE: 'Duplicate',
  TOO_FAST: 'Too fast',
  THREAD_CLOSED: 'Closed thread',
  REQUIRED: 'Missing field',
  TOO_DEEP: 'Too deep',
  PARENT_NOT_FOUND: 'Parent missing',
  PARENT_NOT_APPROVED: 'Parent unpublished',
  SURGE: 'Surge mode',
  PAGE_SURGE: 'Brigade on this story',
  OFF_HOURS: 'Off hours',
  SPAM_MEMORY: 'Spam memory',
  FORM_TOO_FAST: 'Form too fast',
  FORM_TOKEN_FORGED: 'Forged form',
  FORM_TOKEN_EXPIRED: 'Old form',
  FORM_TOKEN_MISMATCH: 'Form of another page',
  AKISMET_SPAM: 'Akismet spam',
  AKISMET_DISCARD: 'Akismet discard',
  AKISMET_UNAVAILABLE: 'Akismet unavailable',
  EXTERNAL_HOLD: 'External check: hold',
  EXTERNAL_SPAM: 'External check: spam',
  EXTERNAL_REJECT: 'External check: refused',
  EXTERNAL_CHECK_UNAVAILABLE: 'External check unavailable',
  LIKELY_SPAM: 'Spam filter',
  CLASSIFIED_SPAM: 'Spam filter',
  ABUSE: 'Abuse filter',
};

/** Which actions make sense on a card in each tab (the current status's own action is left out). */
const tabActions: Record<QueueTab, { action: string; label: string; key: string }[]> = {
  pending: [
    { action: 'approve', label: 'Approve', key: 'a' },
    { action: 'reject', label: 'Reject', key: 'r' },
    { action: 'spam', label: 'Spam', key: 's' },
  ],
  reported: [
    { action: 'approve', label: 'Keep', key: 'a' },
    { action: 'reject', label: 'Reject', key: 'r' },
    { action: 'spam', label: 'Spam', key: 's' },
  ],
  spam: [
    { action: 'not_spam', label: 'Not spam', key: 'a' },
    { action: 'reject', label: 'Reject', key: 'r' },
  ],
  approved: [
    { action: 'reject', label: 'Unpublish', key: 'r' },
    { action: 'spam', label: 'Spam', key: 's' },
  ],
  rejected: [
    { action: 'approve', label: 'Approve', key: 'a' },
    { action: 'spam', label: 'Spam', key: 's' },
  ],
};

export function formatCount(n: number): string {
  return n > COUNT_CAP ? `${COUNT_CAP.toLocaleString('en')}+` : n.toLocaleString('en');
}

/** The query string of a filter, for links that keep it (tabs, next page). */
export function filterQuery(f: QueueFilter, change: Partial<QueueFilter> & { cursor?: string } = {}): string {
  const merged = { ...f, ...change };
  const params = new URLSearchParams();
  params.set('tab', merged.tab);
  if (merged.site) params.set('site', merged.site);
  if (merged.page) params.set('page', merged.page);
  if (merged.reason) params.set('reason', merged.reason);
  if (merged.q) params.set('q', merged.q);
  if (merged.order !== 'oldest') params.set('order', merged.order);
  if (change.cursor) params.set('cursor', change.cursor);
  return `?${params.toString()}`;
}

/**
 * A held first comment whose author has had one approved since (on another card, or elsewhere): the
 * reason no longer holds, and the label says so. widget/desk/first-comment.ts writes the same words
 * in place when the moderator approves the author's comment on this page.
 */
function firstCommentOutgrown(card: QueueCard): string | null {
  const n = card.history.approved;
  if (card.status !== 'pending' || n === 0) return null;
  return `Held as a first comment; this author has ${n} approved comment${n === 1 ? '' : 's'} here now.`;
}

function renderReasons(card: QueueCard, settings: Pick<SiteSettings, 'holdLinks'> | null): SafeHtml {
  if (card.verdict.reasons.length === 0) return html`<p class="rd-reasons rd-none">No rule objected.</p>`;
  return html`<ul class="rd-reasons" aria-label="Why">
    ${card.verdict.reasons.map((r) => {
      const outgrown = r.code === 'FIRST_COMMENT' ? firstCommentOutgrown(card) : null;
      const measure = measureOf(r, settings);
      return html`<li class="rd-reason rd-${r.action}${outgrown !== null ? ' rd-outgrown' : ''}" data-code="${r.code}">
        <b>${outgrown !== null ? 'No longer a first comment' : (reasonLabels[r.code] ?? r.code)}</b>
        <span class="rd-reason-text">${outgrown ?? r.message}</span>
        ${measure !== '' ? html`<span class="rd-score">${measure}</span>` : ''}
      </li>`;
    })}
  </ul>`;
}

const decidedVerbs: Partial<Record<QueueTab, string>> = {
  spam: 'Marked spam',
  approved: 'Published',
  rejected: 'Rejected',
};

/** Spam, Approved, Rejected: who decided (a moderator, or the rules and which) and when, in UTC. */
function renderDecided(card: QueueCard, tab: QueueTab): SafeHtml {
  const verb = decidedVerbs[tab];
  if (verb === undefined) return html``;
  const at = card.decided?.at ?? card.checkedAt;
  // The rules that made this decision (a spam word marks spam; a first-comment hold beside it did not).
  const deciding = card.verdict.reasons.filter((r) => r.action === (tab === 'rejected' ? 'reject' : tab));
  const rules = [...new Set(deciding.map((r) => reasonLabels[r.code] ?? r.code))];
  const by =
    card.decided !== null
      ? html`by <b class="rd-decider">${card.decided.by}</b>`
      : html`by
          <b class="rd-decider">the rules</b>${rules.length > 0 ? ` (${rules.join(', ')})` : ': no rule objected'}`;
  return html`<p class="rd-decided">
    ${verb} ${by} ·
    <time datetime="${at.toISOString()}" title="${formatUtc(at)}"
      >${at.toISOString().replace('T', ' ').slice(0, 16)} UTC</time
    >
  </p>`;
}

const viaLabels: Record<'sso' | 'email' | 'oidc', string> = { sso: 'SSO', email: 'email', oidc: 'OpenID Connect' };

/**
 * Whose comment this is, for the script's first-comment labels (widget/desk/first-comment.ts): the
 * reader, or the guest's typed email; the same split as the card's history, so the two never disagree.
 */
function authorKey(card: QueueCard): string {
  if (card.reader !== null) return `reader:${card.reader.id}`;
  return card.email !== '' ? `guest:${card.email}` : '';
}

/** "Verified via SSO / email / <provider>" (and Staff) for a signed-in reader; "Guest" for typed details. */
function renderIdentity(card: QueueCard): SafeHtml {
  const r = card.reader;
  if (r === null) {
    // A reader erased since: the comment stays marked verified in the thread, with nobody left to act on.
    return card.verified
      ? html`<span class="rd-identity rd-verified">Verified reader (erased)</span>`
      : html`<span class="rd-identity rd-guest" title="Name and email typed, not verified">Guest</span>`;
  }
  const via = r.via === 'oidc' ? (r.provider ?? viaLabels.oidc) : viaLabels[r.via];
  return html`<span class="rd-identity rd-verified" data-reader="${String(r.id)}">Verified via ${via}</span>${
    r.staff ? html` <span class="rd-badge rd-staff">Staff</span>` : ''
  }`;
}

/** The texts an edited comment had before, oldest first, each with who replaced it and when. */
function renderEarlierVersions(card: QueueCard): SafeHtml {
  if (card.edits.length === 0) return html``;
  return html`<details class="rd-earlier">
    <summary>Earlier versions (${String(card.edits.length)})</summary>
    <ol>
      ${card.edits.map(
        (e) =>
          html`<li>
            <pre class="rd-earlier-body">${e.bodyBefore}</pre>
            <small
              >replaced by ${e.byAuthor ? 'the author' : 'a moderator'} ·
              <time datetime="${e.at.toISOString()}">${e.at.toISOString().replace('T', ' ').slice(0, 16)} UTC</time></small
            >
          </li>`,
      )}
    </ol>
  </details>`;
}

/**
 * Editors' picks (issue 15): a published comment is featured or taken out of the picks (key f). A pick
 * whose comment was removed keeps the button to take it out, so the mark does not linger.
 */
function renderFeature(card: QueueCard, csrfToken: string): SafeHtml {
  const featured = card.featuredAt !== null;
  if (card.status !== 'approved' && !featured) return html``;
  return html`<form class="rd-feature" method="post" action="/admin/comments/${card.id}/${featured ? 'unfeature' : 'feature'}">
    <input type="hidden" name="_csrf" value="${csrfToken}" />
    <button type="submit" data-key="f" aria-pressed="${featured ? 'true' : 'false'}">${featured ? 'Unfeature' : 'Feature'} <kbd>f</kbd></button>
  </form>`;
}

/** Reply as the moderator's own reader (POST /admin/api/comments/:id/reply): a published comment on an open page. */
function renderReply(card: QueueCard, csrfToken: string): SafeHtml {
  if (card.status !== 'approved' || card.page.closed) return html``;
  return html`<details class="rd-reply-box">
    <summary>Reply</summary>
    <form class="rd-reply" method="post" action="/admin/api/comments/${card.id}/reply">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <label>Your reply<textarea name="body" rows="3" maxlength="65525" required></textarea></label>
      <button type="submit">Publish reply</button>
      <small>Published at once under your name, as staff when your Staff badge is on (My settings).</small>
    </form>
  </details>`;
}

/**
 * Ban and trust for a signed-in reader: their identity (bans kind 'reader', readers.trusted), whatever
 * email or network they post from. A guest's card keeps the email forms: typed details are all there is.
 */
function renderReaderRules(card: QueueCard, reader: NonNullable<QueueCard['reader']>, csrfToken: string): SafeHtml {
  const name = card.author || `reader ${reader.id}`;
  const trust = reader.trusted ? 'untrust' : 'trust';
  return html`<form method="post" action="/admin/bans" class="rd-inline rd-reader-ban">
      <input type="hidden" name="_csrf" value="${csrfToken}" /><input type="hidden" name="site" value="${card.siteId}" />
      <input type="hidden" name="kind" value="reader" /><input type="hidden" name="reader" value="${String(reader.id)}" />
      <label><input type="checkbox" name="rejectPending" value="1" checked /> reject their pending comments</label>
      <button type="submit" class="rd-act-ban-reader">Ban reader ${name}</button>
    </form>
    <form method="post" action="/admin/readers/${String(reader.id)}/${trust}" class="rd-inline rd-reader-trust">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      <button type="submit" class="rd-act-${trust}-reader">${reader.trusted ? 'Untrust' : 'Trust'} reader ${name}</button>
    </form>`;
}

/**
 * The reason a reject or spam carries for the commenter (issue 16): the site's list, or none (then no
 * statement of reasons is sent). Inside the actions form, so the buttons and the keys send it along.
 */
function renderDecisionReason(reasons: readonly DecisionReason[], summary = 'Reason for the commenter'): SafeHtml {
  return html`<details class="rd-decision-reason">
    <summary>${summary}</summary>
    <label
      >Reason (reject, spam)
      <select name="reason">
        <option value="">None: tell the commenter nothing</option>
        ${reasons.map((r) => html`<option value="${r.code}">${r.label}</option>`)}
      </select></label
    >
    <label>Note to the commenter <input name="note" maxlength="1000" /></label>
  </details>`;
}

/** The author's profile (issue 16), with the marker of moderators' notes about them. */
function renderProfileLink(card: QueueCard): SafeHtml {
  const key =
    card.reader !== null ? `reader:${card.reader.id}` : card.email !== '' ? `guest:${card.email.toLowerCase()}` : '';
  if (key === '') return html``;
  const href = `/admin/profile?${new URLSearchParams({ site: card.siteId, author: key }).toString()}`;
  return html` <a class="rd-profile-link" href="${href}">profile</a>${
    card.notes > 0
      ? html` <a class="rd-badge rd-note-marker" href="${href}" title="Moderators' notes about this author"
          >${String(card.notes)} note${card.notes === 1 ? '' : 's'}</a
        >`
      : ''
  }`;
}

/** One comment card: the text (sanitised HTML, inert), where it was posted, who wrote it, and why it waits. */
export function renderCard(
  card: QueueCard,
  tab: QueueTab,
  csrfToken: string,
  settings: (Pick<SiteSettings, 'holdLinks'> & Partial<Pick<SiteSettings, 'decisionReasons'>>) | null = null,
): SafeHtml {
  const h = card.history;
  // A title nobody confirmed is the first submitter's suggestion: the card shows the page's key and
  // the suggestion, marked, with a form to confirm or correct it (sql/0016).
  const pageLabel = card.page.title || card.page.identifier;
  const suggested = card.page.title === null && card.page.suggestedTitle ? card.page.suggestedTitle : null;
  return html`<article class="rd-card" id="card-${card.id}" data-id="${card.id}" data-site="${card.siteId}" data-email="${card.email}" data-author="${authorKey(card)}" tabindex="-1" aria-label="Comment by ${card.author || 'Anonymous'}">
    <header class="rd-card-head">
      <label class="rd-select"
        ><input type="checkbox" name="ids" value="${card.id}" form="rd-bulk" aria-label="Select"
      /></label>
      <span class="rd-author"
        ><b>${card.author || 'Anonymous'}</b> ${renderIdentity(card)}${card.trusted ? html` <span class="rd-badge">trusted</span>` : ''}${renderProfileLink(card)}</span
      >
      <span class="rd-meta"
        >${card.email || 'no email'} ·
        ${card.ip ?? 'no IP'}${card.website ? html` · <a href="${card.website}" rel="nofollow ugc noopener noreferrer" target="_blank">${card.website}</a>` : ''}</span
      >
      <span
        class="rd-history"
        title="${card.reader !== null ? "This reader's comments on this site" : "This guest email's guest comments on this site"}"
        >${h.approved} approved · ${h.pending} pending · ${h.rejected} rejected · ${h.spam} spam</span
      >
    </header>
    <p class="rd-where">
      on <b>${card.siteId}</b> /
      ${card.page.url ? html`<a href="${card.page.url}" target="_blank" rel="noopener noreferrer">${pageLabel}</a>` : pageLabel}${suggested !== null ? html` <span class="rd-suggested-title">(suggested title: “${suggested}”)</span>` : ''}
      ${card.page.closed ? html`<b class="rd-closed">(closed)</b>` : ''}
      <a
        class="rd-page-menu"
        href="/admin/pages?${new URLSearchParams({ site: card.siteId, view: 'all', q: card.page.identifier }).toString()}"
        >page</a
      >
      <a
        class="rd-page-settings-link"
        href="/admin/pages/settings?${new URLSearchParams({ site: card.siteId, page: card.page.identifier }).toString()}"
        >page settings</a
      >
      ·
      <time datetime="${card.receivedAt.toISOString()}"
        >${card.receivedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</time
      >${card.editedAt ? html` · <span class="rd-edited">edited</span>` : ''}${card.featuredAt ? html` · <span class="rd-badge rd-featured">Editors’ pick</span>` : ''}
    </p>
    ${
      card.parent
        ? html`<blockquote class="rd-parent">
            <small>in reply to <b>${card.parent.author || 'Anonymous'}</b></small
            >${markup(card.parent.html)}
          </blockquote>`
        : ''
    }
    <div class="rd-body">${markup(card.html)}</div>
    ${renderEarlierVersions(card)}
    ${renderDecided(card, tab)} ${renderReasons(card, settings)}
    ${card.flags.length ? html`<p class="rd-flags">Flagged: ${card.flags.map((f) => html`<span>${f.reason} ×${f.count}</span> `)}</p>` : ''}
    <form class="rd-actions" method="post" action="/admin/comments/${card.id}/status">
      <input type="hidden" name="_csrf" value="${csrfToken}" />
      ${tabActions[tab].map((a) => html`<button type="submit" name="action" value="${a.action}" data-key="${a.key}" class="rd-act-${a.action}">${a.label} <kbd>${a.key}</kbd></button> `)}
      <button type="submit" name="action" value="delete" class="rd-act-delete">Delete</button>
      ${renderDecisionReason(settings?.decisionReasons ?? defaultDecisionReasons)}
    </form>
    ${renderFeature(card, csrfToken)} ${renderReply(card, csrfToken)}
    <details class="rd-more">
      <summary>More</summary>
      <form method="post" action="/admin/comments/${card.id}/edit" class="rd-edit">
        <input type="hidden" name="_csrf" value="${csrfToken}" />
        <label>Text<textarea name="body" rows="5" maxlength="65525">${card.body}</textarea></label>
        <button type="submit">Save edit</button>
      </form>
      ${card.reader !== null ? renderReaderRules(card, card.reader, csrfToken) : ''}
      <form method="post" action="/admin/bans" class="rd-inline">
        <input type="hidden" name="_csrf" value="${csrfToken}" /><input
          type="hidden"
          name="site"
          value="${card.siteId}"
        />
        <select name="kind" aria-label="Ban what">
          ${card.email ? html`<option value="email" data-value="${card.email}">email ${card.email}</option>` : ''}${card.ip ? html`<option value="ip">IP ${card.ip}</option>` : ''}${card.email ? html`<option value="domain">domain ${card.email.split('@')[1] ?? ''}</option>` : ''}
        </select>
        <input type="hidden" name="email" value="${card.email}" /><input
          type="hidden"
          name="ip"
          value="${card.ip ?? ''}"
        />
        <label><input type="checkbox" name="rejectPending" value="1" checked /> reject their pending comments</label>
        <button type="submit">Ban</button>
      </form>
      ${
        card.reader !== null
          ? ''
          : card.email && !card.trusted
            ? html`<form method="post" action="/admin/trusted" class="rd-inline">
              <input type="hidden" name="_csrf" value="${csrfToken}" /><input
                type="hidden"
                name="site"
                value="${card.siteId}"
              /><input type="hidden" name="email" value="${card.email}" />
              <button type="submit">Trust ${card.author || card.email}</button>
            </form>`
            : card.email
              ? html`<form method="post" action="/admin/trusted/delete" class="rd-inline">
                <input type="hidden" name="_csrf" value="${csrfToken}" /><input
                  type="hidden"
                  name="site"
                  value="${card.siteId}"
                /><input type="hidden" name="email" value="${card.email}" />
                <button type="submit">Untrust ${card.author || card.email}</button>
              </form>`
              : ''
      }
      <form method="post" action="/admin/pages/${card.page.closed ? 'open' : 'close'}" class="rd-inline rd-page-close">
        <input type="hidden" name="_csrf" value="${csrfToken}" /><input
          type="hidden"
          name="site"
          value="${card.siteId}"
        /><input type="hidden" name="page" value="${card.page.identifier}" />
        <button type="submit">${card.page.closed ? 'Reopen this page’s thread' : 'Close this page’s thread'}</button>
      </form>
      <form method="post" action="/admin/pages/title" class="rd-inline rd-page-title">
        <input type="hidden" name="_csrf" value="${csrfToken}" /><input
          type="hidden"
          name="site"
          value="${card.siteId}"
        /><input type="hidden" name="page" value="${card.page.identifier}" />
        <label
          >Page title <input name="title" value="${card.page.title ?? card.page.suggestedTitle ?? ''}" maxlength="500"
        /></label>
        <button type="submit">${card.page.title === null ? 'Confirm title' : 'Save title'}</button>
      </form>
      <p class="rd-ua">${card.userAgent}</p>
    </details>
  </article>`;
}

export interface QueuePageInput {
  ctx: AdminPageContext;
  filter: QueueFilter;
  counts: Record<QueueTab, number>;
  /** Comments in the filtered view (the tab's count unless a page, reason or search narrows it). */
  viewCount: number;
  cards: QueueCard[];
  nextCursor: string | null;
  sites: Site[];
  notice: string | null;
  /** Sites of this moderator in surge mode now (src/flood/surge-state.ts). */
  surges?: SurgeState[];
  /** Pages of this moderator's sites under a brigade now (src/flood/page-surge-tracker.ts). */
  pageSurges?: PageSurgeBanner[];
  /** Open appeals on the moderator's sites (issue 16): the Appeals tab's count. */
  appeals?: number;
  /** The held backlog's expected wait at the last hour's pace (issue 16); left out, not shown. */
  wait?: ExpectedWait;
}

/** A page under a brigade, as its banner names it. */
export interface PageSurgeBanner {
  siteId: string;
  pageId: number;
  identifier: string;
  name: string;
  since: Date;
  endsBy: Date;
}

/** "Expected wait": what a comment held now waits at the desk's pace of the last hour. */
function renderExpectedWait(w: ExpectedWait): SafeHtml {
  const pace = `${w.perMinute < 10 ? w.perMinute.toFixed(1) : Math.round(w.perMinute)} decisions a minute over the last hour`;
  return html`<p class="rd-expected-wait" data-minutes="${w.minutes === null ? '' : String(w.minutes)}">
    Expected wait:
    <b
      >${w.minutes === null ? 'unknown' : formatWait(w.minutes)}</b
    >
    <span class="rd-wait-detail"
      >(${formatCount(w.backlog)} held ÷ ${w.minutes === null ? 'no decisions in the last hour' : pace})</span
    >
  </p>`;
}

/** The queue: tabs with counts, filters, the bulk bar, and one page of cards. */
export function renderQueuePage(input: QueuePageInput): string {
  const {
    ctx,
    filter,
    counts,
    viewCount,
    cards,
    nextCursor,
    sites,
    notice,
    surges = [],
    pageSurges = [],
    appeals = 0,
    wait,
  } = input;
  const f = filter;
  return renderAdminPage(
    `${tabLabels[f.tab]} (${formatCount(counts[f.tab])})`,
    ctx,
    html`<nav class="rd-tabs" aria-label="Queues">
        ${queueTabs.map(
          (t) =>
            html`<a href="/admin${filterQuery(f, { tab: t })}" ${t === f.tab ? html` aria-current="page"` : ''}
              >${tabLabels[t]} <span class="rd-count" data-tab="${t}">${formatCount(counts[t])}</span></a
            >`,
        )}
        <a href="/admin/appeals">Appeals <span class="rd-count" data-tab="appeals">${formatCount(appeals)}</span></a>
      </nav>
      ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
      ${wait !== undefined && f.tab === 'pending' ? renderExpectedWait(wait) : ''}
      ${surges.map(
        (sg) =>
          html`<p class="rd-notice rd-notice-error rd-surge" role="alert" data-site="${sg.siteId}">
            <b>Surge mode on ${sites.find((x) => x.id === sg.siteId)?.name ?? sg.siteId}</b> since
            ${sg.since.toISOString().slice(11, 16)} UTC: comments are arriving far faster than usual, so every new one
            is held (reason “Surge mode”). It switches itself off once the rate falls, by
            ${sg.endsBy.toISOString().slice(11, 16)} UTC at the earliest.
          </p>`,
      )}
      ${pageSurges.map(
        (ps) =>
          html`<p class="rd-notice rd-notice-error rd-page-surge" role="alert" data-site="${ps.siteId}" data-page="${ps.identifier}">
            <b>Brigade on “${ps.name}”</b> (${sites.find((x) => x.id === ps.siteId)?.name ?? ps.siteId}) since
            ${ps.since.toISOString().slice(11, 16)} UTC: a burst of comments unlike this story’s usual ones, so every
            new comment on this page is held (reason “Brigade on this story”); the rest of the site stays open. It
            ends by itself once the burst dies down, by ${ps.endsBy.toISOString().slice(11, 16)} UTC at the earliest.
            <a href="/admin${filterQuery(f, { tab: 'pending', site: ps.siteId, page: ps.identifier })}">Its held comments</a>
          </p>`,
      )}
      <form class="rd-filters" method="get" action="/admin" role="search">
        <input type="hidden" name="tab" value="${f.tab}" />
        <label
          >Site
          <select name="site">
            <option value="">All sites</option>
            ${sites.map((s) => html`<option value="${s.id}" ${f.site === s.id ? markup(' selected') : ''}>${s.name}</option>`)}
          </select></label
        >
        <label>Page <input name="page" value="${f.page ?? ''}" placeholder="identifier" /></label>
        <label
          >Reason
          <select name="reason">
            <option value="">Any</option>
            ${Object.entries(reasonLabels).map(([code, label]) => html`<option value="${code}" ${f.reason === code ? markup(' selected') : ''}>${label}</option>`)}
          </select></label
        >
        <label
          >Search
          <input id="rd-search" name="q" type="search" value="${f.q ?? ''}" placeholder="name, email, IP or text"
        /></label>
        <label
          >Order
          <select name="order">
            <option value="oldest" ${f.order === 'oldest' ? markup(' selected') : ''}>Oldest first</option>
            <option value="newest" ${f.order === 'newest' ? markup(' selected') : ''}>Newest first</option>
          </select></label
        >
        <button type="submit">Filter</button>
      </form>
      <form id="rd-bulk" class="rd-bulk" method="post" action="/admin/bulk">
        <input type="hidden" name="_csrf" value="${ctx.csrfToken}" />
        ${(['tab', 'site', 'page', 'reason', 'q'] as const).map((k) => html`<input type="hidden" name="filter_${k}" value="${f[k] ?? ''}" />`)}
        <label
          >Bulk
          <select name="action" aria-label="Bulk action">
            ${tabActions[f.tab].map((a) => html`<option value="${a.action}">${a.label}</option>`)}
            <option value="delete">Delete</option>
          </select></label
        >
        ${renderDecisionReason(
          sharedDecisionReasons(
            sites.filter((s) => f.site === null || s.id === f.site).map((s) => s.settings.decisionReasons),
          ),
          'Reason for the commenters',
        )}
        <button type="submit" name="scope" value="selection">Apply to selected</button>
        <button type="submit" name="scope" value="filter" class="rd-bulk-all">
          Apply to all
          <span class="rd-view-count" ${viewCount <= COUNT_CAP ? html` data-count="${String(viewCount)}"` : ''}
            >${formatCount(viewCount)}</span
          >
          in this view
        </button>
        <span class="rd-help-hint">Press <kbd>?</kbd> for keys</span>
      </form>
      <section id="rd-cards" class="rd-cards" aria-label="Comments" data-tab="${f.tab}">
        ${cards.length === 0 ? html`<p class="rd-empty">Nothing here: this queue is clear.</p>` : cards.map((c) => asRoleAllows(ctx.moderator, c.siteId, renderCard(c, f.tab, ctx.csrfToken, sites.find((x) => x.id === c.siteId)?.settings ?? null)))}
      </section>
      ${nextCursor ? html`<p class="rd-next"><a href="/admin${filterQuery(f, { cursor: nextCursor })}" rel="next">Next page →</a></p>` : ''}
      <div id="rd-keys" class="rd-keys" hidden role="dialog" aria-label="Keyboard shortcuts">
        <h2>Keys</h2>
        <dl>
          <dt><kbd>j</kbd> / <kbd>k</kbd></dt>
          <dd>next / previous comment</dd>
          <dt><kbd>a</kbd></dt>
          <dd>approve (keep, not spam)</dd>
          <dt><kbd>r</kbd></dt>
          <dd>reject</dd>
          <dt><kbd>s</kbd></dt>
          <dd>spam</dd>
          <dt><kbd>f</kbd></dt>
          <dd>feature as an editors’ pick, or take it out (published comments)</dd>
          <dt><kbd>x</kbd></dt>
          <dd>select for bulk</dd>
          <dt><kbd>u</kbd></dt>
          <dd>undo your last action</dd>
          <dt><kbd>/</kbd></dt>
          <dd>search</dd>
          <dt><kbd>?</kbd></dt>
          <dd>this list</dd>
        </dl>
        <button type="button" class="rd-keys-close">Close <kbd>Esc</kbd></button>
      </div>`,
  );
}
