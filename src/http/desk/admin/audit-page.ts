import { auditActions, type AuditEvent } from '../../../store/audit-log.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, type SafeHtml } from '../../../html/html.js';
import { formatInZone, formatUtc } from '../desk-time-zone.js';

/** The audit log's filter as the form and the links carry it (dates as YYYY-MM-DD, as typed). */
export interface AuditQuery {
  actor: string;
  action: string;
  site: string;
  comment: string;
  batch: string;
  from: string;
  to: string;
}

const actionLabels: Record<string, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  spam: 'Marked spam',
  not_spam: 'Marked not spam',
  delete: 'Deleted',
  edit: 'Edited',
  report: 'Reported by readers',
  ban: 'Banned',
  unban: 'Lifted a ban',
  trust: 'Trusted',
  untrust: 'Stopped trusting',
  reader_trust: 'Trusted a reader',
  reader_untrust: 'Stopped trusting a reader',
  feature: 'Made an editors’ pick',
  unfeature: 'Took out of the editors’ picks',
  note_add: 'Added a note about an author',
  note_remove: 'Removed a note about an author',
  warn: 'Warned an author',
  suspend: 'Suspended an author',
  unsuspend: 'Lifted a suspension',
  appeal_open: 'Appeal opened by the commenter',
  appeal_reinstate: 'Granted an appeal (reinstated)',
  appeal_uphold: 'Upheld a decision on appeal',
  site_update: 'Changed site',
  bulk: 'Bulk action',
  undo: 'Undid',
  import: 'Imported',
  export: 'Exported',
  privacy_export: 'Exported a commenter’s data',
  privacy_erase: 'Erased a commenter’s data',
  anonymise_ips: 'Anonymised old IPs',
  recheck: 'Rechecked with Akismet',
  webhook: 'Changed a webhook',
  page_title: 'Set a page title',
  two_factor_enable: 'Turned on two-factor sign-in',
  two_factor_disable: 'Turned off two-factor sign-in',
  recovery_codes_new: 'Made new recovery codes',
  recovery_code_use: 'Signed in with a recovery code',
  sessions_end: 'Signed out everywhere else',
  session_end: 'Ended one of their sessions',
  account_invite: 'Invited someone',
  invite_accept: 'Joined by invite',
  invite_revoke: 'Took back an invite',
  chat_target: 'Changed a chat notification target',
  page_surge: 'Brigade detected on a page (pre-moderated)',
  page_settings: 'Changed a page’s settings',
  check_hook: 'Changed the external check hook',
};

/** The audit page's URL for a query (empty fields left out), optionally with a cursor. */
export function auditHref(q: Partial<AuditQuery>, cursor?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (typeof v === 'string' && v !== '') params.set(k, v);
  if (cursor) params.set('cursor', cursor);
  const s = params.toString();
  return `/admin/audit${s ? `?${s}` : ''}`;
}

/** A setting's value in words: lists one per line, booleans as yes/no. */
function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v;
  if (Array.isArray(v))
    return v.length === 0 ? '(none)' : v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n');
  return JSON.stringify(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Each key with its before and after value. */
function renderChanges(before: Record<string, unknown>, after: Record<string, unknown>): SafeHtml {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return html`<table class="rd-changes"><thead><tr><th>Setting</th><th>Before</th><th>After</th></tr></thead><tbody>${keys.map(
    (k) =>
      html`<tr><th scope="row">${k}</th><td><pre>${k in before ? formatValue(before[k]) : '—'}</pre></td><td><pre>${formatValue(after[k])}</pre></td></tr>`,
  )}</tbody></table>`;
}

/** Any other detail, key by key. */
function renderPairs(detail: Record<string, unknown>, skip: string[] = []): SafeHtml {
  const entries = Object.entries(detail).filter(([k]) => !skip.includes(k));
  if (entries.length === 0) return html``;
  return html`<dl class="rd-detail">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${formatValue(v)}</dd>`)}</dl>`;
}

function renderDetail(e: AuditEvent): SafeHtml {
  const d = e.detail;
  switch (e.action) {
    case 'edit':
      return html`<div class="rd-edit-diff"><p><small>Before</small></p><pre class="rd-before">${formatValue(d.before)}</pre>
