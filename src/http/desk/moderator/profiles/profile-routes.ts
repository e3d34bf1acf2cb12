import { Router, type Request, type Response } from 'express';
import { parseAuthorKey } from '../../../../domain/decisions/author-key.js';
import { formatEnd, suspensionEnd } from '../../../../domain/decisions/suspension-length.js';
import { AppError } from '../../../../errors.js';
import { addAuthorNote, removeAuthorNote } from '../../../../store/authors/author-notes.js';
import { liftSuspensions, suspendAuthor, type SuspensionLookup } from '../../../../store/authors/author-suspensions.js';
import { warnAuthor } from '../../../../store/authors/author-warnings.js';
import { isAuthorOnSite, loadCommenterProfile } from '../../../../store/authors/commenter-profile.js';
import type { Pool } from '../../../../store/db.js';
import { inTransaction } from '../../../../store/moderation-actions.js';
import type { Moderator } from '../../../../store/moderators.js';
import { formText } from '../../../kit/form-values.js';
import { queryText } from '../../../kit/query-values.js';
import { actorOf, csrfTokenOf, currentModerator, wantsJson } from '../../moderator-session.js';
import { profileHref, renderProfilePage } from './profile-page.js';

/** The site and author a request names, once the moderator may see them; 404 / 403 otherwise. */
function readAuthor(m: Moderator, site: string, author: string): { siteId: string; authorKey: string } {
  const ref = parseAuthorKey(author);
  if (ref === null) throw AppError.of('NOT_FOUND', { message: 'No such author.', field: 'author' });
  if (!m.siteIds.includes(site)) throw AppError.of('FORBIDDEN', { field: 'site' });
  return { siteId: site, authorKey: author.startsWith('guest:') ? `guest:${author.slice(6).toLowerCase()}` : author };
}

/**
 * Commenter profiles (issue 16, item 4): one page per author on a site (GET /admin/profile, JSON for
 * admin.js and tools), and what a moderator does there: private notes, a warning the reader sees once,
 * a timed suspension, lifting it. Ban and trust post to the existing forms (/admin/bans, /admin/trusted,
 * /admin/readers/:id/trust). Every change is audited in its own transaction.
 */
export function createProfileRoutes(deps: { db: Pool; suspensions?: SuspensionLookup }): Router {
  const { db } = deps;
  const router = Router();

  router.get('/profile', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const { siteId, authorKey } = readAuthor(m, queryText(req, 'site') ?? '', queryText(req, 'author') ?? '');
    const profile = await loadCommenterProfile(db, siteId, parseAuthorKey(authorKey)!, new Date());
    if (profile === null) throw AppError.of('NOT_FOUND', { message: 'No such author on this site.' });
    if (wantsJson(req)) {
      res.json(profile);
      return;
    }
    res.type('html').send(
      renderProfilePage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'queue' },
        profile,
        notice: queryText(req, 'notice'),
      }),
    );
  });

  /** The author a change names, who must be someone on the site (no notes about nobody). */
  async function authorToChange(req: Request, m: Moderator): Promise<{ siteId: string; authorKey: string }> {
    const at = readAuthor(m, formText(req, 'site'), formText(req, 'author'));
    if (!(await isAuthorOnSite(db, at.siteId, parseAuthorKey(at.authorKey)!)))
      throw AppError.of('NOT_FOUND', { message: 'No such author on this site.', field: 'author' });
    return at;
  }

  /** After a change: JSON for the script, else back to the profile with a notice. */
  const answer = (
    req: Request,
    res: Response,
    at: { siteId: string; authorKey: string },
    json: object,
    notice: string,
  ) => {
    if (wantsJson(req)) res.json(json);
    else res.redirect(303, `${profileHref(at.siteId, at.authorKey)}&${new URLSearchParams({ notice }).toString()}`);
  };

  router.post('/profile/notes', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const at = await authorToChange(req, m);
    const body = formText(req, 'body');
    if (body === '') throw AppError.of('REQUIRED', { status: 422, message: 'Write the note first.', field: 'body' });
    if (body.length > 2000)
      throw AppError.of('TOO_LONG', { status: 422, message: 'A note is at most 2,000 characters.', field: 'body' });
    const id = await inTransaction(db, (client) => addAuthorNote(client, { ...at, body, actor: actorOf(m) }));
    answer(req, res, at, { id, author: at.authorKey }, 'Note added.');
  });

  router.post('/profile/notes/delete', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const at = await authorToChange(req, m);
    const id = Number(formText(req, 'id'));
    const removed =
      Number.isSafeInteger(id) && id > 0
        ? await inTransaction(db, (client) => removeAuthorNote(client, { ...at, id, actor: actorOf(m) }))
        : false;
    if (!removed) throw AppError.of('NOT_FOUND', { message: 'No such note.', field: 'id' });
    answer(req, res, at, { removed: id }, 'Note removed.');
  });

  router.post('/profile/warn', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const at = await authorToChange(req, m);
    const message = formText(req, 'message');
    if (message === '')
      throw AppError.of('REQUIRED', { status: 422, message: 'Write the warning first.', field: 'message' });
    if (message.length > 1000)
      throw AppError.of('TOO_LONG', {
        status: 422,
        message: 'A warning is at most 1,000 characters.',
        field: 'message',
      });
    const id = await inTransaction(db, (client) => warnAuthor(client, { ...at, message, actor: actorOf(m) }));
    answer(req, res, at, { id, author: at.authorKey }, 'Warning saved: the reader sees it on their next visit.');
  });

  router.post('/profile/suspend', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const at = await authorToChange(req, m);
    const now = new Date();
    const endsAt = suspensionEnd(formText(req, 'amount'), formText(req, 'unit'), now);
    if (endsAt === null)
      throw AppError.of('INVALID_VALUE', {
        status: 422,
        message: 'Suspend for a whole number of hours or days, at most a year (longer is a ban).',
        field: 'amount',
      });
    const reason = formText(req, 'reason').slice(0, 500);
    const id = await inTransaction(db, (client) =>
      suspendAuthor(client, { ...at, reason, now, endsAt, actor: actorOf(m) }),
    );
    deps.suspensions?.forget(at.siteId);
    answer(
      req,
      res,
      at,
      { id, author: at.authorKey, until: endsAt.toISOString() },
      `Suspended until ${formatEnd(endsAt)}: their comments are refused until then.`,
    );
  });

  router.post('/profile/unsuspend', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const at = await authorToChange(req, m);
    const lifted = await inTransaction(db, (client) =>
      liftSuspensions(client, { ...at, now: new Date(), actor: actorOf(m) }),
    );
    deps.suspensions?.forget(at.siteId);
    answer(req, res, at, { lifted }, lifted > 0 ? 'Suspension lifted.' : 'There was no suspension to lift.');
  });

  return router;
}
