import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../errors.js';
import type { Pool } from '../../../store/db.js';
import { listSites } from '../../../store/sites.js';
import {
  deleteSubscription,
  insertSubscription,
  listDeliveryAttempts,
  listSubscriptions,
  loadSubscription,
  rotateSubscriptionSecret,
  updateSubscription,
  type WebhookSubscription,
} from '../../../store/webhooks.js';
import { subscribableEventTypes, type SubscribableEventType } from '../../../webhooks/comment-events.js';
import { newWebhookSecret } from '../../../webhooks/webhook-signature.js';
import { checkWebhookUrl } from '../../../webhooks/webhook-target.js';
import { actorOf, csrfTokenOf, currentModerator } from '../moderator-session.js';
import { formValue as field, formText as text } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { renderWebhookPage, renderWebhooksPage, type WebhookFormValues } from './webhook-pages.js';

const PAGE_SIZE = 50;

/** Reads the form (an allow-list of fields) and says what is wrong with it, if anything. */
export function readWebhookForm(req: Request): { values: WebhookFormValues; error: string | null } {
  const raw = field(req, 'events');
  const events = (Array.isArray(raw) ? raw : [raw]).filter((e): e is SubscribableEventType =>
    subscribableEventTypes.includes(e as SubscribableEventType),
  );
  const values: WebhookFormValues = {
    siteId: text(req, 'site'),
    url: text(req, 'url'),
    events: [...new Set(events)],
    active: text(req, 'active') !== '',
    description: text(req, 'description').slice(0, 200),
  };
  const error = checkWebhookUrl(values.url) ?? (values.events.length === 0 ? 'Choose at least one event.' : null);
  return { values, error };
}

function toValues(s: WebhookSubscription): WebhookFormValues {
  return { siteId: s.siteId, url: s.url, events: s.events, active: s.active, description: s.description };
}

function idOf(req: Request): number {
  const id = Number(req.params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw AppError.of('NOT_FOUND', { message: 'No such webhook.' });
  return id;
}

/** Webhook subscriptions and their delivery logs at /admin/webhooks: admins only. */
export function createWebhookRoutes(deps: { db: Pool }): Router {
  const { db } = deps;
  const router = Router();

  const listPage = async (
    req: Request,
    res: Response,
    values: WebhookFormValues,
    error: string | null,
    status = 200,
  ): Promise<void> => {
    const m = currentModerator(res);
    const [sites, subscriptions] = await Promise.all([listSites(db), listSubscriptions(db)]);
    res
      .status(status)
      .type('html')
      .send(
        renderWebhooksPage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'webhooks' },
          sites,
          subscriptions,
          values,
          notice: queryText(req, 'notice'),
          error,
        }),
      );
  };

  const detailPage = async (
    req: Request,
    res: Response,
    s: WebhookSubscription,
    values: WebhookFormValues,
    error: string | null,
    status = 200,
  ): Promise<void> => {
    const m = currentModerator(res);
    const beforeParam = queryText(req, 'before');
    const before = beforeParam !== null && /^\d{1,15}$/.test(beforeParam) ? Number(beforeParam) : null;
    const attempts = await listDeliveryAttempts(db, s.id, { before, limit: PAGE_SIZE + 1 });
    const shown = attempts.slice(0, PAGE_SIZE);
    res
      .status(status)
      .type('html')
      .send(
        renderWebhookPage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'webhooks' },
          subscription: s,
          values,
          attempts: shown,
          olderThan: attempts.length > PAGE_SIZE ? (shown[shown.length - 1]?.id ?? null) : null,
          notice: queryText(req, 'notice'),
          error,
          now: new Date(),
        }),
      );
  };

  const load = async (req: Request): Promise<WebhookSubscription> => {
    const s = await loadSubscription(db, idOf(req));
    if (s === null) throw AppError.of('NOT_FOUND', { message: 'No such webhook.' });
    return s;
  };

  router.get('/webhooks', async (req: Request, res: Response) => {
    await listPage(
      req,
      res,
      { siteId: '', url: '', events: ['comment.approved'], active: true, description: '' },
      null,
    );
  });

  router.post('/webhooks', async (req: Request, res: Response) => {
    const { values, error } = readWebhookForm(req);
    const sites = await listSites(db);
    const problem = error ?? (sites.some((s) => s.id === values.siteId) ? null : 'Choose a site.');
    if (problem !== null) return listPage(req, res, values, problem, 422);
    const created = await insertSubscription(db, values, newWebhookSecret(), actorOf(currentModerator(res)));
    res.redirect(
      303,
      `/admin/webhooks/${created.id}?notice=${encodeURIComponent('Webhook added. Give the signing secret below to the receiver.')}`,
    );
  });

  router.get('/webhooks/:id', async (req: Request, res: Response) => {
    const s = await load(req);
    await detailPage(req, res, s, toValues(s), null);
  });

  router.post('/webhooks/:id', async (req: Request, res: Response) => {
    const s = await load(req);
    const { values, error } = readWebhookForm(req);
    if (error !== null) return detailPage(req, res, s, { ...values, siteId: s.siteId }, error, 422);
    await updateSubscription(db, s.id, values, actorOf(currentModerator(res)));
    res.redirect(303, `/admin/webhooks/${s.id}?notice=${encodeURIComponent('Saved.')}`);
  });

  router.post('/webhooks/:id/rotate', async (req: Request, res: Response) => {
    const s = await load(req);
    const raw = text(req, 'graceHours');
    const hours = raw === '' ? 24 : Number(raw);
    if (!Number.isInteger(hours) || hours < 0 || hours > 168)
      return detailPage(req, res, s, toValues(s), 'Keep the old secret for 0 to 168 hours.', 422);
    await rotateSubscriptionSecret(db, s.id, newWebhookSecret(), hours * 3600, actorOf(currentModerator(res)));
    const notice =
      hours > 0
        ? `New secret made; the old one stays valid for ${hours} hour(s).`
        : 'New secret made; the old one no longer works.';
    res.redirect(303, `/admin/webhooks/${s.id}?notice=${encodeURIComponent(notice)}`);
  });

  router.post('/webhooks/:id/delete', async (req: Request, res: Response) => {
    const id = idOf(req);
    if (!(await deleteSubscription(db, id, actorOf(currentModerator(res)))))
      throw AppError.of('NOT_FOUND', { message: 'No such webhook.' });
    res.redirect(303, `/admin/webhooks?notice=${encodeURIComponent('Webhook deleted.')}`);
  });

  return router;
}
