import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../../errors.js';
import { removeTwoFactor } from '../../../../store/accounts/two-factor.js';
import type { Pool } from '../../../../store/db.js';
import { loadModerator } from '../../../../store/moderators.js';
import { currentModerator } from '../../moderator-session.js';

/**
 * An admin resets an account's two-factor sign-in (a lost phone and lost recovery codes): its secret
 * and codes are deleted, audited as `two_factor_disable` with `reset: true`. They then sign in with
 * the password alone, and where a site of theirs requires two-factor, must enrol again at once.
 */
export function createTwoFactorResetRoutes(deps: { db: Pool }): Router {
  const router = Router();
  router.post('/moderators/:id/two-factor/reset', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = Number(req.params.id);
    const account = Number.isSafeInteger(id) && id > 0 ? await loadModerator(deps.db, id) : null;
    if (!account) throw AppError.of('NOT_FOUND', { message: 'No such account.' });
    const reset = await removeTwoFactor(deps.db, account.id, account.email, { id: m.id, label: m.email });
    const notice = reset
      ? 'Two-factor reset: they sign in with their password and enrol again.'
      : 'Two-factor was off.';
    res.redirect(303, `/admin/moderators/${String(account.id)}?notice=${encodeURIComponent(notice)}`);
  });
  return router;
}
