import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { findDeskReader, setReaderTrust } from '../../../store/readers/reader-trust.js';
import { actorOf, currentModerator, wantsJson } from '../moderator-session.js';
import { backTo } from './moderator-routes.js';

/** Trust and untrust a signed-in reader from their card or the Bans page (readers.trusted, audited). */
export function createReaderRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const setTrust = (trusted: boolean) => async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    // A reader of another site answers as one that is not there would not: 403, as for a comment.
    const found = /^[1-9][0-9]{0,17}$/.test(id) ? await findDeskReader(db, Number(id)) : null;
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

  return router;
}
