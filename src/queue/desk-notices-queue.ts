import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
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
 * Chat posts, as webhook deliveries: 10 attempts, exponential from 15 s (the last about 2 h after the
 * first). A chat notice older than that is stale news anyway.
 */
export const chatJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: 86_400, count: 10_000 },
  removeOnFail: { age: 7 * 86_400 },
};

export function createDeskNoticesQueue(connection: Redis, prefix: string): DeskNoticesQueue {
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

/** Held notices for one site within this long are one job: a flood of held comments is one fan-out. */
const HELD_BUCKET_MS = 5000;

/** Queues a notice; its id (or, for held comments, the site and a 5-second bucket) is the job id. */
export async function enqueueDeskNotice(queue: DeskNoticesQueue, notice: DeskNotice, now = Date.now()): Promise<void> {
  const jobId =
    notice.kind === 'held-waiting' ? `held-${notice.siteId}-${Math.floor(now / HELD_BUCKET_MS)}` : notice.id;
  await queue.add('notice', notice, { jobId });
}
