import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { isUuid } from '../../domain/comment-fields.js';
import type { Site } from '../../domain/site-settings.js';
import { AppError } from '../../errors.js';
import {
  eraseReaderEverywhere,
  exportReaderData,
  listReaderComments,
  setCommentReplyMails,
  updateReaderSettings,
} from '../../readers/reader-account.js';
import { createReaderSession, revokeAllReaderSessions, revokeReaderSession } from '../../readers/reader-sessions.js';
import { findReader, toReaderJson, upsertReader, type Reader } from '../../readers/reader-store.js';
import { getSsoSecret } from '../../readers/sso-secrets.js';
import { cleanReaderName, verifySsoToken } from '../../readers/sso-token.js';
import { parseJson } from '../kit/body-parsers.js';
import { oneQueryString } from '../kit/query-values.js';
import { databaseDown, isDatabaseUnavailable } from '../kit/read-errors.js';
import { readBearer, requireReader } from '../kit/reader-auth.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import { decodeCursor, encodeCursor } from '../kit/thread-cursor.js';
import type { ReadersDoorDeps } from './readers-deps.js';

/*
 * The reader's own account (issue 14): the SSO sign-in, sign out, who am I, my comments, reply-mail
 * switches, my data and its erasure. Every route names its site (query for GET/DELETE, body for
 * POST/PATCH), answers only pages of that site's origins, and takes the reader from the bearer token,
 * which is bound to that site: a token of site X asking about site Y is signed out, not a guest.
 * Nothing here may be cached by anybody: the answers are one person's.
 */

/** Comments per page of "my comments" when the widget asks for no `limit`. */
export const OWN_COMMENTS_PAGE = 20;
const MAX_OWN_COMMENTS_PAGE = 200;

// Postgres errors become 503 only when Postgres is away; anything else is ours to see (a 500).
async function stored<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof AppError || !isDatabaseUnavailable(err)) throw err;
    throw databaseDown(err, 'Accounts');
  }
}

/** JSON only (the widget sends nothing else), then a JSON object. */
const readJsonObject: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  if (req.is('application/json') !== 'application/json') return next(AppError.of('UNSUPPORTED_MEDIA_TYPE'));
  parseJson(req, res, (err?: unknown) => {
    if (err) return next(err);
    const b: unknown = req.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return next(AppError.of('INVALID_BODY'));
    next();
  });
};

function bodyOf(req: Request): Record<string, unknown> {
  return req.body as Record<string, unknown>;
}

function bodySiteId(req: Request): string {
  const v = bodyOf(req).site;
  if (v === undefined || v === '')
    throw AppError.of('REQUIRED', { status: 400, message: 'The site is missing.', field: 'site' });
  if (typeof v !== 'string') throw AppError.of('INVALID_TYPE', { message: '"site" must be text.', field: 'site' });
  return v;
}

