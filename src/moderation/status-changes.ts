import type { Logger } from 'pino';
import type { PublishLiveEvent } from '../queue/live-events.js';
import type { AnnounceThread, ThreadSignal } from '../queue/live-threads.js';
import { enqueueTrainingForChanges, type TrainingQueue } from '../queue/training-queue.js';
import { enqueueCommentEvents, type CommentEventsQueue } from '../queue/comment-events-queue.js';
import type { StatusChange } from '../store/moderation-actions.js';
import {
  toChangeEvents,
  toStoredEvents,
  type CommentEvent,
  type StoredEventAudience,
} from '../webhooks/comment-events.js';
import type { CommentStatus } from './verdict.js';

/*
 * What follows a comment's status change, in one place (Coral's stacks/helpers/publishChanges.ts):
 * learn from it (the spam-training queue), announce it (the comment-events queue: webhooks, reply
 * mails), tell open dashboards (the live channel) and readers watching the thread (live threads).
 * The audit row is not here on purpose: it is written by changeStatus in the same transaction as the
 * status (src/store/moderation-actions.ts), so it can never be missing; everything here runs after
 * the commit.
 *
 * Every follow-up is best effort: the change has committed and stands whatever Redis says, so a
 * failure costs one training example or one announcement, is logged, and never fails the request or
 * job that made the change, nor stops the other follow-ups.
 */

/** Why statuses changed; it decides what follows (see `followUps`). */
export type ChangeCause =
  /** A moderator's decision: approve, reject, spam, delete or undo; single, bulk or from a mail link. */
  | 'decision'
  /** A ban that rejected the author's pending comments. */
  | 'ban'
  /** Readers' flags reached the site's threshold and sent a published comment back to the queue. */
  | 'flags'
  /** The comment's author edited it (held, or marked spam by the checks again) or deleted it (issue 14). */
  | 'author';

/**
 * What each cause sets off: whether the spam filter learns from it, who the events name as its source,
 * and whether open dashboards are told of comments it put in a queue (`live`; moderators' own changes
 * need no telling, they made them).
 */
export const followUps: Record<ChangeCause, { learn: boolean; source: CommentEvent['source']; live?: boolean }> = {
  decision: { learn: true, source: 'moderator' },
  // The rejected comments were pending, never learned from, and a ban says who, not what: nothing to learn.
  ban: { learn: false, source: 'moderator' },
  // Readers are not moderators: their flags hold a comment for a person, and teach the filter nothing.
  flags: { learn: false, source: 'readers' },
  // The checks, not a person, decided: nothing to learn. A published comment whose edit is held waits
  // in the queue like a new held one, so dashboards hear of it as of one.
  author: { learn: false, source: 'readers', live: true },
};

/**
 * What a status change means for readers watching the thread: a comment that became public is news
 * (`comment`), one that stopped being public is gone (`removed`); any other change they never saw.
 */
export function toThreadSignals(changes: readonly StatusChange[]): ThreadSignal[] {
  const signals: ThreadSignal[] = [];
  for (const c of changes) {
    if (c.toStatus === 'approved' && c.fromStatus !== 'approved')
      signals.push({ type: 'comment', site: c.siteId, id: c.id });
    else if (c.fromStatus === 'approved' && c.toStatus !== 'approved')
      signals.push({ type: 'removed', site: c.siteId, id: c.id });
  }
  return signals;
}

/** Which newly stored comments are news for open dashboards: those that wait in one of their queues. */
export function isLiveNews(status: CommentStatus): status is 'pending' | 'spam' {
  return status === 'pending' || status === 'spam';
}

export interface StatusChangesDeps {
  /** Where failures go; required, so none is ever silently swallowed. */
  logger: Logger;
  /** The spam-training queue; left out, nothing is learned. */
  training?: TrainingQueue;
  /** The comment-events queue; left out, nothing is announced. */
  events?: CommentEventsQueue;
  /** The live channel to open dashboards; left out, nobody is told. */
  publish?: PublishLiveEvent;
  /** Readers' live threads (src/queue/live-threads.ts): comments published and taken down; left out, none. */
  thread?: AnnounceThread;
  /** The events' time. @defaultValue () => new Date() */
  now?: () => Date;
}

export interface StatusChanges {
  /** After statuses changed and committed. Never rejects: each failure is logged. */
  changed(changes: readonly StatusChange[], cause: ChangeCause): Promise<void>;
  /**
   * After the pipeline stored a new comment, or (`retry`) found it stored by an earlier run that may
   * have died before announcing it. Never rejects. Only the run that stored the row tells dashboards:
   * the live event is a hint, and the event ids derive from the comment id, so a second announcement
   * is deduplicated by the queue while a second live event would not be. `audience` (read with the
   * comment's facts) leaves out the comment events nobody could hear of; without it, all are queued.
   */
  stored(
    c: { id: string; siteId: string; status: CommentStatus },
    opts?: { retry?: boolean; audience?: StoredEventAudience },
  ): Promise<void>;
}

export function createStatusChanges(deps: StatusChangesDeps): StatusChanges {
  const { logger } = deps;
  const now = deps.now ?? ((): Date => new Date());
  // Each follow-up is caught on its own, so one failing does not keep the others from running.
  const attempt = async (what: string, fields: Record<string, unknown>, run: () => Promise<void>): Promise<void> => {
    try {
      await run();
    } catch (err) {
      logger.warn({ ...fields, err: err instanceof Error ? err.message : String(err) }, what);
    }
  };
  return {
    async changed(changes, cause) {
      if (changes.length === 0) return;
      const { learn, source, live } = followUps[cause];
      const fields = { comments: changes.length, cause };
      const { training, events, publish, thread } = deps;
      const signals = thread ? toThreadSignals(changes) : [];
      await Promise.all([
        thread && signals.length > 0
          ? attempt('live thread event not published', fields, () => thread(signals))
          : undefined,
        learn && training
          ? attempt('spam training not queued', fields, () => enqueueTrainingForChanges(training, changes))
          : undefined,
        events
          ? attempt('comment events not queued', fields, () =>
              enqueueCommentEvents(events, toChangeEvents(changes, source, now())),
            )
          : undefined,
        ...(live && publish
          ? changes.map((c) => {
              const status = c.toStatus;
              return isLiveNews(status)
                ? attempt('live queue event not published', fields, () =>
                    publish({ id: c.id, siteId: c.siteId, status }),
                  )
                : undefined;
            })
          : []),
      ]);
    },
    async stored(c, opts = {}) {
      const fields = { commentId: c.id };
      const { events, publish, thread } = deps;
      const live = isLiveNews(c.status) ? c.status : null;
      await Promise.all([
        // Readers dedupe by comment id, so a retried run may announce a published comment again.
        thread && c.status === 'approved'
          ? attempt('live thread event not published', fields, () =>
              thread([{ type: 'comment', site: c.siteId, id: c.id }]),
            )
          : undefined,
        events
          ? attempt('comment events not queued', fields, () =>
              enqueueCommentEvents(events, toStoredEvents(c, now(), opts.audience)),
            )
          : undefined,
        publish && live !== null && !opts.retry
          ? attempt('live queue event not published', fields, () =>
              publish({ id: c.id, siteId: c.siteId, status: live }),
            )
          : undefined,
      ]);
    },
  };
}
