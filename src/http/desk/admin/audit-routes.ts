import { Router, type Request, type Response } from 'express';
import { isUuid } from '../../../domain/comment-fields.js';
import { AppError } from '../../../errors.js';
import {
  auditActions,
  listAuditActors,
  listAuditEvents,
  type AuditAction,
  type AuditCursor,
  type AuditFilter,
} from '../../../store/audit-log.js';
import type { Queryable } from '../../../store/db.js';
import { listSites } from '../../../store/sites.js';
import { renderAuditPage, type AuditQuery } from './audit-page.js';
import { auditSitesOf, csrfTokenOf, currentModerator } from '../moderator-session.js';
import { queryText } from '../../kit/query-values.js';
import { timeZoneOfCookies } from '../desk-time-zone.js';

const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;

/** The audit filters read a blank or absent value as '' (no filter). */
function filterText(req: Request, name: string): string {
  return queryText(req, name) ?? '';
}

/** A cursor is opaque to the browser: base64url of "created_at|id". */
export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(`${c.at}|${c.id}`).toString('base64url');
}

export function decodeAuditCursor(value: string): AuditCursor | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/.exec(
    Buffer.from(value, 'base64url').toString(),
  );
  return m?.[1] && m[2] ? { at: m[1], id: Number(m[2]) } : null;
}

/** A YYYY-MM-DD day as the instant it starts (UTC); null when blank; an error when not a date. */
function toDay(value: string, field: string): Date | null {
  if (value === '') return null;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime())) throw AppError.of('INVALID_DATE', { field });
  return d;
}

/** Reads and checks the audit filter; bad ids and dates are the admin's typing, so they get a 400 naming the field. */
export function readAuditFilter(q: AuditQuery): AuditFilter {
  if (q.action !== '' && !auditActions.includes(q.action as AuditAction))
    throw AppError.of('INVALID_ACTION', { field: 'action' });
  if (q.comment !== '' && !isUuid(q.comment)) throw AppError.of('INVALID_COMMENT_ID', { field: 'comment' });
  if (q.batch !== '' && !isUuid(q.batch)) throw AppError.of('INVALID_BATCH_ID', { field: 'batch' });
  const to = toDay(q.to, 'to');
  return {
    actor: q.actor === '' ? null : q.actor,
    action: q.action === '' ? null : (q.action as AuditAction),
    site: q.site === '' ? null : q.site,
    comment: q.comment === '' ? null : q.comment.toLowerCase(),
    batch: q.batch === '' ? null : q.batch.toLowerCase(),
    from: toDay(q.from, 'from'),
    // "To" is inclusive: everything before the next day starts.
    before: to === null ? null : new Date(to.getTime() + DAY_MS),
  };
}

/**
 * The audit log at /admin/audit: admins read every event; viewers and site admins (sql/0041) the events
 * of their sites only (the admin door lets them in; moderators, as before roles, not).
 */
export function createAuditRoutes(deps: { db: Queryable }): Router {
  const { db } = deps;
  const router = Router();

  router.get('/audit', async (req: Request, res: Response) => {
    const m = currentModerator(res);
    const query: AuditQuery = {
      actor: filterText(req, 'actor'),
      action: filterText(req, 'action'),
      site: filterText(req, 'site'),
      comment: filterText(req, 'comment'),
      batch: filterText(req, 'batch'),
      from: filterText(req, 'from'),
      to: filterText(req, 'to'),
    };
    // Admins read every event; a viewer or site admin only their sites' (never account events, which have no site).
    const own = m.role === 'admin' ? null : auditSitesOf(m);
    const filter = { ...readAuditFilter(query), ...(own === null ? {} : { sites: own }) };
    const cursorParam = filterText(req, 'cursor');
    const cursor = cursorParam === '' ? null : decodeAuditCursor(cursorParam);
    if (cursorParam !== '' && cursor === null)
      throw AppError.of('INVALID_CURSOR', { message: 'That page link is not valid.', field: 'cursor' });
    const [page, sites, actors] = await Promise.all([
      listAuditEvents(db, filter, cursor, PAGE_SIZE),
      listSites(db),
      listAuditActors(db),
    ]);
    res.type('html').send(
      renderAuditPage({
        ctx: { moderator: m, csrfToken: csrfTokenOf(req), section: 'audit' },
        query,
        events: page.events,
        nextCursor: page.next ? encodeAuditCursor(page.next) : null,
        sites: sites.map((s) => s.id).filter((s) => own === null || own.includes(s)),
        actors,
        zone: timeZoneOfCookies(req.get('cookie')),
      }),
    );
  });

  return router;
}
