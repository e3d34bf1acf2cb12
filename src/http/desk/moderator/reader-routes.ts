import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { isUuid } from '../../../domain/comment-fields.js';
import { byteLength, fieldLimits } from '../../../domain/field-limits.js';
import { closureOf } from '../../../domain/thread-closure.js';
import { AppError } from '../../../errors.js';
import type { StaffReplyAnswer } from '../../../http-contract/desk-contract.js';
import { createStatusChanges } from '../../../moderation/status-changes.js';
import type { CommentEventsQueue } from '../../../queue/comment-events-queue.js';
import type { Pool } from '../../../store/db.js';
import { findDeskReader, setReaderTrust } from '../../../store/readers/reader-trust.js';
import { insertStaffReply, loadReplyTarget, type ReplyTarget } from '../../../store/readers/staff-reply.js';
import { loadSite } from '../../../store/sites.js';
import { rawFormText } from '../../kit/form-values.js';
import { actorOf, currentModerator, wantsJson } from '../moderator-session.js';
import { backTo } from './moderator-routes.js';

/**
 * The reply as written, less trailing whitespace and leading blank lines; the first line keeps its
 * indentation (four spaces start a Markdown code block). The public wing trims a comment the same way.
 */
function toReplyText(value: string): string {
  return value.trimEnd().replace(/^(?:[ \t]*(?:\r\n|\r|\n))+/, '');
}

/** Why a comment takes no reply from the desk, or null when it takes one. */
async function whyNotReplyable(db: Pool, target: ReplyTarget, now: Date): Promise<string | null> {
  if (target.status !== 'approved') return 'Only a published comment takes a reply.';
  const site = await loadSite(db, target.siteId);
  if (site === null) return 'This comment’s site is gone.';
  const closure = closureOf(
    { closed: target.pageClosed, firstCommentAt: target.firstCommentAt },
    site.settings.closeAfterDays,
    now,
  );
  if (closure.closed) return 'Comments are closed on this page.';
  // As the worker's TOO_DEEP: depth is 0 at the top, so a reply sits at level depth + 2.
  if (target.depth + 2 > site.settings.maxDepth)
    return `Replies nest at most ${site.settings.maxDepth} levels deep on this site.`;
  return null;
}

/**
 * A signed-in reader from the desk: trust and untrust them from their card or the Bans page
 * (readers.trusted, audited), and the moderator's own reply from a card, as their staff reader.
 */
export function createReaderRoutes(deps: { db: Pool; logger: Logger; events?: CommentEventsQueue }): Router {
  const { db } = deps;
  // A reply is a new published comment: announced (webhooks, the parent author's reply mail) after the commit.
  const after = createStatusChanges({ logger: deps.logger, events: deps.events });
  const router = Router();

  const setTrust = (trusted: boolean) => async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    // No such reader is a 404; a reader of a site the moderator does not moderate a 403, as for a comment.
    const found = /^[1-9][0-9]{0,14}$/.test(id) ? await findDeskReader(db, Number(id)) : null;
    if (found === null) throw AppError.of('NOT_FOUND', { message: 'No such reader.' });
    if (!m.siteIds.includes(found.siteId))
      throw AppError.of('FORBIDDEN', { message: 'This reader belongs to a site you do not moderate.' });
    const result = await setReaderTrust(db, { readerId: found.id, trusted, actor: actorOf(m) });
    if (result === null) throw AppError.of('NOT_FOUND', { message: 'No such reader.' });
    if (wantsJson(req)) {
      res.json({ reader: String(found.id), trusted, changed: result.changed });
      return;
    }
    const name = result.reader.name;
    res.redirect(
      303,
      backTo(
        req,
        trusted
          ? `${name} is trusted on ${found.siteId}: their comments skip the hold rules.`
          : `${name} is no longer trusted on ${found.siteId}: their next comments meet the hold rules.`,
      ),
    );
  };

  router.post('/readers/:id/trust', setTrust(true));
  // The way back: their next comments meet the hold rules again; what is published stays published.
  router.post('/readers/:id/untrust', setTrust(false));

  // JSON ({body}) from admin.js, or the card's form without the script (then back to the queue).
  router.post('/api/comments/:id/reply', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    const body = toReplyText(rawFormText(req, 'body'));
    if (body === '') throw AppError.of('REQUIRED', { status: 422, message: 'Write a reply first.', field: 'body' });
    if (byteLength(body) > fieldLimits.body)
      throw AppError.of('TOO_LONG', { status: 422, message: 'The reply is too long.', field: 'body' });
    const target = isUuid(id) ? await loadReplyTarget(db, id.toLowerCase()) : null;
    if (target === null) throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
    if (!m.siteIds.includes(target.siteId))
      throw AppError.of('FORBIDDEN', { message: 'This comment belongs to a site you do not moderate.' });
    const now = new Date();
    const why = await whyNotReplyable(db, target, now);
    if (why !== null) throw AppError.of('NOT_REPLYABLE', { message: why });
    const stored = await insertStaffReply(db, {
      target,
      email: m.email,
      name: m.displayName,
      body,
      userAgent: req.get('user-agent') ?? '',
      now,
    });
    if (stored === null) throw AppError.of('NOT_REPLYABLE', { message: 'You have already posted this reply.' });
    await after.stored({ id: stored.id, siteId: target.siteId, status: 'approved' });
    if (wantsJson(req)) {
      res.status(201).json({
        id: stored.id,
        parent: target.id,
        status: 'approved',
        author: { name: stored.reader.name, verified: true, ...(stored.reader.staff ? { staff: true } : {}) },
      } satisfies StaffReplyAnswer);
      return;
    }
    res.redirect(303, backTo(req, `Reply published as ${stored.reader.name}.`));
  });

  return router;
}
