import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CommentEvent } from '../webhooks/comment-events.js';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * The comment-events queue. Whatever changes a comment (the pipeline, moderators, readers' flags, mail
 * links) queues an `event` job; a worker fans it out to one `deliver` job per matching webhook
 * subscription, and hands it to the email queue when mail is on (held notices, reply notices). The
 * producers need only Redis: no lookups, nothing to know about subscriptions or SMTP.
 */
export const WEBHOOK_QUEUE = 'webhooks';

/** One attempt series to one subscription. The body is fixed at fan-out, so every retry sends the same bytes. */
export interface WebhookDeliveryJob {
  subscriptionId: number;
  eventId: string;
  eventType: CommentEvent['type'];
  commentId: string;
  body: string;
}

export type WebhookJobName = 'event' | 'deliver';
export type WebhookJobData = CommentEvent | WebhookDeliveryJob;
export type WebhookQueue = Queue<WebhookJobData, unknown, WebhookJobName>;

/**
 * Fan-out jobs only touch Postgres and Redis: retried briefly. Finished ones stay a day, so an event
 * emitted twice (a retried pipeline job) within a day is one job (the job id is the event id).
 */
export const eventJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: RETRY_JITTER },
  removeOnComplete: { age: 86_400, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
};

/**
 * Deliveries: 10 attempts, exponential from 15 s (15 s, 30 s, 1 min … about 2 h 8 min for the last),
 * so a receiver down for some four hours still gets everything. Each attempt is in the delivery log.
 */
export const deliveryJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: 86_400, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createWebhookQueue(connection: Redis, prefix: string): WebhookQueue {
  return new Queue<WebhookJobData, unknown, WebhookJobName>(WEBHOOK_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: eventJobOptions,
  });
}

/** The delay before retry `attempt + 1` after attempt `attempt` (1-based) failed, as BullMQ computes it. */
export function retryDelayMs(options: JobsOptions, attempt: number): number {
  const backoff = options.backoff;
  const delay = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 0);
  const type = typeof backoff === 'number' ? 'fixed' : (backoff?.type ?? 'fixed');
  return type === 'exponential' ? delay * 2 ** (attempt - 1) : delay;
}

/** A delivery's job id: one per (event, subscription), so a re-run fan-out queues nothing twice. */
export function deliveryJobId(eventId: string, subscriptionId: number): string {
  return `${eventId}-s${subscriptionId}`;
}

/** Queues comment events; call after the change committed. Each event's id is its job id. */
export async function enqueueCommentEvents(queue: WebhookQueue, events: readonly CommentEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queue.addBulk(events.map((e) => ({ name: 'event' as const, data: e, opts: { jobId: e.id } })));
}
