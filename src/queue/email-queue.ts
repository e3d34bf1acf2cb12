import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import type { CommentEvent } from '../webhooks/comment-events.js';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * The mail queue, run by workers when SMTP_URL is set. Producers never send mail themselves: the
 * comment-events fan-out (workers/webhook-processor.ts) queues `held` and `reply` jobs, and a job
 * scheduler runs `digest` every DIGEST_SWEEP_MS.
 */
export const EMAIL_QUEUE = 'email';

/** A comment was held: note it for the digests of the moderators who asked (no mail yet). */
export interface HeldJob {
  commentId: string;
  siteId: string;
}

/** A comment was approved: if it is a reply whose parent's author opted in, mail them. */
export interface ReplyJob {
  commentId: string;
}

/** Sends every digest that is due, and every reply-mail confirmation an address is owed. */
export type DigestJob = Record<string, never>;

/** A reader asked to sign in by email (src/readers/email-sign-in.ts): mail them the link. */
export interface SignInJob {
  /** The request's row id; the link's token is minted as the mail is sent, so it is in no queue. */
  signInId: string;
}

/** An admin invited someone to the desk (src/store/accounts/invites.ts): mail them the link. */
export interface InviteJob {
  /** The invite's row id; the link's token is minted as the mail is sent, so it is in no queue. */
  inviteId: string;
}

/** A moderator rejected or marked spam a comment (issue 16): mail its author the statement of reasons, if it had one. */
export interface StatementJob {
  commentId: string;
}

export type EmailJobName = 'held' | 'reply' | 'digest' | 'sign-in' | 'invite' | 'statement';
export type EmailJobData = HeldJob | ReplyJob | DigestJob | SignInJob | InviteJob | StatementJob;
export type EmailQueue = Queue<EmailJobData, unknown, EmailJobName>;

/** How often digests are looked at. @defaultValue 30 s — the first held comment is mailed within about that. */
export const DIGEST_SWEEP_MS = 30_000;

/**
 * SMTP servers go away for minutes, not hours: 8 attempts from 5 s (the last some 10 minutes after the
 * first). A reply notice is claimed in the same transaction that sends it, so a retry never mails twice
 * unless the server took the mail and the commit then failed.
 */
export const emailJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 5000, jitter: RETRY_JITTER },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createEmailQueue(connection: RedisClient, prefix: string): EmailQueue {
  return new Queue<EmailJobData, unknown, EmailJobName>(EMAIL_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: emailJobOptions,
  });
}

/** Schedules the digest sweep; every worker upserts the same scheduler, each run is taken once. */
export async function scheduleDigests(queue: EmailQueue, everyMs = DIGEST_SWEEP_MS): Promise<void> {
  await queue.upsertJobScheduler(
    'digest',
    { every: everyMs },
    { name: 'digest', data: {}, opts: { removeOnComplete: true, removeOnFail: { age: 86_400 } } },
  );
}

/**
 * The mail jobs a comment event calls for: a newly stored held comment → `held`; any approval (by the
 * pipeline or a person) → `reply`; a moderator's reject or spam → `statement`. Job ids dedupe a re-run fan-out.
 */
export async function enqueueEmailForEvent(queue: EmailQueue, event: CommentEvent): Promise<void> {
  if (event.type === 'comment.created' && event.status === 'pending') {
    await queue.add('held', { commentId: event.commentId, siteId: event.siteId }, { jobId: `held-${event.commentId}` });
  } else if (event.type === 'comment.approved') {
    await queue.add('reply', { commentId: event.commentId }, { jobId: `reply-${event.id}` });
  } else if ((event.type === 'comment.rejected' || event.type === 'comment.spam') && event.source === 'moderator') {
    // Whether a reason was given (and so a statement is owed) the job reads from Postgres: the event says only what changed.
    await queue.add('statement', { commentId: event.commentId }, { jobId: `statement-${event.id}` });
  }
}
