/*
 * The JSON contract between the moderators' desk routes and the dashboard script (widget/desk/): what
 * the server sends when the script asks with `Accept: application/json`, and the live queue's events.
 * The routes check what they send against these types (`satisfies`), the script reads them through
 * these types, so a field renamed or retyped on one side fails `npm run typecheck` on the other.
 *
 * Types only, and no imports: this file is compiled twice, for Node (tsconfig.json) and for the browser
 * (widget/tsconfig.json, with the DOM), and neither side may drag the other's world into its build.
 * The unions below repeat the server's (CommentStatus, StatusAction, QueueTab); the routes' `satisfies`
 * checks catch a value the server can send that is missing here.
 *
 * Only additions are safe: a page loaded before a deploy keeps running the old script for up to an
 * hour (/assets/admin.js is cached for that long).
 */

/** Where a comment stands (src/moderation/verdict.ts CommentStatus). */
export type DeskCommentStatus = 'approved' | 'pending' | 'spam' | 'rejected' | 'deleted';

/** What a moderator can do to a comment (src/store/moderation-actions.ts StatusAction). */
export type DeskStatusAction = 'approve' | 'reject' | 'spam' | 'not_spam' | 'delete';

/** The queue's tabs (src/store/moderation-queue.ts QueueTab); "reported" lists pending comments with flags. */
export type DeskTab = 'pending' | 'reported' | 'spam' | 'approved' | 'rejected';

/** Every refusal, from any route (src/http/error-handler.ts): a stable code and a message for people. */
export interface DeskErrorAnswer {
  error: { code: string; message: string; field?: string; errors?: unknown };
}

/** `POST /admin/comments/:id/status` (form fields `action`, `_csrf`). */
export interface StatusChangeAnswer {
  id: string;
  /** The status the action leaves the comment in. */
  status: DeskCommentStatus;
  /** 0 when someone else changed the comment first (nothing was done), else 1. */
  changed: number;
  /** The action's batch, which `POST /admin/undo` undoes. */
  batchId: string;
}

/** `POST /admin/api/comments/:id/reply` (field `body`), 201: the moderator's reply, published as their reader. */
export interface StaffReplyAnswer {
  id: string;
  /** The comment replied to. */
  parent: string;
  status: 'approved';
  /** As the thread shows the reply's author: `staff` while the moderator's Staff badge is on. */
  author: { name: string; verified: true; staff?: true };
}

/** `POST /admin/comments/:id/feature` and `/unfeature`: an editors' pick made or taken out (issue 15). */
export interface FeatureAnswer {
  id: string;
  featured: boolean;
  featuredAt: string | null;
  /** False when the comment already was (or was not) a pick: nothing was recorded. */
  changed: boolean;
}

/** `POST /admin/undo` (optional field `batch`; without it, this moderator's last undoable batch). */
export interface UndoAnswer {
  /** The batch undone. */
  undone: string;
  /** The comments put back, each with the status it is back in; those changed since are left alone. */
  restored: { id: string; status: DeskCommentStatus }[];
}

/** `POST /admin/bulk` and `POST /admin/bulk/:batchId/undo`, both 202: the job is queued. */
export interface BulkStartAnswer {
  /** Poll `GET /admin/bulk/:jobId`; the progress page has the same address. */
  jobId: string;
  batchId: string;
  /** Comments the job will look at. */
  total: number;
}

/** Where a bulk job stands. */
export type DeskBulkState = 'queued' | 'running' | 'completed' | 'failed';

/** `GET /admin/bulk/:jobId`: one bulk action or undo, as its progress page shows it. */
export interface BulkProgressAnswer {
  jobId: string;
  kind: 'bulk' | 'undo';
  state: DeskBulkState;
  /** Comments looked at so far; reaches `total`. */
  done: number;
  total: number;
  /** Comments actually changed (or, for an undo, restored). */
  changed: number;
  /** The bulk action's batch id (for an undo: the batch it undoes). */
  batchId: string;
  action: DeskStatusAction | null;
  scope: 'selection' | 'filter' | null;
  /** The bulk action has been undone. */
  undone: boolean;
  /** An undo of this bulk action is queued or running: its job id. */
  undoJobId: string | null;
  /** Why a failed job stopped (failed state only). */
  error: string | null;
}

/**
 * `GET /admin/live`, a server-sent event stream, by event name. `GET /admin/cards/:id?tab=` then
 * answers one server-rendered card (HTML, every reader value escaped) for the script to insert, or 404
 * when the comment is no longer in that tab.
 */
export interface DeskLiveEvents {
  /** The subscription is live: events published from now on reach this stream. */
  ready: { sites: string[] };
  /** A comment was just held on one of this moderator's sites. */
  comment: { id: string; siteId: string; status: 'pending' | 'spam' };
}

export type DeskLiveEventName = keyof DeskLiveEvents;
