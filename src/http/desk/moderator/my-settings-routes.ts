import { Router, type Request, type Response } from 'express';
import type { Pool } from '../../../store/db.js';
import { loadNotifyHeld, saveNotifyHeld } from '../../../store/mail-notices.js';
import { renderAdminPage } from '../admin-layout.js';
import { html } from '../../../html/html.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';

/** "My settings" at /admin/me: what a moderator chooses for themselves (for now, held-comment mails). */
export function createMySettingsRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  router.get('/me', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const on = await loadNotifyHeld(db, m.id);
    const notice = typeof req.query.notice === 'string' ? req.query.notice : null;
    const ctx = { moderator: m, csrfToken: csrfTokenOf(req), section: 'me' as const };
    res.type('html').send(
      renderAdminPage(
        'My settings',
        ctx,
        html`<h1>My settings</h1>
${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
<form class="rd-form" method="post" action="/admin/me">
<input type="hidden" name="_csrf" value="${ctx.csrfToken}">
<div class="rd-field"><label><input type="checkbox" name="notifyHeld" value="1"${on ? html` checked` : ''}> Mail me about held comments</label>
<small>Sent to ${m.email}: the first within about a minute, then at most one digest every few minutes listing all held since, with
one-click approve, reject and spam links (they ask to confirm, work once, and expire). Needs SMTP to be configured.</small></div>
<p><button type="submit">Save</button></p>
</form>`,
      ),
    );
  });

  router.post('/me', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const on = (req.body as Record<string, unknown> | undefined)?.notifyHeld !== undefined;
    await saveNotifyHeld(db, m.id, on);
    res.redirect(
      303,
      `/admin/me?notice=${encodeURIComponent(on ? 'Held-comment mails are on.' : 'Held-comment mails are off.')}`,
    );
  });

  return router;
}
