import type { StatusAction } from '../../../store/moderation-actions.js';
import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html, type SafeHtml } from '../../../html/html.js';

/** Where a bulk job stands, as the progress page and its JSON twin report it. */
export type BulkState = 'queued' | 'running' | 'completed' | 'failed';

/** One bulk action or undo, for the progress page; also the JSON admin.js polls (a stable shape). */
export interface BulkView {
  jobId: string;
  kind: 'bulk' | 'undo';
  state: BulkState;
  /** Comments looked at so far; reaches `total`. */
  done: number;
  total: number;
  /** Comments actually changed (or, for an undo, restored). */
  changed: number;
  /** The bulk action's batch id (for an undo: the batch it undoes). */
  batchId: string;
  action: StatusAction | null;
  scope: 'selection' | 'filter' | null;
  /** The bulk action has been undone. */
  undone: boolean;
  /** An undo of this bulk action is queued or running: its job id. */
  undoJobId: string | null;
  /** Why a failed job stopped (failed state only). */
  error: string | null;
}

const verbs: Record<StatusAction, { doing: string; done: string }> = {
  approve: { doing: 'Approving', done: 'Approved' },
  reject: { doing: 'Rejecting', done: 'Rejected' },
  spam: { doing: 'Marking as spam', done: 'Marked as spam' },
  not_spam: { doing: 'Marking as not spam', done: 'Marked as not spam' },
  delete: { doing: 'Deleting', done: 'Deleted' },
};

const count = (n: number): string => n.toLocaleString('en');
const comments = (n: number): string => `${count(n)} comment${n === 1 ? '' : 's'}`;

export function isRunning(v: BulkView): boolean {
  return v.state === 'queued' || v.state === 'running';
}

function progressBlock(v: BulkView): SafeHtml {
  return html`<progress max="${Math.max(v.total, 1)}" value="${Math.min(v.done, v.total)}" aria-label="Progress">${count(v.done)} of ${count(v.total)}</progress>
<p class="rd-bulk-progress" role="status"><span data-bulk="done">${count(v.done)}</span> of <span data-bulk="total">${count(v.total)}</span> done${v.state === 'queued' ? ' (waiting for a worker)' : ''}…</p>
<p class="rd-hint">This page refreshes every second until the work is done.</p>`;
}

function undoForm(v: BulkView, csrfToken: string): SafeHtml {
  if (v.undone) {
    return html`<p class="rd-notice" role="status">This bulk action has been undone.${v.undoJobId ? html` <a href="/admin/bulk/${v.undoJobId}">See the undo</a>.` : ''}</p>`;
  }
  if (v.undoJobId)
    return html`<p class="rd-notice" role="status">Undo in progress: <a href="/admin/bulk/${v.undoJobId}">follow it</a>.</p>`;
  return html`<form class="rd-bulk-undo" method="post" action="/admin/bulk/${v.batchId}/undo">
<input type="hidden" name="_csrf" value="${csrfToken}">
<button type="submit">Undo</button> <span class="rd-hint">puts every comment this changed back where it was, unless someone has changed it since</span>
</form>`;
}

function bulkBody(v: BulkView, csrfToken: string): SafeHtml {
  const verb = verbs[v.action ?? 'approve'];
  const what = v.scope === 'selection' ? 'selected' : 'in the view';
  if (isRunning(v)) return html`<h1>${verb.doing} ${comments(v.total)} ${what}</h1>${progressBlock(v)}`;
  const skipped = v.done - v.changed;
  const summary = html`<p class="rd-bulk-result" role="status">${verb.done} <b data-bulk="changed">${comments(v.changed)}</b>${
    skipped > 0 ? html`; ${count(skipped)} already had that status or had moved on and were left alone` : ''
  }.</p>`;
  if (v.state === 'failed') {
    return html`<h1>${verb.doing} stopped</h1>
<p class="rd-error" role="alert">The job stopped after ${count(v.done)} of ${count(v.total)}: ${v.error ?? 'unknown error'}.</p>
${summary}${v.changed > 0 ? undoForm(v, csrfToken) : ''}`;
  }
  return html`<h1>${verb.done} ${comments(v.changed)}</h1>${summary}${v.changed > 0 ? undoForm(v, csrfToken) : ''}`;
}

function undoBody(v: BulkView): SafeHtml {
  if (isRunning(v)) return html`<h1>Undoing a bulk action on ${comments(v.total)}</h1>${progressBlock(v)}`;
  if (v.state === 'failed')
    return html`<h1>Undo failed</h1><p class="rd-error" role="alert">${v.error ?? 'unknown error'}. Try again from the bulk action's page.</p>`;
  const left = v.total - v.changed;
  return html`<h1>Undone</h1>
<p class="rd-bulk-result" role="status">Restored <b data-bulk="changed">${comments(v.changed)}</b> to their status before the bulk action${
    left > 0 ? html`; ${count(left)} had been changed by someone since and were left as they are` : ''
  }.</p>
<p><a href="/admin/bulk/${v.batchId}">The bulk action</a></p>`;
}

/**
 * The progress page of a bulk action or its undo. It needs no script: while the job runs, a meta
 * refresh reloads it every second; then it shows the result and, for a bulk action, an Undo button.
 */
export function renderBulkPage(ctx: AdminPageContext, v: BulkView): string {
  const page = renderAdminPage(
    v.kind === 'undo' ? 'Undo bulk action' : 'Bulk action',
    ctx,
    html`<section class="rd-bulk-status" data-kind="${v.kind}" data-state="${v.state}" data-job="${v.jobId}" data-batch="${v.batchId}">
${v.kind === 'undo' ? undoBody(v) : bulkBody(v, ctx.csrfToken)}
<p><a href="/admin">Back to the queue</a></p>
</section>`,
  );
  // The shared frame has no slot for extra head elements; the refresh belongs in <head>.
  return isRunning(v) ? page.replace('</head>', '<meta http-equiv="refresh" content="1">\n</head>') : page;
}
