import { renderAdminPage, type AdminPageContext } from '../admin-layout.js';
import { html } from '../../../html/html.js';

/** One failed submission job as the page shows it; every field is reader input or worker text, escaped. */
export interface FailedJobView {
  id: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: Date | null;
  /** Parsed from the payload when it has the field; a poison payload may have none. */
  site: string | null;
  page: string | null;
  author: string | null;
  email: string | null;
  /** The first 200 characters of the comment, or of the raw payload when it is not a submission. */
  excerpt: string;
}

const notices: Record<string, string> = {
  retried: 'The job is back in the queue; a worker will take it at once.',
  discarded: 'The job was discarded; its comment will not be stored.',
};

/**
 * Admins' dead-letter view: submission jobs that failed for good (bad payload, a site that no longer
 * exists, or retries exhausted). Retry puts one back with fresh attempts; Discard deletes it.
 */
export function renderFailedJobsPage(
  ctx: AdminPageContext,
  jobs: FailedJobView[],
  total: number,
  notice: string | undefined,
): string {
  const message = notice !== undefined ? notices[notice] : undefined;
  const rows = jobs.map(
    (j) => html`<tr id="job-${j.id}">
<td><code>${j.id}</code></td>
<td>${j.site ?? '—'}<br><small>${j.page ?? ''}</small></td>
<td>${j.author ?? '—'}<br><small>${j.email ?? ''}</small></td>
<td class="rd-excerpt">${j.excerpt}</td>
<td>${j.failedReason}</td>
<td>${j.attemptsMade}</td>
<td>${j.failedAt ? j.failedAt.toISOString().replace('T', ' ').slice(0, 19) : ''}</td>
<td><form method="post" action="/admin/failed/${encodeURIComponent(j.id)}/retry"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button type="submit">Retry</button></form>
<form method="post" action="/admin/failed/${encodeURIComponent(j.id)}/discard"><input type="hidden" name="_csrf" value="${ctx.csrfToken}"><button type="submit">Discard</button></form></td>
</tr>`,
  );
  return renderAdminPage(
    'Failed jobs',
    ctx,
    html`<h1>Failed submissions</h1>
<p>Comments whose processing failed for good: they are not stored and readers see them as queued. Fix the cause (a missing site, a bug), then retry; discard what can never succeed.</p>
${message ? html`<p class="rd-notice" role="status">${message}</p>` : ''}
<p>${total === 0 ? 'No failed jobs.' : `${total} failed job${total === 1 ? '' : 's'}${total > jobs.length ? `, the ${jobs.length} most recent shown` : ''}.`}</p>
${
  jobs.length > 0
    ? html`<table class="rd-table"><thead><tr><th>Job</th><th>Site / page</th><th>Author</th><th>Comment</th><th>Reason</th><th>Attempts</th><th>Failed at</th><th></th></tr></thead>
<tbody>${rows}</tbody></table>`
    : ''
}`,
  );
}
