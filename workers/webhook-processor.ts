import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { enqueueEmailForEvent, type EmailQueue } from '../src/queue/email-queue.js';
import { enqueueDeskNotice, type DeskNoticesQueue } from '../src/queue/desk-notices-queue.js';
import {
  deliveryJobId,
  deliveryJobOptions,
  retryDelayMs,
  type WebhookDeliveryJob,
  type CommentEventsJobData,
  type CommentEventsJobName,
  type CommentEventsQueue,
} from '../src/queue/comment-events-queue.js';
import type { Queryable } from '../src/store/db.js';
import { insertDeliveryAttempt, listSubscribers, loadSubscription, loadWebhookComment } from '../src/store/webhooks.js';
import { webhookEventTypes, type CommentEvent } from '../src/webhooks/comment-events.js';
import { postWebhook } from '../src/webhooks/deliver-webhook.js';
import { toWebhookPayload } from '../src/webhooks/webhook-payload.js';
import { SIGNATURE_HEADER, signingSecrets, signWebhook } from '../src/webhooks/webhook-signature.js';

export interface WebhookProcessorDeps {
  db: Queryable;
  logger: Logger;
  /** Where `deliver` jobs go: the queue this processor serves. */
  queue: CommentEventsQueue;
  /** The mail queue; left out (SMTP off), events are not handed to mail. */
  email?: EmailQueue;
  /** Desk notices (chat targets' "held comments waiting"); left out, held comments are not told to chats. */
  notices?: DeskNoticesQueue;
  /** Deliveries to private and loopback addresses (tests, or an intranet install). @defaultValue false */
  allowPrivate?: boolean;
  /** One attempt's limit. @defaultValue 5000 */
  timeoutMs?: number;
  /** Attempts and backoff of deliveries. @defaultValue deliveryJobOptions */
  deliveryOptions?: JobsOptions;
  now?: () => Date;
}

function isCommentEvent(d: unknown): d is CommentEvent {
  const e = d as Partial<CommentEvent> | null;
  return (
    typeof e?.id === 'string' &&
    typeof e.commentId === 'string' &&
    typeof e.siteId === 'string' &&
    webhookEventTypes.includes(e.type as CommentEvent['type']) &&
    typeof e.status === 'string'
  );
}

/**
 * Fans comment events out to subscriptions and delivers them. A fan-out re-run (retry) queues nothing
 * twice: each delivery's job id is (event, subscription). A delivery attempt is logged whatever
 * happens; non-2xx answers and timeouts are rethrown so BullMQ retries with exponential backoff, while
 * a refused target (SSRF guard) fails at once.
 */
export function createWebhookProcessor(deps: WebhookProcessorDeps) {
  const { db, logger, queue } = deps;
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.timeoutMs ?? 5000;
  const deliveryOptions = { ...deliveryJobOptions, ...deps.deliveryOptions };

  async function fanOut(event: CommentEvent): Promise<{ deliveries: number }> {
    // Mail first: it is the cheaper of the two to redo, and both are idempotent on a retry.
    if (deps.email) await enqueueEmailForEvent(deps.email, event);
    if (deps.notices && event.type === 'comment.created' && event.status === 'pending')
      await enqueueDeskNotice(deps.notices, { kind: 'held-waiting', siteId: event.siteId, commentId: event.commentId });
    const subscribers = await listSubscribers(db, event.siteId, event.type);
    if (subscribers.length === 0) return { deliveries: 0 };
    const comment = await loadWebhookComment(db, event.commentId);
    if (comment === null) return { deliveries: 0 }; // gone with its site: nobody left to tell
    const body = JSON.stringify(toWebhookPayload(event, comment));
    await queue.addBulk(
      subscribers.map((subscriptionId) => ({
        name: 'deliver' as const,
        data: {
          subscriptionId,
          eventId: event.id,
          eventType: event.type,
          commentId: event.commentId,
          body,
        } satisfies WebhookDeliveryJob,
        opts: { ...deliveryOptions, jobId: deliveryJobId(event.id, subscriptionId) },
      })),
    );
    return { deliveries: subscribers.length };
  }

  async function deliver(
    job: Job<CommentEventsJobData, unknown, CommentEventsJobName>,
    d: WebhookDeliveryJob,
  ): Promise<{ statusCode: number | null }> {
    const sub = await loadSubscription(db, d.subscriptionId);
    // Deleted or paused since the event: nothing to deliver, nothing to retry.
    if (sub === null || !sub.active) return { statusCode: null };
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const at = now();
    const timestamp = Math.floor(at.getTime() / 1000);
    const outcome = await postWebhook({
      url: sub.url,
      body: d.body,
      timeoutMs,
      allowPrivate: deps.allowPrivate ?? false,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Reply-Desk-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(signingSecrets(sub, at), timestamp, d.body),
        'Reply-Desk-Event': d.eventType,
        'Reply-Desk-Event-Id': d.eventId,
        'Reply-Desk-Delivery-Attempt': String(attempt),
      },
    });
    const last = outcome.refused || attempt >= attempts;
    const result = outcome.ok ? 'delivered' : last ? 'failed' : 'retrying';
    const nextRetryAt = result === 'retrying' ? new Date(Date.now() + retryDelayMs(job.opts, attempt)) : null;
    await insertDeliveryAttempt(db, {
      subscriptionId: sub.id,
      eventId: d.eventId,
      eventType: d.eventType,
      commentId: d.commentId,
      attempt,
      result,
      statusCode: outcome.statusCode,
      durationMs: outcome.durationMs,
      error: outcome.error,
      nextRetryAt,
    });
    if (outcome.ok) return { statusCode: outcome.statusCode };
    logger.info(
      { subscriptionId: sub.id, eventId: d.eventId, attempt, error: outcome.error },
      'webhook delivery failed',
    );
    if (outcome.refused) throw new UnrecoverableError(outcome.error ?? 'refused');
    throw new Error(outcome.error ?? 'delivery failed');
  }

  return async function processWebhookJob(
    job: Job<CommentEventsJobData, unknown, CommentEventsJobName>,
  ): Promise<unknown> {
    if (job.name === 'event') {
      if (!isCommentEvent(job.data)) throw new UnrecoverableError('invalid comment event payload');
      return fanOut(job.data);
    }
    if (job.name === 'deliver') {
      const d = job.data as Partial<WebhookDeliveryJob>;
      if (!Number.isInteger(d.subscriptionId) || typeof d.body !== 'string' || typeof d.eventId !== 'string') {
        throw new UnrecoverableError('invalid webhook delivery payload');
      }
      return deliver(job, d as WebhookDeliveryJob);
    }
    throw new UnrecoverableError(`unknown webhook job ${job.name}`);
  };
}
