import type { PageSurgeSignal } from '../flood/page-surge-score.js';
import type { PageSurgeNotice } from '../queue/desk-notices-queue.js';
import type { NoticePage } from '../store/notify/desk-notice-facts.js';

/**
 * The JSON body of a `page.surge` delivery (README "Brigades on one story"): signed and retried like
 * every webhook. It names the page (a confirmed title only) and what scored; no comment, no author.
 */
export interface PageSurgeWebhookPayload {
  id: string;
  type: 'page.surge';
  createdAt: string;
  site: string;
  data: {
    page: { id: number; identifier: string; url: string | null; title: string | null };
    since: string;
    score: number;
    signals: PageSurgeSignal[];
    /** Comments held on the page when the notice went out. */
    pending: number;
  };
}

export function toPageSurgeWebhookPayload(n: PageSurgeNotice, page: NoticePage): PageSurgeWebhookPayload {
  return {
    id: n.id,
    type: 'page.surge',
    createdAt: n.since,
    site: n.siteId,
    data: {
      page: { id: page.id, identifier: page.identifier, url: page.url, title: page.title },
      since: n.since,
      score: n.score,
      signals: n.signals,
      pending: page.pending,
    },
  };
}
