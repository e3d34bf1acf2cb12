import { Router, type Request, type Response } from 'express';
import { AVATAR_HASH, renderIdenticonSvg } from '../../domain/identicon.js';
import { AppError } from '../../errors.js';

/**
 * GET /avatars/<hash>.svg — the identicon the thread's `author.avatar` names (src/domain/avatar-url.ts).
 * Drawn from the hash alone, so it needs no database and never changes: cached for a year, immutable.
 * Any well-formed hash answers (a picture for a hash nobody has tells nobody anything); anything else
 * is a 404. Outside /api: an <img> needs no CORS.
 */
export function createAvatarRoutes(): Router {
  const router = Router();
  router.get('/avatars/:file', (req: Request, res: Response) => {
    const match = /^([0-9a-f]+)\.svg$/.exec(String(req.params.file));
    const hash = match?.[1];
    if (hash === undefined || !AVATAR_HASH.test(hash))
      throw AppError.of('NOT_FOUND', { message: 'No such avatar.', field: 'hash' });
    res
      .set('Cache-Control', 'public, max-age=31536000, immutable')
      .type('image/svg+xml')
      .send(renderIdenticonSvg(hash));
  });
  return router;
}
