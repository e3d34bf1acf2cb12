import { Queue, type Job, type JobType } from 'bullmq';
import type { RedisClient } from '../redis.js';
import { AKISMET_QUEUE } from './akismet-queue.js';
import { BULK_QUEUE } from './bulk-queue.js';
import { EMAIL_QUEUE } from './email-queue.js';
import { MAINTENANCE_QUEUE } from './maintenance-queue.js';
import { SUBMISSIONS_QUEUE } from './submissions-queue.js';
import { submissionShardPrefixes } from './queue-prefix.js';
import { TRAINING_QUEUE } from './training-queue.js';
import { COMMENT_EVENTS_QUEUE } from './comment-events-queue.js';

/*
 * Erasure in Redis. Postgres is not the only place an address lives: a submission job carries the
 * reader's email (kept an hour once done, a month when failed), a bulk action's filter may be the
 * address a moderator searched for (a day, a month), and a failed mail job's error names the
 * recipient ("550 <x@y>: Recipient address rejected"), as does the queue's event stream. Jobs that
 * mention the address are removed (a waiting submission too: it would store the comment again after
 * the erasure); a job being worked on cannot be removed and is counted, so the caller can say "run
 * it again in a minute". Stream entries that mention it are deleted.
 */

/** Every queue of ours under QUEUE_PREFIX; a new queue file should add its name here. */
const QUEUES = [
  SUBMISSIONS_QUEUE,
  EMAIL_QUEUE,
  BULK_QUEUE,
  COMMENT_EVENTS_QUEUE,
  AKISMET_QUEUE,
  TRAINING_QUEUE,
  MAINTENANCE_QUEUE,
];
// 'wait' covers a paused queue too (BullMQ 5+ keeps paused jobs in the wait list).
const REMOVABLE: JobType[] = ['completed', 'failed', 'wait', 'delayed', 'prioritized', 'waiting-children'];
const PAGE = 500;

export interface QueuedJobErasure {
  /** Jobs removed because their data, result or error mentioned the address. */
  removed: number;
  /** Jobs that mention it but are running now: run the erasure again once they are done. */
  inProgress: number;
  /** Entries of the queues' event streams deleted. */
  streamEntries: number;
}

/** Lower-case needles: the address as written and as it appears inside JSON. */
function needles(email: string): string[] {
  const e = email.trim().toLowerCase();
  return [...new Set([e, JSON.stringify(e).slice(1, -1)])];
}

function mentions(text: string, find: string[]): boolean {
  const t = text.toLowerCase();
  return find.some((n) => t.includes(n));
}

/** The site a job's data names, if any (submissions: `site`; mail: `siteId`; bulk: its filter's site). */
function siteOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { site?: unknown; siteId?: unknown; target?: { filter?: { site?: unknown } } };
  for (const v of [d.site, d.siteId, d.target?.filter?.site]) if (typeof v === 'string') return v;
  return null;
}

function jobMentions(job: Job, find: string[], siteId: string | null): boolean {
  if (siteId !== null) {
    const site = siteOf(job.data);
    if (site !== null && site !== siteId) return false;
  }
  const text = [
    JSON.stringify(job.data ?? null),
    JSON.stringify(job.returnvalue ?? null),
    job.failedReason ?? '',
    ...(job.stacktrace ?? []),
  ].join('\n');
  return mentions(text, find);
}

async function scrubStream(redis: RedisClient, key: string, find: string[]): Promise<number> {
  let deleted = 0;
  let start = '-';
  for (;;) {
    const entries = (await redis.xrange(key, start, '+', 'COUNT', 1000)) as [string, string[]][];
    if (entries.length === 0) break;
    const doomed = entries.filter(([, fields]) => mentions(fields.join('\n'), find)).map(([id]) => id);
    if (doomed.length > 0) deleted += await redis.xdel(key, ...doomed);
    if (entries.length < 1000) break;
    start = `(${entries[entries.length - 1]![0]}`;
  }
  return deleted;
}

/**
 * Removes the jobs (and event-stream entries) of every queue under `prefix` that mention `email`,
 * and of the other submission shards' queues (SUBMISSION_SHARDS, `submissionShards`): the address
 * alone does not say which shard its comments went to. With `siteId`, a job whose data names another
 * site is left alone. Pages through each state, so a queue holding 100,000 failed jobs is read in
 * bounded memory and without blocking Redis.
 */
export async function eraseQueuedJobs(
  redis: RedisClient,
  prefix: string,
  email: string,
  siteId: string | null,
  submissionShards = 1,
): Promise<QueuedJobErasure> {
  return eraseQueuedJobsMentioning(redis, prefix, needles(email), siteId, submissionShards);
}

/**
 * As {@link eraseQueuedJobs}, for jobs that mention any of `given` (lower case, as they appear in the
 * job's JSON): a signed-in reader's erasure looks for their address and their reader id.
 */
export async function eraseQueuedJobsMentioning(
  redis: RedisClient,
  prefix: string,
  given: string[],
  siteId: string | null,
  submissionShards = 1,
): Promise<QueuedJobErasure> {
  // An empty needle is in every job: erasing "everything that mentions nothing" would empty the queues.
  const find = given.filter((n) => n.length >= 3);
  const result: QueuedJobErasure = { removed: 0, inProgress: 0, streamEntries: 0 };
  if (find.length === 0) return result;
  // BullMQ waits for a connection forever; an erasure must say at once that Redis is away instead.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const queues = [
    ...QUEUES.map((name) => ({ name, prefix })),
    ...submissionShardPrefixes(prefix, submissionShards)
      .slice(1)
      .map((p) => ({ name: SUBMISSIONS_QUEUE, prefix: p })),
  ];
  for (const { name, prefix: at } of queues) {
    const queue = new Queue(name, { connection: redis, prefix: at });
    try {
      // Matches are collected first and removed after: removing while paging would shift the pages.
      const doomed: Job[] = [];
      for (const state of [...REMOVABLE, 'active' as const]) {
        for (let start = 0; ; start += PAGE) {
          const jobs = await queue.getJobs([state], start, start + PAGE - 1, true);
          for (const job of jobs) {
            if (!jobMentions(job, find, siteId)) continue;
            if (state === 'active') result.inProgress += 1;
            else doomed.push(job);
          }
          if (jobs.length < PAGE) break;
        }
      }
      for (const job of doomed) {
        // A job that became active meanwhile is locked: count it with the running ones.
        await job.remove().then(
          () => (result.removed += 1),
          () => (result.inProgress += 1),
        );
      }
      result.streamEntries += await scrubStream(redis, `${at}:${name}:events`, find);
    } finally {
      await queue.close();
    }
  }
  return result;
}
