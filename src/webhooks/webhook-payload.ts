import type { WebhookComment } from '../store/webhooks.js';
import type { CommentEvent } from './comment-events.js';

/**
 * The JSON body of a delivery (README "Webhooks and email" documents it). Only what the comment shows
 * publicly, plus its status: never the commenter's email, IP address, user agent or referrer — a
 * webhook receiver is a third party, and nothing configures these in.
 */
export interface WebhookPayload {
  id: string;
  type: CommentEvent['type'];
  createdAt: string;
  site: string;
  data: {
    comment: {
      id: string;
      page: { identifier: string; url: string | null; title: string | null };
      parentId: string | null;
      author: { name: string; website: string | null };
      text: string;
      html: string;
      status: CommentEvent['status'];
      previousStatus: CommentEvent['previousStatus'];
      receivedAt: string;
      editedAt: string | null;
      permalink: string | null;
    };
    source: CommentEvent['source'];
  };
}

export function toWebhookPayload(event: CommentEvent, c: WebhookComment): WebhookPayload {
  return {
    id: event.id,
    type: event.type,
    createdAt: event.occurredAt,
    site: event.siteId,
    data: {
      comment: {
        id: c.id,
        page: c.page,
        parentId: c.parentId,
        author: c.author,
        text: c.text,
        html: c.html,
        status: event.status,
        previousStatus: event.previousStatus,
        receivedAt: c.receivedAt.toISOString(),
        editedAt: c.editedAt?.toISOString() ?? null,
        permalink: c.page.url === null ? null : `${c.page.url.split('#')[0]}#comment-${c.id}`,
      },
      source: event.source,
    },
  };
}