<p><small>After</small></p><pre class="rd-after">${formatValue(d.after)}</pre></div>`;
    case 'site_update':
      return html`${d.created === true ? html`<p>Created the site.</p>` : ''}${
        isRecord(d.before) && isRecord(d.after) ? renderChanges(d.before, d.after) : renderPairs(d)
      }`;
    case 'reader_trust':
    case 'reader_untrust':
      return html`<p><b>reader</b> ${formatValue(d.name)} (${formatValue(d.reader)})</p>`;
    case 'ban':
    case 'unban':
      return html`<p><b>${formatValue(d.kind)}</b> ${typeof d.name === 'string' ? `${d.name} (${formatValue(d.value)})` : formatValue(d.value)}${typeof d.reason === 'string' && d.reason !== '' ? html` — ${d.reason}` : ''}</p>${
        e.batchChanges ? html`<p>${e.batchChanges} pending comment${e.batchChanges === 1 ? '' : 's'} rejected.</p>` : ''
      }`;
    case 'undo':
      return html`${typeof d.undoes === 'string' ? html`<p>Undoes <a href="${auditHref({ batch: d.undoes })}">batch ${d.undoes.slice(0, 8)}</a></p>` : ''}${renderPairs(d, ['undoes'])}`;
    case 'bulk':
      return html`${e.batchChanges !== null ? html`<p>${e.batchChanges} comment${e.batchChanges === 1 ? '' : 's'} changed.</p>` : ''}${renderPairs(d)}`;
    default:
      return renderPairs(d);
  }
}

/** Where the comment is in the queue now: its tab, found by its id. */
function commentCell(e: AuditEvent): SafeHtml {
  if (e.commentId === null) return html``;
  const now = e.commentNow;
  const tab =
    now === null || now.status === 'deleted'
      ? null
      : now.status === 'pending' && now.reported
        ? 'reported'
        : now.status;
  // Who wrote it and how it begins; the id stays on hover. An erased or purged comment has only its id.
  const about = e.commentAbout;
  const label =
    about !== null
      ? html`<b class="rd-audit-author">${about.author || 'Anonymous'}</b>
          <span class="rd-audit-excerpt">“${about.excerpt}”</span>`
      : html`<code>${e.commentId.slice(0, 8)}</code>`;
  return html`${
    tab !== null
      ? html`<a href="/admin?${new URLSearchParams({ tab, q: e.commentId }).toString()}" title="${e.commentId}"
            >${label}</a
          >`
      : html`<span title="${e.commentId}">${label}</span>`
  } <br /><small
      >now ${now === null ? 'gone' : (tab ?? now.status)} ·
      <a href="${auditHref({ comment: e.commentId })}">history</a></small
    >`;
}

/** The instant in the moderator's zone (UTC without one), with the UTC instant on hover. */
function whenCell(at: Date, zone: string | null): SafeHtml {
  return html`<time datetime="${at.toISOString()}" title="${formatUtc(at)}"
    >${zone === null ? formatUtc(at).slice(0, 19) : formatInZone(at, zone)}</time
  >`;
}

/**
 * One cell. data-label is the column's name, shown beside the value when a phone lays each row out
 * as a card; a blank cell (no site, no comment, no status change) is left out of that card.
 */
function cell(label: string, body: SafeHtml | string, blank = false): SafeHtml {
  // One wrapper, so the phone's two-column grid (label, value) sees one value however many nodes it has.
  return html`<td data-label="${label}" ${blank ? html` class="rd-blank"` : ''}><div>${body}</div></td>`;
}

function renderRow(e: AuditEvent, zone: string | null): SafeHtml {
  const moved = e.fromStatus !== null || e.toStatus !== null;
  const detail = renderDetail(e);
  return html`<tr id="event-${e.id}" data-action="${e.action}">
    ${cell('When', whenCell(e.createdAt, zone))} ${cell('Who', e.actor)}
    ${cell(
      'What',
      html`${actionLabels[e.action] ?? e.action}${e.batchId !== null ? html`<br /><small><a href="${auditHref({ batch: e.batchId })}">batch ${e.batchId.slice(0, 8)}</a></small>` : ''}`,
    )}
    ${cell('Site', e.siteId ?? '', e.siteId === null)} ${cell('Comment', commentCell(e), e.commentId === null)}
    ${cell('Status', moved ? `${e.fromStatus ?? '—'} → ${e.toStatus ?? '—'}` : '', !moved)}
    ${cell('Detail', detail, detail.value.trim() === '')}
  </tr>`;
}

/** The audit log: the filter form, one page of events newest first, and a link to the next page. */
export function renderAuditPage(input: {
  ctx: AdminPageContext;
  query: AuditQuery;
  events: AuditEvent[];
  nextCursor: string | null;
  sites: string[];
  actors: string[];
  /** The moderator's time zone (desk-time-zone.ts); null: UTC, and the page says why. */
  zone: string | null;
}): string {
  const { ctx, query: q, events, nextCursor, sites, actors, zone } = input;
  const filtered = Object.values(q).some((v) => v !== '');
  return renderAdminPage(
    'Audit log',
    ctx,
    html`<h1>Audit log</h1>
      <form class="rd-filters" method="get" action="/admin/audit" role="search">
        <label
          >Who
          <input
            name="actor"
            value="${q.actor}"
            list="rd-actors"
            placeholder="moderator email, readers, cli"
            autocomplete="off"
        /></label>
        <datalist id="rd-actors">${actors.map((a) => html`<option value="${a}"></option>`)}</datalist>
        <label
          >Action
          <select name="action">
            <option value="">any</option>
            ${auditActions.map(
              (a) =>
                html`<option value="${a}" ${q.action === a ? html` selected` : ''}>${actionLabels[a] ?? a}</option>`,
            )}
          </select></label
        >
        <label
          >Site
          <select name="site">
            <option value="">any</option>
            ${sites.map((s) => html`<option value="${s}" ${q.site === s ? html` selected` : ''}>${s}</option>`)}
          </select></label
        >
        <label>Comment id <input name="comment" value="${q.comment}" size="12" autocomplete="off" /></label>
        <label>Batch id <input name="batch" value="${q.batch}" size="12" autocomplete="off" /></label>
        <label>From <input type="date" name="from" value="${q.from}" /></label>
        <label>To <input type="date" name="to" value="${q.to}" /></label>
        <button type="submit">Filter</button>${filtered ? html` <a href="/admin/audit">Clear</a>` : ''}
      </form>
      ${q.batch !== '' ? html`<p class="rd-notice" role="status">Every change in batch <code>${q.batch}</code>.</p>` : ''}
      <p class="rd-zone-note" data-zone="${zone ?? 'UTC'}">
        ${
          zone === null
            ? html`Times are in UTC: the dashboard learns your time zone from your browser once its script has run.`
            : html`Times are in your browser’s time zone, ${zone}; hold the pointer on a time to see it in UTC.`
        }
      </p>
      <div class="rd-audit-scroll">
        <table class="rd-table rd-audit">
          <thead>
            <tr>
              <th>When (${zone ?? 'UTC'})</th>
              <th>Who</th>
              <th>What</th>
              <th>Site</th>
              <th>Comment</th>
              <th>Status</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            ${
              events.length === 0
                ? html`<tr>
                    <td colspan="7">Nothing recorded${filtered ? ' for this filter' : ' yet'}.</td>
                  </tr>`
                : events.map((e) => renderRow(e, zone))
            }
          </tbody>
        </table>
      </div>
      <nav class="rd-pager" aria-label="Pages">
        ${nextCursor !== null ? html`<a href="${auditHref(q, nextCursor)}" rel="next">Older →</a>` : ''}
      </nav>`,
  );
}
