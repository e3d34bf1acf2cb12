import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { findFieldErrors, isUuid } from '../../domain/comment-fields.js';
import { TEXT_FORBIDDEN } from '../../domain/forbidden-characters.js';
import type { Site } from '../../domain/site-settings.js';
import { AppError, type FieldError } from '../../errors.js';
import { isEditWindowOpen } from '../../moderation/edit-check.js';
import { createStatusChanges } from '../../moderation/status-changes.js';
import type { AnnounceThread } from '../../queue/live-threads.js';
import type { CommentEventsQueue } from '../../queue/comment-events-queue.js';
import { enqueueEdit, toEditId, type EditsQueue } from '../../queue/edits-queue.js';
import { loadQueuedState } from '../../queue/submissions-queue.js';
import type { SubmissionShards } from '../../queue/submission-shards.js';
import { createEditKeys, type EditKeys } from '../../readers/edit-keys.js';
import type { Queryable } from '../../store/db.js';
import {
  countAuthorEdits,
  deleteOwnComment,
  findAuthorEditTo,
  loadOwnComment,
  type OwnComment,
} from '../../store/own-comments.js';
import { parseJson } from '../kit/body-parsers.js';
import { databaseDown } from '../kit/read-errors.js';
import { readBearer, readReader } from '../kit/reader-auth.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import { toBodyText } from './comment-input.js';

export interface OwnCommentRoutesDeps {
  db: Queryable;
  sites: SiteDirectory;
  logger: Logger;
  publicUrl: string;
  /** Where edits go to be checked (src/queue/edits-queue.ts); left out, PATCH answers 503 QUEUE_UNAVAILABLE. */
  edits?: EditsQueue;
  /** Tells "still being checked" (409) from "no such comment" (404) for a comment not stored yet. */
  queue: SubmissionShards;
  /** How long Redis may take to accept an edit before the answer is 503. */
  enqueueTimeoutMs: number;
  /** Checks guests' edit keys (src/readers/edit-keys.ts); left out, one of this router's own over `db`. */
  editKeys?: EditKeys;
  /** Comment events: a deleted held comment leaves the queue (announced for dashboards' sake); left out, nothing is. */
  events?: CommentEventsQueue;
  /** Readers' live threads: a comment its author deletes leaves them; left out, nobody is told. */
  thread?: AnnounceThread;
}

/** The header a guest's edit key comes in on DELETE (a DELETE has no body a browser reliably sends). */
export const EDIT_KEY_HEADER = 'X-Edit-Key';

/**
 * How many times an author may change one comment. The edit window bounds edits in time; this bounds
 * the work one comment can cause (every edit is checked again by a worker) and keeps its history short.
 */
export const MAX_AUTHOR_EDITS = 10;

/** An edit key is 43 base64url characters (src/readers/edit-keys.ts); anything much longer is not one. */
const MAX_KEY = 200;

/** Narrows a PATCH body to {body, editKey}; nothing else is read. A missing body is an empty one (REQUIRED). */
export function readEditInput(raw: unknown): { body: string; rawBody: string; editKey: string | null } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw AppError.of('INVALID_BODY');
  const b = raw as Record<string, unknown>;
  if (b.body !== undefined && b.body !== null && typeof b.body !== 'string')
    throw AppError.of('INVALID_TYPE', { message: 'The field "body" has the wrong type.', field: 'body' });
  if (b.editKey !== undefined && b.editKey !== null && (typeof b.editKey !== 'string' || b.editKey.length > MAX_KEY))
    throw AppError.of('INVALID_TYPE', { message: 'The field "editKey" has the wrong type.', field: 'editKey' });
  const rawBody = typeof b.body === 'string' ? b.body : '';
  return { body: toBodyText(rawBody), rawBody, editKey: typeof b.editKey === 'string' ? b.editKey : null };
}

/**
 * The new text's problems, as a new comment's body has them (required, the byte limit, characters):
 * the characters on the text as sent (a NUL is refused, not trimmed away), the rest on the trimmed text.
 */
export function findEditBodyErrors(body: string, rawBody: string): FieldError[] {
  if (TEXT_FORBIDDEN.test(rawBody))
    return [
      { field: 'body', code: 'INVALID_CHARACTERS', message: 'The comment contains characters that are not allowed.' },
    ];
  // The other fields are the stored comment's and are not changed here: only the body's problems count.
  return findFieldErrors(
    { page: 'x', parentId: null, author: '', email: '', url: '', body },
    { requireName: false, requireEmail: false },
  ).filter((e) => e.field === 'body');
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is('application/json')) return next();
  next(AppError.of('UNSUPPORTED_MEDIA_TYPE', { message: 'Send the edit as application/json.' }));
};

