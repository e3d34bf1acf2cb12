import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SiteRole } from '../../../../auth/site-roles.js';
import { html } from '../../../../html/html.js';
import type { EmailQueue } from '../../../../queue/email-queue.js';
import { createInvite, INVITE_HOURS, revokeInvite } from '../../../../store/accounts/invites.js';
import type { Pool } from '../../../../store/db.js';
import { listSites } from '../../../../store/sites.js';
import { formText } from '../../../kit/form-values.js';
import { renderAdminPage } from '../../admin-layout.js';
import { csrfTokenOf, currentModerator } from '../../moderator-session.js';
import { formSiteRoles, renderRoleFields } from './site-roles-form.js';

interface InviteForm {
  email: string;
  displayName: string;
  role: string;
  siteRoles: Record<string, SiteRole>;
}

/**
 * Invites at /admin/moderators/invite (admins; under the admin door's /moderators). The invite is
 * stored and audited (src/store/accounts/invites.ts) and its mail queued; the mail worker mints the
 * single-use link as it sends it. Without mail (no SMTP_URL) there is no way to deliver a link, so the
 * page says so and invites nothing.
 */
export function createInviteRoutes(deps: { db: Pool; emailQueue?: EmailQueue }): Router {
  const { db } = deps;
  const router = Router();

  const show = async (req: Request, res: Response, status: number, form: InviteForm, error: string | null) => {
    const m = currentModerator(res);
    const csrf = csrfTokenOf(req);
    const sites = await listSites(db);
    res
      .status(status)
      .type('html')
      .send(
        renderAdminPage(
          'Invite',
          { moderator: m, csrfToken: csrf, section: 'moderators' },
          html`<p><a href="/admin/moderators">← Moderators</a></p>
            <h1>Invite someone</h1>
            ${error ? html`<p class="rd-notice rd-notice-error" role="alert">${error}</p>` : ''}
            ${
              deps.emailQueue
                ? ''
                : html`<p class="rd-notice rd-notice-error">Mail is not set up (SMTP_URL): invites cannot be sent. Use <code>reply-desk moderator add</code>.</p>`
            }
            <p>They get a mail with a link to choose their password. It works once, for ${String(INVITE_HOURS)} hours; a new invite to the same address replaces it.</p>
            <form class="rd-form" method="post" action="/admin/moderators/invite">
              <input type="hidden" name="_csrf" value="${csrf}" />
              <div class="rd-field">
                <label for="i-email">Email</label>
                <input id="i-email" name="email" type="email" required maxlength="254" value="${form.email}" />
              </div>
              ${renderRoleFields({ idPrefix: 'i', ...form, sites })}
              <p><button type="submit">Send invite</button></p>
            </form>`,
        ),
      );
  };

  router.get('/moderators/invite', (req: Request, res: Response) =>
    show(req, res, 200, { email: '', displayName: '', role: 'moderator', siteRoles: {} }, null),
  );

  router.post('/moderators/invite', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const form: InviteForm = {
      email: formText(req, 'email').trim().toLowerCase(),
      displayName: formText(req, 'displayName').trim(),
      role: formText(req, 'role'),
      siteRoles: formSiteRoles(req),
    };
    if (!deps.emailQueue) return show(req, res, 503, form, 'Mail is not set up (SMTP_URL): the invite cannot be sent.');
    if (!z.email().safeParse(form.email).success || form.email.length > 254)
      return show(req, res, 422, form, 'Type the email address to send the invite to.');
    if (form.displayName.length < 1 || form.displayName.length > 100)
      return show(req, res, 422, form, 'The name must be 1 to 100 characters.');
    if (form.role !== 'admin' && form.role !== 'moderator') return show(req, res, 422, form, 'Choose a role.');
    if (form.role === 'moderator' && Object.keys(form.siteRoles).length === 0)
      return show(req, res, 422, form, 'Choose at least one site and their role on it.');
    const outcome = await createInvite(
      db,
      {
        email: form.email,
        displayName: form.displayName,
        role: form.role,
        siteRoles: form.role === 'admin' ? {} : form.siteRoles,
      },
      { id: m.id, label: m.email },
    );
    if (!outcome.ok)
      return show(
        req,
        res,
        422,
        form,
        outcome.problem === 'ACCOUNT_EXISTS'
          ? 'That address already has an account: change it on its page instead.'
          : 'One of the sites no longer exists.',
      );
    await deps.emailQueue.add('invite', { inviteId: outcome.id }, { jobId: `invite-${outcome.id}` });
    res.redirect(
      303,
      `/admin/moderators?notice=${encodeURIComponent(`Invite sent to ${form.email}; the link works for ${String(INVITE_HOURS)} hours.`)}`,
    );
  });

  router.post('/moderators/invites/:id/revoke', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const revoked = await revokeInvite(db, String(req.params.id), { id: m.id, label: m.email });
    const notice = revoked ? 'Invite taken back: its link no longer works.' : 'That invite was no longer open.';
    res.redirect(303, `/admin/moderators?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
