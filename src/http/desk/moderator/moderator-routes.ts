import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { isUuid } from '../../../domain/comment-fields.js';
import { byteLength, fieldLimits } from '../../../domain/field-limits.js';
import { AppError } from '../../../errors.js';
import type { SurgeReader } from '../../../flood/surge-state.js';
import type { ActivePageSurge } from '../../../flood/page-surge-tracker.js';
import { loadPageNames } from '../../../store/notify/desk-notice-facts.js';
import type { PageSurgeBanner } from './queue-page.js';
import type { TrainingQueue } from '../../../queue/training-queue.js';
import type { CommentEventsQueue } from '../../../queue/comment-events-queue.js';
import {
  banAuthor,
  listBans,
  listTrustedAuthors,
  toBanValue,
  trustAuthor,
  unbanAuthor,
  untrustAuthor,
  type BanKind,
} from '../../../store/author-rules.js';
import { editCommentBody } from '../../../store/comment-edits.js';
import { findDeskReader, listTrustedReaders } from '../../../store/readers/reader-trust.js';
import type { Pool } from '../../../store/db.js';
import {
  changeStatus,
  findLastUndoableBatch,
  inTransaction,
  loadBatchOwners,
  loadCommentSites,
  statusActions,
  statusAfter,
  undoBatch,
  type StatusAction,
} from '../../../store/moderation-actions.js';
import {
  countTabs,
  countView,
  listQueue,
  queueTabs,
  type QueueFilter,
  type QueueTab,
} from '../../../store/moderation-queue.js';
import type { Moderator } from '../../../store/moderators.js';
import { listSites } from '../../../store/sites.js';
import type { StatusChangeAnswer, UndoAnswer } from '../../../http-contract/desk-contract.js';
import { createStatusChanges } from '../../../moderation/status-changes.js';
import type { AnnounceThread } from '../../../queue/live-threads.js';
import { renderBansPage } from './bans-page.js';
import { actorOf, csrfTokenOf, currentModerator, wantsJson } from '../moderator-session.js';
import { formText as bodyText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { renderQueuePage } from './queue-page.js';
import { expectedWait } from '../../../domain/pages/expected-wait.js';
import { countRecentDecisions } from '../../../store/pages/decision-rate.js';
import { decodeCursor, encodeCursor } from '../../kit/thread-cursor.js';
import { isReasonedAction } from '../../../domain/decisions/decision-reasons.js';
import { decideWithReason } from '../../../store/authors/comment-decisions.js';
import { countOpenAppeals } from '../../../store/authors/appeals.js';
import { readDecisionReason } from './profiles/decision-input.js';

const PAGE_SIZE = 25;

/** Reads the queue filter from a query string; unknown values fall back to defaults. */
export function readQueueFilter(get: (name: string) => string | null, siteIds: string[]): QueueFilter {
  const tab = get('tab');
  const site = get('site');
  return {
    tab: queueTabs.includes(tab as QueueTab) ? (tab as QueueTab) : 'pending',
    siteIds,
    site: site !== null && siteIds.includes(site) ? site : null,
    page: get('page'),
    reason: get('reason'),
    q: get('q'),
    order: get('order') === 'newest' ? 'newest' : 'oldest',
  };
}

/** Back to where the moderator was (a dashboard page), else the queue. */
export function backTo(req: Request, notice?: string): string {
  const referer = req.get('referer');
  let target = '/admin';
  if (referer) {
    try {
      const u = new URL(referer);
      if (u.host === req.get('host') && u.pathname.startsWith('/admin')) target = `${u.pathname}${u.search}`;
    } catch {
      // not a URL: stay with the queue
    }
  }
  if (!notice) return target;
  const u = new URL(target, 'http://x');
  u.searchParams.set('notice', notice);
  u.searchParams.delete('cursor');
  return `${u.pathname}${u.search}`;
}

/** An admin undoes any batch; a moderator only one they made, all of it on sites they moderate now. */
export function mayUndoBatch(m: Moderator, owners: { actorIds: (number | null)[]; siteIds: string[] }): boolean {
  if (m.role === 'admin') return true;
  return owners.actorIds.every((id) => id === m.id) && owners.siteIds.every((s) => m.siteIds.includes(s));
}

/** The pages under a brigade, named for the banner (a page deleted meanwhile is left out). */
async function loadPageSurgeBanners(
  db: Pool,
  list: (siteIds: readonly string[]) => Promise<ActivePageSurge[]>,
  siteIds: readonly string[],
): Promise<PageSurgeBanner[]> {
  const active = await list(siteIds);
  const names = await loadPageNames(
    db,
    active.map((a) => a.pageId),
  );
  return active.flatMap((a) => {
    const p = names.get(a.pageId);
    return p ? [{ ...a, ...p }] : [];
  });
}

/** The moderator's queue, single-comment actions, undo, edits, bans and trusted authors. */
export function createModeratorRoutes(deps: {
  db: Pool;
  training?: TrainingQueue;
  logger: Logger;
  events?: CommentEventsQueue;
  /** Readers' live threads: what moderators publish or take down; left out, nobody is told. */
  thread?: AnnounceThread;
  surge?: SurgeReader;
  /** Pages under a brigade now (src/flood/page-surge-tracker.ts), for their banner; left out, none. */
  pageSurges?: (siteIds: readonly string[]) => Promise<ActivePageSurge[]>;
}): Router {
  const { db } = deps;
  // After the change has committed: learn, announce (src/moderation/status-changes.ts); never fails the request.
  const after = createStatusChanges({
    logger: deps.logger,
    training: deps.training,
    events: deps.events,
    thread: deps.thread,
  });
  const router = Router();

  router.get('/', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const filter = readQueueFilter((n) => queryText(req, n), m.siteIds);
    const cursorParam = queryText(req, 'cursor');
    const cursor = cursorParam === null ? null : decodeCursor(cursorParam);
    // The tab counts already narrow by site; a page, reason or search narrows further.
    const narrowed = filter.page !== null || filter.reason !== null || filter.q !== null;
    const [counts, page, sites, viewCount, surges, pageSurges, appeals, decided] = await Promise.all([
      countTabs(db, m.siteIds, filter.site),
      listQueue(db, filter, cursor, PAGE_SIZE),
      listSites(db),
      narrowed ? countView(db, filter) : null,
      // The surge banner is a hint: a Redis hiccup must not cost the moderator the queue.
      deps.surge?.list(m.siteIds).catch(() => []) ?? [],
      // So are the brigade banners (issue 16): one per page under one.
      deps.pageSurges ? loadPageSurgeBanners(db, deps.pageSurges, m.siteIds).catch(() => []) : [],
      countOpenAppeals(db, m.siteIds),
      // The expected wait (issue 16): the pace of the last hour's decisions.
      countRecentDecisions(db, { siteIds: m.siteIds, site: filter.site, now: new Date() }),
    ]);
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderQueuePage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'queue' },
          filter,
          counts,
          viewCount: viewCount ?? counts[filter.tab],
          cards: page.cards,
          nextCursor: page.next ? encodeCursor(page.next) : null,
          sites: sites.filter((s) => m.siteIds.includes(s.id)),
          notice: queryText(req, 'notice'),
          surges,
          pageSurges,
          appeals,
          wait: expectedWait(counts.pending, decided),
        }),
      );
  });

  router.post('/comments/:id/status', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    const action = bodyText(req, 'action') as StatusAction;
    if (!statusActions.includes(action)) throw AppError.of('INVALID_ACTION', { field: 'action' });
    if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
    const site = (await loadCommentSites(db, [id])).get(id);
    if (site === undefined) throw AppError.of('NOT_FOUND', { message: 'No such comment.' });
    if (!m.siteIds.includes(site))
      throw AppError.of('FORBIDDEN', { message: 'This comment belongs to a site you do not moderate.' });
    const batchId = randomUUID();
    // A reject or spam may carry a reason from the site's list for the commenter (issue 16, item 5).
    const reason = isReasonedAction(action) ? await readDecisionReason(db, req, site) : null;
    const changed =
      reason !== null && isReasonedAction(action)
        ? await decideWithReason(db, { commentId: id, action, ...reason, actor: actorOf(m), batchId })
        : await changeStatus(db, { ids: [id], action, toStatus: statusAfter[action], actor: actorOf(m), batchId });
    await after.changed(changed, 'decision');
    if (wantsJson(req)) {
      res.json({ id, status: statusAfter[action], changed: changed.length, batchId } satisfies StatusChangeAnswer);
      return;
    }
    res.redirect(303, backTo(req));
  });

  router.post('/comments/:id/edit', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const id = String(req.params.id);
    const body = bodyText(req, 'body');
    if (body === '')
      throw AppError.of('REQUIRED', { status: 422, message: 'The text cannot be empty.', field: 'body' });
    if (byteLength(body) > fieldLimits.body)
      throw AppError.of('TOO_LONG', { status: 422, message: 'The text is too long.', field: 'body' });
    if (!isUuid(id) || !(await editCommentBody(db, { id, body, actor: actorOf(m) }))) {
      throw AppError.of('NOT_FOUND', { message: 'No such comment on your sites.' });
    }
    if (wantsJson(req)) res.json({ id, edited: true });
    else res.redirect(303, backTo(req, 'Edit saved.'));
  });

  router.post('/undo', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const requested = bodyText(req, 'batch');
    const batchId = requested !== '' ? requested : await findLastUndoableBatch(db, actorOf(m));
    if (batchId === null || !isUuid(batchId)) throw AppError.of('NOTHING_TO_UNDO');
    // A moderator undoes only their own batches, and only on sites they moderate; an admin any. Checked
    // before undoBatch, which would otherwise mark someone else's batch undone even with nothing restored.
    const owners = await loadBatchOwners(db, batchId);
    if (owners === null) throw AppError.of('NOTHING_TO_UNDO');
    if (!mayUndoBatch(m, owners)) throw AppError.of('NOT_YOURS');
    const { restored } = await undoBatch(db, batchId, actorOf(m));
    await after.changed(restored, 'decision');
    if (wantsJson(req)) {
      res.json({
        undone: batchId,
        restored: restored.map((r) => ({ id: r.id, status: r.toStatus })),
      } satisfies UndoAnswer);
      return;
    }
    res.redirect(303, backTo(req, `Undone: ${restored.length} comment${restored.length === 1 ? '' : 's'} restored.`));
  });

  router.get('/bans', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const [bans, trusted, trustedReaders] = await Promise.all([
      listBans(db, m.siteIds),
      listTrustedAuthors(db, m.siteIds),
      listTrustedReaders(db, m.siteIds),
    ]);
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderBansPage({
          ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'bans' },
          bans,
          trusted,
          trustedReaders,
          siteIds: m.siteIds,
          notice: queryText(req, 'notice'),
        }),
      );
  });

  router.post('/bans', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = bodyText(req, 'site');
    const kind = bodyText(req, 'kind') as BanKind;
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    if (!['email', 'ip', 'domain', 'reader'].includes(kind)) throw AppError.of('INVALID_KIND', { field: 'kind' });
    // From a card: the value follows from the kind (email, its domain, the IP, or the reader's id); from
    // the bans page: typed in.
    const typed = bodyText(req, 'value');
    const email = bodyText(req, 'email');
    const fromCard = {
      email,
      domain: email.split('@')[1] ?? '',
      ip: bodyText(req, 'ip'),
      reader: bodyText(req, 'reader'),
    };
    const value = toBanValue(kind, typed !== '' ? typed : fromCard[kind]);
    if (value === null)
      throw AppError.of('INVALID_VALUE', {
        status: 422,
        message: `That is not a valid ${kind === 'ip' ? 'IP address or range' : kind === 'reader' ? 'reader id' : kind}.`,
        field: 'value',
      });
    // A reader ban names a reader of that site: an id of another site's reader would ban nobody here.
    const reader = kind === 'reader' ? await findDeskReader(db, Number(value)) : null;
    if (kind === 'reader' && reader?.siteId !== siteId)
      throw AppError.of('INVALID_VALUE', { status: 422, message: 'No such reader on this site.', field: 'value' });
    const result = await inTransaction(db, (client) =>
      banAuthor(client, {
        siteId,
        kind,
        value,
        reason: bodyText(req, 'reason').slice(0, 500),
        rejectPending: bodyText(req, 'rejectPending') !== '',
        actor: actorOf(m),
        ...(reader !== null ? { readerName: reader.name } : {}),
      }),
    );
    await after.changed(result.rejected, 'ban');
    if (wantsJson(req)) {
      res.json({
        banned: `${kind}:${value}`,
        created: result.created,
        rejected: result.rejected.length,
        batchId: result.batchId,
      });
      return;
    }
    res.redirect(
      303,
      backTo(
        req,
        `Banned ${reader !== null ? `reader ${reader.name}` : `${kind} ${value}`}${result.rejected.length ? `; ${result.rejected.length} pending comment(s) rejected` : ''}.`,
      ),
    );
  });

  router.post('/bans/delete', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = bodyText(req, 'site');
    const kind = bodyText(req, 'kind') as BanKind;
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    await unbanAuthor(db, { siteId, kind, value: bodyText(req, 'value'), actor: actorOf(m) });
    if (wantsJson(req)) res.json({ ok: true });
    else res.redirect(303, backTo(req, 'Ban lifted.'));
  });

  router.post('/trusted', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = bodyText(req, 'site');
    const email = bodyText(req, 'email');
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    if (email === '')
      throw AppError.of('REQUIRED', { status: 422, message: "Trust needs the author's email.", field: 'email' });
    const created = await trustAuthor(db, { siteId, email, actor: actorOf(m) });
    if (wantsJson(req)) res.json({ trusted: email, created });
    else res.redirect(303, backTo(req, `${email} is trusted on ${siteId}: their comments skip the hold rules.`));
  });

  // The way back from trust: their next comments meet the hold rules again; comments already
  // published stay published (a moderator rejects those one by one, or bans the author).
  router.post('/trusted/delete', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const siteId = bodyText(req, 'site');
    const email = bodyText(req, 'email');
    if (!m.siteIds.includes(siteId)) throw AppError.of('FORBIDDEN', { field: 'site' });
    if (email === '')
      throw AppError.of('REQUIRED', { status: 422, message: "Untrust needs the author's email.", field: 'email' });
    const removed = await untrustAuthor(db, { siteId, email, actor: actorOf(m) });
    if (wantsJson(req)) res.json({ untrusted: email, removed });
    else
      res.redirect(
        303,
        backTo(
          req,
          removed
            ? `${email} is no longer trusted on ${siteId}: their next comments meet the hold rules.`
            : `${email} was not trusted on ${siteId}.`,
        ),
      );
  });

  return router;
}

/** Body parsers for the dashboard: small forms and admin.js' JSON. */
export const parseDashboardBody = [
  express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 2000 }),
  express.json({ limit: '256kb' }),
];
