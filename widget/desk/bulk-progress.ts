import type { BulkProgressAnswer, BulkStartAnswer } from '../../src/http-contract/desk-contract.js';
import type { DeskPage } from './desk-page';
import type { Selection } from './selection';
import { errorMessageOf, formBody, send } from './server';
import { messageOf, type Say } from './status-line';

/** How often the job's progress is asked for while it runs. */
const POLL_MS = 500;

/**
 * The bulk form, posted for JSON: a progress bar beside it while the job runs, polled from
 * GET /admin/bulk/:jobId, then the job's result page (what changed, and the bulk undo). Without the
 * script the form posts and the progress page refreshes itself to the same result.
 */
export function wireBulkProgress(deps: { page: DeskPage; selection: Selection; say: Say }): void {
  const { page, selection, say } = deps;
  const bulk = page.bulk;
  if (!bulk) return;

  async function follow(jobId: string, progress: HTMLProgressElement): Promise<void> {
    const url = `/admin/bulk/${encodeURIComponent(jobId)}`;
    for (;;) {
      const res = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      const state = (await res.json().catch(() => null)) as BulkProgressAnswer | null;
      if (!res.ok || !state)
        throw new Error(errorMessageOf(state) ?? 'Lost track of the bulk action; reload to see where it stands.');
      progress.max = Math.max(1, state.total);
      progress.value = Math.min(state.done, state.total);
      if (state.state !== 'queued' && state.state !== 'running') return;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async function run(form: HTMLFormElement, button: HTMLElement | null): Promise<void> {
    const progress = document.createElement('progress');
    progress.className = 'rd-bulk-inline';
    progress.max = 1;
    progress.value = 0;
    progress.setAttribute('aria-label', 'Bulk progress');
    form.append(progress);
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const job = await send<BulkStartAnswer>(page.csrf, form.getAttribute('action') ?? '', formBody(form, button));
      say(`Working on ${job.total.toLocaleString('en')} comments…`);
      await follow(job.jobId, progress);
      // The result page says what changed and carries the bulk undo.
      location.assign(`/admin/bulk/${encodeURIComponent(job.jobId)}`);
    } catch (err) {
      progress.remove();
      for (const b of form.querySelectorAll('button')) b.disabled = false;
      say(messageOf(err), 'error');
    }
  }

  bulk.addEventListener('submit', (e) => {
    e.preventDefault();
    const button = e.submitter;
    if (button instanceof HTMLButtonElement && button.value === 'selection' && selection.count() === 0) {
      return say('Select comments first (x, or the boxes).', 'error');
    }
    void run(bulk, button);
  });
}
