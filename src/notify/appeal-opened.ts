import { v5 as uuidv5 } from 'uuid';
import { enqueueDeskNotice, type DeskNoticesQueue } from '../queue/desk-notices-queue.js';

// Fixed namespace for appeal notices' ids; see notifyAppealOpened.
const APPEAL_NAMESPACE = '5d0c1f7e-3a9b-4c2d-8e6f-1b7a9c3d5e20';

/** What the appeals code knows when an appeal is opened. */
export interface AppealOpened {
  siteId: string;
  /** The appeal's own id (any string: a row id or a uuid). */
  appealId: string;
  /** The comment appealed against. */
  commentId: string;
  /** Appeals of the site open now (this one included), when known; shown in the notice. */
  openAppeals?: number;
  /** The desk path where it is decided. @defaultValue '/admin' */
  deskPath?: string;
}

/**
 * Tells the site's chat targets that want `appeal` (Slack, Teams, Mattermost) that an appeal was
 * opened. Call it after the appeal is committed; it only queues (one Redis call), the worker formats
 * and posts. Calling it twice for one appeal queues one notice: its id derives from the appeal's.
 * Rejects when Redis cannot take the job; the caller decides whether that fails its request (the
 * appeal itself is safe in Postgres either way).
 */
export async function notifyAppealOpened(queue: DeskNoticesQueue, a: AppealOpened): Promise<void> {
  await enqueueDeskNotice(queue, {
    kind: 'appeal-opened',
    id: uuidv5(`${a.siteId}\n${a.appealId}`, APPEAL_NAMESPACE),
    siteId: a.siteId,
    appealId: a.appealId,
    commentId: a.commentId,
    openAppeals: a.openAppeals ?? null,
    deskPath: a.deskPath ?? '/admin',
  });
}
