import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../domain/comment-fields.js';
import { authorOfComment, toAuthorKey } from '../../domain/decisions/author-key.js';
import { AppError } from '../../errors.js';
import type { EditKeys } from '../../readers/edit-keys.js';
import { listUnseenWarnings, loadCommentAuthor, markWarningSeen } from '../../store/authors/author-warnings.js';
import type { Queryable } from '../../store/db.js';
import { parseJson } from '../kit/body-parsers.js';
import { formText } from '../kit/form-values.js';
import { databaseDown } from '../kit/read-errors.js';
import { readReader } from '../kit/reader-auth.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';

/**
 * Moderators' warnings, as their reader sees them (issue 16, item 4): POST /api/warnings lists the
 * unseen ones, POST /api/warnings/:id/seen marks one shown. Who asks is proven, never typed: a
 * signed-in reader by their token; a guest by the edit key of a comment of theirs (the widget's own
 * proof of authorship, src/readers/edit-keys.ts), which names the guest's email without the request
 * carrying it. A guest's typed email alone would let anyone read (and clear) another's warnings.
 * POST, not GET: the key is a secret, and URLs end up in logs.
 */
export function createWarningRoutes(deps: { db: Queryable; sites: SiteDirectory; editKeys: EditKeys }): Router {
  const { db } = deps;
  const router = Router();

  async function authorOf(req: Request): Promise<{ siteId: string; authorKey: string } | null> {
    const siteId = formText(req, 'site');
    if (siteId === '') throw AppError.of('REQUIRED', { status: 400, message: 'The site is missing.', field: 'site' });
    let site;
    try {
      site = await deps.sites.get(siteId);
    } catch (err) {
      throw databaseDown(err);
    }
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'sent');
    const reader = await readReader(db, req, site.id);
    if (reader !== null) return { siteId: site.id, authorKey: toAuthorKey({ kind: 'reader', readerId: reader.id }) };
    const comment = formText(req, 'comment').toLowerCase();
    const key = formText(req, 'key');
    // The key first: it proves the comment's id is theirs whether or not the worker has stored it yet.
    if (!isUuid(comment) || key === '' || !(await deps.editKeys.check(comment, key)))
      throw AppError.of('NOT_YOUR_COMMENT');
    const found = await loadCommentAuthor(db, comment);
    if (found === null) return null; // still queued (the widget asks as the comment is sent): nothing to say yet
    const author = found.siteId === site.id ? authorOfComment(found) : null;
    if (author === null) throw AppError.of('NOT_YOUR_COMMENT');
    return { siteId: site.id, authorKey: toAuthorKey(author) };
  }

  router.post('/api/warnings', parseJson, async (req: Request, res: Response) => {
    const who = await authorOf(req);
    const warnings = who === null ? [] : await listUnseenWarnings(db, who.siteId, who.authorKey);
    res.set('Cache-Control', 'no-store').json({
      warnings: warnings.map((w) => ({ id: String(w.id), message: w.message, createdAt: w.createdAt.toISOString() })),
    });
  });

  router.post('/api/warnings/:id/seen', parseJson, async (req: Request, res: Response) => {
    const who = await authorOf(req);
    const id = Number(req.params.id);
    const seen =
      who !== null &&
      Number.isSafeInteger(id) &&
      id > 0 &&
      (await markWarningSeen(db, { ...who, id, now: new Date() }));
    if (!seen) throw AppError.of('NOT_FOUND', { message: 'No such warning of yours.', field: 'id' });
    res.set('Cache-Control', 'no-store').json({ id: String(id), seen: true });
  });

  return router;
}
