import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import type { CommentStatus } from '../moderation/verdict.js';
import type { StatusChange } from '../store/moderation-actions.js';

/**
 * What happened to a comment, as webhooks (and reply mails) see it. `comment.held` is not one of the
 * four the issue names: it is sent when a published comment goes back to the queue (readers' flags
 * reached the threshold, or an undo returned it to pending), so a receiver mirroring published
 * comments learns to take it down. Deleting sends nothing (yet).
 */
export const webhookEventTypes = [
  'comment.created',
  'comment.approved',
  'comment.rejected',
  'comment.spam',
  'comment.held',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * What a subscription may ask for: the comment events, and `page.surge` (issue 16: a brigade began on
 * one page, src/webhooks/page-surge-payload.ts), which is about a page, not a comment, and comes from
 * the desk-notices queue.
 */
export const subscribableEventTypes = [...webhookEventTypes, 'page.surge'] as const;
export type SubscribableEventType = (typeof subscribableEventTypes)[number];

/** One event, as queued. The payload is built from the comment's row when the event is fanned out. */
export interface CommentEvent {
  /** Unique per event; receivers dedupe on it (retries of one delivery carry the same id). */
  id: string;
  type: WebhookEventType;
  commentId: string;
  siteId: string;
  /** The comment's status the event announces (the row may have moved on by delivery time). */
  status: CommentStatus;
  /** Its status before; null for a newly stored comment. */
  previousStatus: CommentStatus | null;
  /** Who caused it. */
  source: 'pipeline' | 'moderator' | 'readers';
  occurredAt: string;
}

/** The event a status change announces; pending and deleted announce nothing except as noted above. */
const statusEventType: Partial<Record<CommentStatus, WebhookEventType>> = {
  approved: 'comment.approved',
  rejected: 'comment.rejected',
  spam: 'comment.spam',
  pending: 'comment.held',
};

// Fixed namespace for the pipeline's event ids; see toStoredEvents.
const EVENT_NAMESPACE = '0b8f3c52-1f5d-4b8e-a7a2-5d9c4e6f7a13';

/**
 * Who could hear of a newly stored comment's events, read with the comment's facts in the same
 * statement (src/store/batched/check-facts.ts), so knowing costs no query of its own.
 */
export interface StoredEventAudience {
  /** The comment event types the site's active webhook subscriptions ask for. */
  subscribed: readonly WebhookEventType[];
  /**
   * The comment replies to one whose author may be mailed about replies (a signed-in reader, or a
   * guest's reply subscription not unsubscribed); whether the mail goes is decided when it is sent.
   */
  replyMail: boolean;
}

/**
 * Whether a stored comment's event has anyone to reach (issue 18 item 6: most sites have no webhook,
 * and an event nobody reads was a BullMQ job, two per comment, for nothing). What each one feeds,
 * beyond the site's subscribers (workers/webhook-processor.ts fans it out):
 * - `comment.created` of a held comment: the moderators' held-comment mail and the chat targets'
 *   "held comments waiting" notice. Always queued: who gets those is read when they are sent.
 * - `comment.approved`: the reply mail to the parent's author (src/queue/email-queue.ts), so a reply
 *   to someone who may hear of replies.
 * - `comment.spam`, `comment.rejected`, a published `comment.created`: subscribers only (the pipeline's
 *   own verdicts owe no statement mail; a moderator's decisions go through `toChangeEvents`).
 */
export function storedEventWanted(
  type: WebhookEventType,
  status: CommentStatus,
  audience: StoredEventAudience,
): boolean {
  if (audience.subscribed.includes(type)) return true;
  if (type === 'comment.created') return status === 'pending';
  if (type === 'comment.approved') return audience.replyMail;
  return false;
}

/**
 * The events of a comment the worker stored: `comment.created` (any status), and the status event for
 * approved, spam and rejected. A held (pending) comment announces only `created`, since nothing was
 * published or taken down. With an audience, only the events someone could hear of (storedEventWanted);
 * without one (a caller that did not read it), all of them. The ids derive from the comment id, so a
 * retried job that emits them again is deduplicated by the queue (the event job's id is the event id).
 */
export function toStoredEvents(
  c: { id: string; siteId: string; status: CommentStatus },
  now: Date,
  audience?: StoredEventAudience,
): CommentEvent[] {
  const base = {
    commentId: c.id,
    siteId: c.siteId,
    status: c.status,
    previousStatus: null,
    source: 'pipeline' as const,
    occurredAt: now.toISOString(),
  };
  const events: CommentEvent[] = [
    { ...base, id: uuidv5(`${c.id}\ncreated`, EVENT_NAMESPACE), type: 'comment.created' },
  ];
  const type = c.status === 'pending' ? undefined : statusEventType[c.status];
  if (type) events.push({ ...base, id: uuidv5(`${c.id}\n${type}`, EVENT_NAMESPACE), type });
  return audience === undefined ? events : events.filter((e) => storedEventWanted(e.type, c.status, audience));
}

/** The events of status changes made by moderators (single, bulk, undo, mail links) or readers' flags. */
export function toChangeEvents(
  changes: readonly StatusChange[],
  source: CommentEvent['source'],
  now: Date,
): CommentEvent[] {
  const events: CommentEvent[] = [];
  for (const c of changes) {
    const type = statusEventType[c.toStatus];
    if (!type) continue;
    // Only a published comment going back to the queue is "held"; spam → pending (an undo) is not news.
    if (type === 'comment.held' && c.fromStatus !== 'approved') continue;
    events.push({
      id: randomUUID(),
      type,
      commentId: c.id,
      siteId: c.siteId,
      status: c.toStatus,
      previousStatus: c.fromStatus,
      source,
      occurredAt: now.toISOString(),
    });
  }
  return events;
}
