import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../../errors.js';
import { readChatTargetInput } from '../../../../notify/chat-target-input.js';
import type { Pool } from '../../../../store/db.js';
import {
  deleteChatTarget,
  insertChatTarget,
  listChatTargets,
  type ChatTarget,
} from '../../../../store/notify/chat-targets.js';
import { loadSite } from '../../../../store/sites.js';
import { queryText } from '../../../kit/query-values.js';
import { actorOf, csrfTokenOf, currentModerator } from '../../moderator-session.js';
import { emptyChatTargetForm, renderChatTargetsPage, type ChatTargetFormValues } from './chat-target-page.js';

/** A target as the API shows it (all of it: the API is admins' only, like the page). */
function toJson(t: ChatTarget) {
  return {
    id: t.id,
    site: t.siteId,
    service: t.service,
    url: t.url,
    events: t.events,
    heldEveryMinutes: t.heldEveryMinutes,
    description: t.description,
    lastResult: t.lastResult,
    lastStatusCode: t.lastStatusCode,
    lastError: t.lastError,
    lastAt: t.lastAt?.toISOString() ?? null,
    createdAt: t.createdAt.toISOString(),
  };
}

function targetIdOf(req: Request): number {
  const id = Number(req.params.targetId);
  if (!Number.isSafeInteger(id) || id < 1) throw AppError.of('NOT_FOUND', { message: 'No such chat target.' });
  return id;
}

/**
 * A site's chat targets (Slack, Teams, Mattermost; issue 16, item 7), admins only: the page at
 * /admin/sites/:id/chat (under /sites, admin-door.ts) and the JSON API at
 * /admin/api/sites/:id/chat-targets (under /api/sites), session and CSRF (X-CSRF-Token) as every desk
 * call. Every change is audited (src/store/notify/chat-targets.ts), without the URL.
 */
export function createChatTargetRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const siteOf = async (req: Request): Promise<{ id: string; name: string }> => {
    const site = await loadSite(db, String(req.params.id));
    if (site === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    return site;
  };
  const pathOf = (siteId: string): string => `/admin/sites/${encodeURIComponent(siteId)}/chat`;
  const body = (req: Request): Record<string, unknown> => (req.body as Record<string, unknown> | undefined) ?? {};

  const page = async (
    req: Request,
    res: Response,
    site: { id: string; name: string },
    values: ChatTargetFormValues,
    error: string | null,
    status = 200,
  ): Promise<void> => {
    res
      .status(status)
      // The URLs are the channels' keys: no cache keeps them.
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderChatTargetsPage({
          ctx: { moderator: currentModerator(res), csrfToken: csrfTokenOf(req), section: 'sites' },
          siteId: site.id,
          siteName: site.name,
          targets: await listChatTargets(db, site.id),
          values,
          notice: queryText(req, 'notice'),
          error,
        }),
      );
  };

  router.get('/sites/:id/chat', async (req: Request, res: Response) => {
    await page(req, res, await siteOf(req), emptyChatTargetForm, null);
  });

  router.post('/sites/:id/chat', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const raw = body(req);
    const read = readChatTargetInput(raw, site.id);
    if (!read.ok) {
      const events = raw.events;
      const values: ChatTargetFormValues = {
        service: typeof raw.service === 'string' ? raw.service : '',
        url: typeof raw.url === 'string' ? raw.url : '',
        events: (Array.isArray(events) ? events : [events]).filter((e): e is string => typeof e === 'string'),
        heldEveryMinutes: typeof raw.heldEveryMinutes === 'string' ? raw.heldEveryMinutes : '',
        description: typeof raw.description === 'string' ? raw.description : '',
      };
      return page(req, res, site, values, read.problem.message, 422);
    }
    await insertChatTarget(db, read.target, actorOf(currentModerator(res)));
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent('Chat target added.')}`);
  });

  router.post('/sites/:id/chat/:targetId/delete', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    if (!(await deleteChatTarget(db, site.id, targetIdOf(req), actorOf(currentModerator(res)))))
      throw AppError.of('NOT_FOUND', { message: 'No such chat target.' });
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent('Chat target removed.')}`);
  });

  router.get('/api/sites/:id/chat-targets', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    res.json({ targets: (await listChatTargets(db, site.id)).map(toJson) });
  });

  router.post('/api/sites/:id/chat-targets', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const read = readChatTargetInput(body(req), site.id);
    if (!read.ok)
      throw AppError.of('INVALID_CHAT_TARGET', { message: read.problem.message, field: read.problem.field });
    const created = await insertChatTarget(db, read.target, actorOf(currentModerator(res)));
    res.status(201).json(toJson(created));
  });

  router.delete('/api/sites/:id/chat-targets/:targetId', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    if (!(await deleteChatTarget(db, site.id, targetIdOf(req), actorOf(currentModerator(res)))))
      throw AppError.of('NOT_FOUND', { message: 'No such chat target.' });
    res.status(204).end();
  });

  return router;
}