/** Authors' own comments: PATCH (edit) and DELETE /api/comments/:id within the site's edit window. */
export function createOwnCommentRoutes(deps: OwnCommentRoutesDeps): Router {
  const { db, sites, publicUrl } = deps;
  const editKeys = deps.editKeys ?? createEditKeys(db);
  const after = createStatusChanges({ logger: deps.logger, events: deps.events, thread: deps.thread });
  const router = Router();

  /** The comment and its site, or 404; a comment not checked yet is 409 (the author may try again in a moment). */
  async function findComment(rawId: string): Promise<{ comment: OwnComment; site: Site }> {
    const id = rawId.toLowerCase();
    if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
    let comment: OwnComment | null;
    let site: Site | null = null;
    try {
      comment = await loadOwnComment(db, id);
      if (comment !== null) site = await sites.get(comment.siteId);
    } catch (err) {
      throw databaseDown(err);
    }
    if (comment === null) {
      const queued = await loadQueuedState(deps.queue.forId(id), id).catch(() => null);
      if (queued === 'queued')
        throw AppError.of('COMMENT_NOT_EDITABLE', {
          message: 'This comment is still being checked; please try again in a moment.',
          retryAfter: 2,
        });
    }
    // Deleted is gone, for its author as for everyone.
    if (comment === null || site === null || comment.status === 'deleted')
      throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
    return { comment, site };
  }

  /**
   * Whether the request proves it comes from the comment's author: the comment's edit key (guests, and
   * readers in the browser that wrote it), or the signed-in reader who wrote it. Returns the reader who
   * edits (null for a key). A reader token that signs nobody in is 401 READER_SIGNED_OUT (readReader),
   * so a widget learns its session ended instead of being told the comment is not theirs.
   */
  async function proveAuthor(req: Request, comment: OwnComment, key: string | null): Promise<number | null> {
    if (key !== null && key !== '') {
      let valid: boolean;
      try {
        valid = await editKeys.check(comment.id, key);
      } catch (err) {
        throw databaseDown(err);
      }
      if (valid) return comment.readerId;
      // A wrong key with a token: the token may still prove it (a key from another browser's storage).
      if (readBearer(req) === null) throw AppError.of('NOT_YOUR_COMMENT');
    }
    const reader = await readReader(db, req, comment.siteId);
    if (reader === null || comment.readerId === null || reader.id !== comment.readerId)
      throw AppError.of('NOT_YOUR_COMMENT');
    return reader.id;
  }

  /** The checks both routes make, in an order that tells a stranger nothing about the comment's state. */
  async function authorize(
    req: Request,
    key: string | null,
  ): Promise<{ comment: OwnComment; site: Site; readerId: number | null }> {
    const { comment, site } = await findComment(String(req.params.id));
    assertOriginAllowed(req, site, 'sent');
    const readerId = await proveAuthor(req, comment, key);
    if (!isEditWindowOpen(comment.receivedAt, site.settings.editWindowMinutes, new Date()))
      throw AppError.of(
        'EDIT_WINDOW_CLOSED',
        site.settings.editWindowMinutes === 0
          ? { message: 'Comments cannot be changed on this site.' }
          : {
              message: `Comments can be changed for ${site.settings.editWindowMinutes} minute${site.settings.editWindowMinutes === 1 ? '' : 's'} after they are sent.`,
            },
      );
    // Refused comments are the author's to read (their status says why), not to rewrite into acceptance.
    if (comment.status === 'rejected')
      throw AppError.of('COMMENT_NOT_EDITABLE', { message: 'This comment was not accepted and cannot be changed.' });
    return { comment, site, readerId };
  }

  router.patch('/api/comments/:id', requireJson, parseJson, async (req: Request, res: Response) => {
    const input = readEditInput(req.body);
    const { comment, site, readerId } = await authorize(req, input.editKey);
    const errors = findEditBodyErrors(input.body, input.rawBody);
    if (errors.length > 0) throw AppError.fields(errors);
    const statusUrl = `${publicUrl}/api/comments/${comment.id}`;
    res.set('Cache-Control', 'no-store');
    if (input.body === comment.body) {
      // The text it has already: a retried PATCH whose edit was applied is answered with that edit;
      // otherwise there is nothing to change and nothing is queued.
      let editId: string | null;
      try {
        editId = await findAuthorEditTo(db, comment.id, input.body);
      } catch (err) {
        throw databaseDown(err);
      }
      if (editId !== null) {
        res.status(202).json({ id: comment.id, status: 'queued', statusUrl, editId });
        return;
      }
      res.status(200).json({ id: comment.id, status: 'unchanged', statusUrl });
      return;
    }
    let taken: number;
    try {
      taken = await countAuthorEdits(db, comment.id);
    } catch (err) {
      throw databaseDown(err);
    }
    if (taken >= MAX_AUTHOR_EDITS)
      throw AppError.of('RATE_LIMITED', {
        message: `This comment was changed ${MAX_AUTHOR_EDITS} times already and cannot be changed again.`,
        field: 'body',
      });
    if (!deps.edits)
      throw AppError.of('QUEUE_UNAVAILABLE', { message: 'Edits cannot be taken this moment.', retryAfter: 5 });
    // Derived from the text it replaces and the new one: the same edit sent twice is one job.
    const editId = toEditId(comment.id, comment.body, input.body);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        enqueueEdit(deps.edits, {
          editId,
          commentId: comment.id,
          siteId: site.id,
          body: input.body,
          readerId,
          requestedAt: new Date().toISOString(),
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('Redis did not take the edit in time')), deps.enqueueTimeoutMs);
        }),
      ]);
    } catch (err) {
      throw AppError.of('QUEUE_UNAVAILABLE', { detail: err, retryAfter: 5 });
    } finally {
      clearTimeout(timer);
    }
    res.status(202).json({ id: comment.id, status: 'queued', statusUrl, editId });
  });

  router.delete('/api/comments/:id', async (req: Request, res: Response) => {
    const header = req.get(EDIT_KEY_HEADER);
    if (header !== undefined && header.length > MAX_KEY) throw AppError.of('NOT_YOUR_COMMENT');
    const { comment, readerId } = await authorize(req, header ?? null);
    let change;
    try {
      change = await deleteOwnComment(db, { id: comment.id, readerId });
    } catch (err) {
      throw databaseDown(err);
    }
    if (change !== null) {
      await after.changed(
        [{ id: comment.id, siteId: change.siteId, fromStatus: change.fromStatus, toStatus: 'deleted' }],
        'author',
      );
    }
    res.status(204).set('Cache-Control', 'no-store').end();
  });

  return router;
}
