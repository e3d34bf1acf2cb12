import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import type { CommentEvent, SubscribableEventType } from '../webhooks/comment-events.js';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * The comment-events queue. Whatever changes a comment (the pipeline, moderators, readers' flags, mail
 * links) queues an `event` job; a worker fans it out to one `deliver` job per matching webhook
 * subscription, and hands it to the email queue when mail is on (held notices, reply notices). The
 * producers need only Redis: no lookups, nothing to know about subscriptions or SMTP.
 *
 * The Redis name keeps its first spelling, `webhooks`, on purpose: it is data in production (waiting
 * and delayed jobs, failed ones in the dead-letter list, the bull-board and metrics labels), and a new
 * name would strand whatever an upgrade finds queued under the old one. The code's names say what it
 * carries; tests/unit/comment-events-queue.test.ts holds the Redis name still.
 */
export const COMMENT_EVENTS_QUEUE = 'webhooks';

/** One attempt series to one subscription. The body is fixed at fan-out, so every retry sends the same bytes. */
export interface WebhookDeliveryJob {
  subscriptionId: number;
  eventId: string;
  eventType: SubscribableEventType;
  commentId: string;
  body: string;
}

export type CommentEventsJobName = 'event' | 'deliver';
export type CommentEventsJobData = CommentEvent | WebhookDeliveryJob;
export type CommentEventsQueue = Queue<CommentEventsJobData, unknown, CommentEventsJobName>;

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
 * Deliveries: 10 attempts, exponential from 15 s (15 s, 30 s, 1 min … 64 min for the last wait, the last
 * attempt about 2 h 8 min after the first), so a receiver down for some two hours still gets everything.
 * Each attempt is in the delivery log.
 */
export const deliveryJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: 86_400, count: 100_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createCommentEventsQueue(connection: RedisClient, prefix: string): CommentEventsQueue {
  return new Queue<CommentEventsJobData, unknown, CommentEventsJobName>(COMMENT_EVENTS_QUEUE, {
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
export async function enqueueCommentEvents(queue: CommentEventsQueue, events: readonly CommentEvent[]): Promise<void> {
  if (events.length === 0) return;
  await queue.addBulk(events.map((e) => ({ name: 'event' as const, data: e, opts: { jobId: e.id } })));
}