function optionalBoolean(req: Request, name: string): boolean | undefined {
  const v = bodyOf(req)[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw AppError.of('INVALID_TYPE', { message: `"${name}" must be true or false.`, field: name });
  return v;
}

export function createReaderAccountRoutes(deps: ReadersDoorDeps): Router {
  const { db, sites } = deps;
  const router = Router();

  const siteOf = async (id: string, kind: 'read' | 'write'): Promise<Site> => {
    let site: Site | null;
    try {
      site = await sites.get(id);
    } catch (err) {
      throw databaseDown(err, 'Accounts');
    }
    if (site === null)
      throw kind === 'write'
        ? AppError.of('UNKNOWN_SITE', { status: 403, message: 'No such site.', field: 'site' })
        : AppError.of('UNKNOWN_SITE', { status: 404, message: 'No such site.', field: 'site' });
    return site;
  };

  /** The site of a GET or DELETE (`?site=`), checked against the page's origin, and the reader. */
  const fromQuery = async (req: Request, what: 'sent' | 'shown'): Promise<{ site: Site; reader: Reader }> => {
    const site = await siteOf(oneQueryString(req, 'site', true) as string, what === 'sent' ? 'write' : 'read');
    assertOriginAllowed(req, site, what);
    return { site, reader: await requireReader(db, req, site.id) };
  };

  /** The site of a POST or PATCH (`site` in the body), checked against the page's origin, and the reader. */
  const fromBody = async (req: Request): Promise<{ site: Site; reader: Reader }> => {
    const site = await siteOf(bodySiteId(req), 'write');
    assertOriginAllowed(req, site, 'sent');
    return { site, reader: await requireReader(db, req, site.id) };
  };

  // One person's answers (and errors) only: no shared cache, no browser cache, may keep them.
  router.use('/api/readers', (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  // Host-site SSO: the host page's signed token for a reader session of ours.
  router.post('/api/readers/session', readJsonObject, async (req: Request, res: Response) => {
    const site = await siteOf(bodySiteId(req), 'write');
    assertOriginAllowed(req, site, 'sent');
    const sso = bodyOf(req).sso;
    if (sso === undefined || sso === '')
      throw AppError.of('REQUIRED', { status: 400, message: 'The sign-in token is missing.', field: 'sso' });
    if (typeof sso !== 'string')
      throw AppError.of('INVALID_TYPE', { message: '"sso" must be the token, as text.', field: 'sso' });
    const secret = site.settings.signInMethods.includes('sso') ? await stored(getSsoSecret(db, site.id)) : null;
    if (secret === null)
      throw AppError.of('SIGN_IN_METHOD_OFF', { message: 'This site does not offer sign-in with its own accounts.' });
    const checked = await verifySsoToken(sso, secret, site.id, new Date());
    if (!checked.ok) throw AppError.of(checked.code, { field: 'sso', detail: checked.message });
    const who = checked.identity;
    const reader = await stored(
      upsertReader(db, {
        siteId: site.id,
        via: 'sso',
        identity: `sso:${who.sub}`,
        name: who.name,
        email: who.email,
        url: who.url,
        avatar: who.avatar,
      }),
    );
    const session = await stored(createReaderSession(db, reader.id, { userAgent: req.get('user-agent') ?? '' }));
    res.status(200).json({
      token: session.token,
      expiresAt: session.expiresAt.toISOString(),
      reader: toReaderJson(reader),
    });
  });

  router.delete('/api/readers/session', async (req: Request, res: Response) => {
    const everywhere = oneQueryString(req, 'everywhere', false);
    if (everywhere !== null && everywhere !== 'true' && everywhere !== 'false')
      throw AppError.of('INVALID_VALUE', {
        status: 400,
        message: '"everywhere" must be true or false.',
        field: 'everywhere',
      });
    const { reader } = await fromQuery(req, 'sent');
    if (everywhere === 'true') await stored(revokeAllReaderSessions(db, reader.id));
    else await stored(revokeReaderSession(db, readBearer(req)!));
    res.status(204).end();
  });

  router.get('/api/readers/me', async (req: Request, res: Response) => {
    const { reader } = await fromQuery(req, 'shown');
    res.json({ reader: toReaderJson(reader) });
  });

  router.patch('/api/readers/me', readJsonObject, async (req: Request, res: Response) => {
    const { reader } = await fromBody(req);
    const notifyReplies = optionalBoolean(req, 'notifyReplies');
    const rawName = bodyOf(req).name;
    let name: string | undefined;
    if (rawName !== undefined) {
      // A name vouched for by the host or a provider is theirs to change: taking another here would
      // let a reader sign as somebody their newsroom does not know them as.
      if (reader.via !== 'email') throw AppError.of('NAME_FROM_PROVIDER', { field: 'name' });
      if (typeof rawName !== 'string')
        throw AppError.of('INVALID_TYPE', { message: '"name" must be text.', field: 'name' });
      const clean = cleanReaderName(rawName);
      if (clean === null)
        throw AppError.fields([
          rawName.trim() === ''
            ? { field: 'name', code: 'REQUIRED', message: 'Please fill in your name.' }
            : [...rawName.trim()].length > 100
              ? { field: 'name', code: 'TOO_LONG', message: 'The name is too long (at most 100 characters).' }
              : {
                  field: 'name',
                  code: 'INVALID_CHARACTERS',
                  message: 'The name contains characters that are not allowed.',
                },
        ]);
      name = clean;
    }
    await stored(updateReaderSettings(db, reader.id, { notifyReplies, name }));
    const now = await stored(findReader(db, reader.id));
    // Erased between the token check and here: signed out, as the next request would say.
    if (now === null) throw AppError.of('READER_SIGNED_OUT');
    res.json({ reader: toReaderJson(now) });
  });

  router.get('/api/readers/me/comments', async (req: Request, res: Response) => {
    const limitParam = oneQueryString(req, 'limit', false, 10);
    const limit = limitParam === null ? OWN_COMMENTS_PAGE : Number(limitParam);
    if (!/^\d+$/.test(limitParam ?? '1') || !Number.isInteger(limit) || limit < 1 || limit > MAX_OWN_COMMENTS_PAGE)
      throw AppError.of('INVALID_LIMIT', { field: 'limit' });
    const cursorParam = oneQueryString(req, 'cursor', false, 200);
    const cursor = cursorParam === null ? null : decodeCursor(cursorParam);
    if (cursorParam !== null && cursor === null) throw AppError.of('INVALID_CURSOR', { field: 'cursor' });
    const { reader } = await fromQuery(req, 'shown');
    const page = await stored(listReaderComments(db, reader, { cursor, limit }));
    res.json({
      comments: page.comments.map((c) => ({
        ...c,
        createdAt: c.createdAt.toISOString(),
        editedAt: c.editedAt?.toISOString() ?? null,
      })),
      nextCursor: page.next === null ? null : encodeCursor(page.next),
    });
  });

  router.patch('/api/readers/me/comments/:id', readJsonObject, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const { reader } = await fromBody(req);
    const on = optionalBoolean(req, 'notifyReplies');
    if (on === undefined)
      throw AppError.of('REQUIRED', { status: 400, message: '"notifyReplies" is missing.', field: 'notifyReplies' });
    // Another reader's comment is "no such comment": which ids exist is not the caller's to learn.
    if (!isUuid(id) || !(await stored(setCommentReplyMails(db, reader.id, id.toLowerCase(), on))))
      throw AppError.of('NOT_FOUND', { message: 'No such comment of yours.', field: 'id' });
    res.json({ id: id.toLowerCase(), notifyReplies: reader.notifyReplies && on });
  });

  router.get('/api/readers/me/export', async (req: Request, res: Response) => {
    const { site, reader } = await fromQuery(req, 'shown');
    const data = await stored(exportReaderData(db, reader, new Date()));
    res
      .set('Content-Disposition', `attachment; filename="reply-desk-${site.id.replace(/[^\w.-]/g, '_')}-my-data.json"`)
      .type('application/json')
      .send(`${JSON.stringify(data, null, 2)}\n`);
  });

  router.delete('/api/readers/me', async (req: Request, res: Response) => {
    const { site, reader } = await fromQuery(req, 'sent');
    const mode = site.settings.readerErasure;
    const done = await stored(eraseReaderEverywhere(db, deps.queues ?? null, reader, mode, deps.logger));
    res.json({ erased: true, comments: done.comments, mode });
  });

  return router;
}
