import { Router, type Request, type Response } from 'express';
import type { SessionList } from '../../../auth/session-list.js';
import { html } from '../../../html/html.js';
import { bumpSessionGeneration, recordAccountEvent } from '../../../store/accounts/account-events.js';
import type { Pool } from '../../../store/db.js';
import { queryText } from '../../kit/query-values.js';
import { renderAdminPage } from '../admin-layout.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { saveSession } from '../sign-in-session.js';

/**
 * One's own sessions at /admin/me/sessions: where the account is signed in (when, which browser, from
 * where), with "sign out everywhere else" and "end" for one. Signing out everywhere moves the session
 * generation on (sql/0018), so every other session ends at its next request on every API process, also
 * one the list cannot name (signed in before the list existed); this session moves to the new
 * generation and stays. Both are audited (`sessions_end`, `session_end`).
 */
export function createSessionRoutes(deps: { db: Pool; sessions: SessionList }): Router {
  const { db, sessions } = deps;
  const router = Router();

  router.get('/me/sessions', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const list = await sessions.list(m.id, m.sessionGeneration, req.sessionID);
    const csrf = csrfTokenOf(req);
    const notice = queryText(req, 'notice');
    res.type('html').send(
      renderAdminPage(
        'My sessions',
        { moderator: m, csrfToken: csrf, section: 'me' },
        html`<p><a href="/admin/me">← My settings</a></p>
          <h1>My sessions</h1>
          ${notice ? html`<p class="rd-notice" role="status">${notice}</p>` : ''}
          <table class="rd-table rd-sessions">
            <thead>
              <tr>
                <th scope="col">Signed in</th>
                <th scope="col">Browser</th>
                <th scope="col">Address</th>
                <th scope="col"></th>
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (s) =>
                  html`<tr data-session="${s.handle}">
                    <td>${s.signedInAt ? `${s.signedInAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—'}</td>
                    <td>${s.userAgent || '—'}</td>
                    <td>${s.ip || '—'}</td>
                    <td>
                      ${
                        s.current
                          ? html`<b>this session</b>`
                          : html`<form method="post" action="/admin/me/sessions/${s.handle}/end">
                            <input type="hidden" name="_csrf" value="${csrf}" /><button type="submit">End</button>
                          </form>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
          <form class="rd-form" method="post" action="/admin/me/sessions/end-others">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <p>
              <button type="submit">Sign out everywhere else</button>
              <small>Every other browser and device signed in as ${m.email} is signed out at its next click.</small>
            </p>
          </form>`,
      ),
    );
  });

  router.post('/me/sessions/end-others', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    req.session.generation = await bumpSessionGeneration(db, m.id);
    await saveSession(req);
    const ended = await sessions.endOthers(m.id, req.sessionID);
    await recordAccountEvent(db, { id: m.id, label: m.email }, 'sessions_end', { email: m.email, listed: ended });
    res.redirect(303, `/admin/me/sessions?notice=${encodeURIComponent('Signed out everywhere else.')}`);
  });

  router.post('/me/sessions/:handle/end', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const handle = String(req.params.handle);
    const ended = /^[0-9a-f]{16}$/.test(handle) && (await sessions.end(m.id, handle, req.sessionID));
    if (ended) await recordAccountEvent(db, { id: m.id, label: m.email }, 'session_end', { email: m.email });
    const notice = ended ? 'That session is signed out.' : 'That session had already ended.';
    res.redirect(303, `/admin/me/sessions?notice=${encodeURIComponent(notice)}`);
  });

  return router;
}
