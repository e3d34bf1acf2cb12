import { Router, type Request, type Response } from 'express';
import { weakPasswordReason } from '../../../auth/password-rules.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../../auth/passwords.js';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import {
  changeModeratorAccount,
  removeModeratorAccount,
  type AccountChange,
  type AccountResult,
} from '../../../store/moderator-accounts.js';
import { listOpenInvites } from '../../../store/accounts/invites.js';
import { listModerators, loadModerator } from '../../../store/moderators.js';
import { listSites } from '../../../store/sites.js';
import { formText, rawFormText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { formSiteRoles } from './accounts/site-roles-form.js';
import { renderModeratorPage, renderModeratorsPage } from './moderators-page.js';

const problemText: Record<Exclude<AccountResult, { ok: true }>['problem'], string> = {
  LAST_ADMIN:
    'This is the last enabled admin: it cannot be disabled, removed or made a moderator. Make another account an admin first.',
  NO_SUCH_SITE: 'One of the sites no longer exists.',
  NO_SUCH_MODERATOR: 'No such account.',
};

/**
 * Accounts at /admin/moderators (admins: the door applies requireAdmin). Every change goes through the
 * account store, which keeps the last admin, ends sessions and writes the audit event.
 */
export function createModeratorsRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const accountOf = async (req: Request) => {
    const id = Number(req.params.id);
    const account = Number.isSafeInteger(id) && id > 0 ? await loadModerator(db, id) : null;
    if (!account) throw AppError.of('NOT_FOUND', { message: 'No such account.' });
    return account;
  };

  const showAccount = async (req: Request, res: Response, status: number, error: string | null) => {
    const m = currentModerator(res);
    res
      .status(status)
      .type('html')
      .send(
        renderModeratorPage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'moderators' },
          account: await accountOf(req),
          sites: await listSites(db),
          notice: status === 200 ? queryText(req, 'notice') : null,
          error,
        }),
      );
  };

  /** Applies a change; the account's page again with a notice, or with the problem (422). */
  const apply = async (req: Request, res: Response, change: AccountChange, notice: string) => {
    const m = currentModerator(res);
    const account = await accountOf(req);
    const result = await changeModeratorAccount(db, account.id, change, { id: m.id, label: m.email });
    if (!result.ok) return showAccount(req, res, 422, problemText[result.problem]);
    res.redirect(303, `/admin/moderators/${String(account.id)}?notice=${encodeURIComponent(notice)}`);
  };

  router.get('/moderators', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    res.type('html').send(
      renderModeratorsPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'moderators' },
        moderators: await listModerators(db),
        notice: queryText(req, 'notice'),
        invites: await listOpenInvites(db),
      }),
    );
  });

  router.get('/moderators/:id', (req: Request, res: Response) => showAccount(req, res, 200, null));

  router.post('/moderators/:id', async (req: Request, res: Response) => {
    const role = formText(req, 'role');
    const displayName = formText(req, 'displayName').trim();
    if (role !== 'admin' && role !== 'moderator') return showAccount(req, res, 422, 'Choose a role.');
    if (displayName.length < 1 || displayName.length > 100)
      return showAccount(req, res, 422, 'The name must be 1 to 100 characters.');
    // An admin acts on every site: their own list is kept empty, so a later demotion starts from none.
    const siteRoles = role === 'admin' ? {} : formSiteRoles(req);
    await apply(req, res, { role, displayName, siteRoles }, 'Saved.');
  });

  router.post('/moderators/:id/password', async (req: Request, res: Response) => {
    const password = rawFormText(req, 'password');
    if (password.length < MIN_PASSWORD_LENGTH)
      return showAccount(req, res, 422, `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
    const account = await accountOf(req);
    const weak = weakPasswordReason(password, { email: account.email, name: account.displayName });
    if (weak) return showAccount(req, res, 422, weak);
    await apply(
      req,
      res,
      { passwordHash: await hashPassword(password) },
      'New password set; their sessions are signed out.',
    );
  });

  router.post('/moderators/:id/disable', (req: Request, res: Response) =>
    apply(req, res, { disabled: true }, 'Disabled: signed out, mail links stopped, cannot sign in.'),
  );
  router.post('/moderators/:id/enable', (req: Request, res: Response) =>
    apply(req, res, { disabled: false }, 'Enabled: they can sign in again.'),
  );

  router.post('/moderators/:id/remove', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const account = await accountOf(req);
    if (formText(req, 'confirm').trim().toLowerCase() !== account.email)
      return showAccount(req, res, 422, 'Type the account’s email to confirm removing it.');
    const result = await removeModeratorAccount(db, account.id, { id: m.id, label: m.email });
    if (!result.ok) return showAccount(req, res, 422, problemText[result.problem]);
    res.redirect(303, `/admin/moderators?notice=${encodeURIComponent(`Removed ${account.email}.`)}`);
  });

  return router;
}
