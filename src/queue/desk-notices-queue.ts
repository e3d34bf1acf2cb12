import { Queue, type JobsOptions } from 'bullmq';
import type { RedisClient } from '../redis.js';
import { v5 as uuidv5 } from 'uuid';
import type { PageSurgeSignal } from '../flood/page-surge-score.js';
import { RETRY_JITTER } from './retry-jitter.js';

/**
 * The desk-notices queue (issue 16, items 6 and 7): news for the moderators rather than about one
 * comment — a brigade began on a story, held comments are waiting, an appeal was opened. A `notice` job
 * is fanned out by workers/desk-notice-processor.ts into one `chat` job per chat target (Slack, Teams,
 * Mattermost), one `mail` job per moderator (brigades) and webhook deliveries (`page.surge`), each with
 * a job id of (notice, recipient), so a re-run fan-out queues nothing twice, and each retried on its own.
 */
export const DESK_NOTICES_QUEUE = 'desk-notices';

/** A brigade began on one page (src/flood/page-surge-tracker.ts): the comment that started it. */
export interface PageSurgeNotice {
  kind: 'page-surge';
  /** Unique per brigade; the job id. */
  id: string;
  siteId: string;
  pageId: number;
  commentId: string;
  /** When it began (ISO). */
  since: string;
  score: number;
  signals: PageSurgeSignal[];
}

/** A comment of the site was held: chat targets that want `held` hear of what waits, paced per target. */
export interface HeldWaitingNotice {
  kind: 'held-waiting';
  siteId: string;
  /** The held comment that calls for it (its job id: a re-run fan-out of its event queues it once). */
  commentId?: string;
  /** Only this target (a paced notice's delayed run); left out, every target of the site that wants `held`. */
  targetId?: number;
}

/** An appeal was opened (src/notify/appeal-opened.ts: called by the appeals code). */
export interface AppealOpenedNotice {
  kind: 'appeal-opened';
  id: string;
  siteId: string;
  appealId: string;
  commentId: string;
  /** Appeals of the site open now, when the caller knows (this one included). */
  openAppeals: number | null;
  /** The desk path where the appeal is decided. */
  deskPath: string;
}

export type DeskNotice = PageSurgeNotice | HeldWaitingNotice | AppealOpenedNotice;

/** One attempt series to one chat target; the body is fixed at fan-out, so every retry sends the same bytes. */
export interface ChatDeliveryJob {
  targetId: number;
  noticeKind: DeskNotice['kind'];
  body: string;
}

/** One moderator's mail about a brigade. */
export interface SurgeMailJob {
  moderatorId: number;
  notice: PageSurgeNotice;
}

export type DeskNoticeJobName = 'notice' | 'chat' | 'mail';
export type DeskNoticeJobData = DeskNotice | ChatDeliveryJob | SurgeMailJob;
export type DeskNoticesQueue = Queue<DeskNoticeJobData, unknown, DeskNoticeJobName>;

/** Fan-outs only touch Postgres and Redis: retried briefly, kept a day so a notice queued twice is one job. */
export const noticeJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: RETRY_JITTER },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

/**
 * Chat posts, as webhook deliveries: 10 attempts, exponential from 15 s (the last wait 64 min, the last
 * attempt about 2 h 8 min after the first). A chat notice older than that is stale news anyway.
 */
export const chatJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createDeskNoticesQueue(connection: RedisClient, prefix: string): DeskNoticesQueue {
  return new Queue<DeskNoticeJobData, unknown, DeskNoticeJobName>(DESK_NOTICES_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: noticeJobOptions,
  });
}

// Fixed namespace for brigade notices' ids; see pageSurgeNoticeId.
const SURGE_NAMESPACE = '9a4e2b71-6c3d-4f8a-b5e0-2d7c1a9f3b64';

/**
 * A brigade's notice id: a uuid (webhook receivers dedupe on it, the delivery log stores it as one)
 * derived from the page and when the brigade began, so the one comment that starts it, retried, queues
 * the same notice.
 */
export function pageSurgeNoticeId(siteId: string, pageId: number, since: number): string {
  return uuidv5(`${siteId}\n${pageId}\n${since}`, SURGE_NAMESPACE);
}

/**
 * Queues a notice; its id is the job id (a held comment's: its comment id). Held comments are not
 * merged into one job per moment: a job id already used by a finished job would drop the newer
 * comment's notice, and the pacing (per chat target, in the processor) is what keeps posts few.
 */
export async function enqueueDeskNotice(queue: DeskNoticesQueue, notice: DeskNotice): Promise<void> {
  const jobId =
    notice.kind === 'held-waiting' ? `held-${notice.commentId ?? `${notice.siteId}-${Date.now()}`}` : notice.id;
  await queue.add('notice', notice, {
    jobId,
    // Held notices are many and alike: kept an hour, not a day.
    ...(notice.kind === 'held-waiting' ? { removeOnComplete: { age: 3600, count: 10_000 } } : {}),
  });
}
