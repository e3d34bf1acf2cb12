import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { isUuid } from '../../domain/comment-fields.js';
import { fieldLimits } from '../../domain/field-limits.js';
import { closureFields, closureVersion, pageClosureAt } from '../../domain/thread-closure.js';
import { effectivePageSettings } from '../../domain/pages/page-settings.js';
import { mintCommentId, type Submission } from '../../domain/submission.js';
import { isThreadSort, type Site, type ThreadSort } from '../../domain/site-settings.js';
import { createEditKeys, type EditKeys } from '../../readers/edit-keys.js';
import { AppError } from '../../errors.js';
import type { FormTokenCheck, FormTokens } from '../../flood/form-token.js';
import type { UsedFormTokens } from '../../flood/used-form-tokens.js';
import type { IntakeGuard, RateLimitName } from '../../flood/intake-guard.js';
import { enqueueSubmission } from '../../queue/submissions-queue.js';
import type { SubmissionShards } from '../../queue/submission-shards.js';
import {
  countApproved,
  listApprovedComments,
  listApprovedConversationsNewest,
  listApprovedConversationsTop,
  listApprovedReplies,
  listFeaturedComments,
} from '../../store/comments.js';
import type { Queryable } from '../../store/db.js';
import { createSecretLoader } from '../../store/secrets.js';
import { AVATAR_SECRET } from '../../domain/avatar-url.js';
import { createThreadVersionReader } from '../../store/batched/thread-versions.js';
import { parseCommentBody } from '../kit/body-parsers.js';
import { oneQueryString, queryStrings } from '../kit/query-values.js';
import { databaseDown, toReadError } from '../kit/read-errors.js';
import { createClientAddressReader, type ClientAddressReader } from '../kit/client-address.js';
import {
  findCharacterErrors,
  findInputErrors,
  readCommentInput,
  sameSiteUrl,
  type CommentInput,
} from './comment-input.js';
import { renderJsonAnswer, sendRenderedAnswer } from './rendered-answer.js';
import { toSameOriginPath } from '../kit/same-origin-path.js';
import type { SiteDirectory } from '../kit/site-directory.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import { loadSubmissionStatus } from './submission-status.js';
import { readReader } from '../kit/reader-auth.js';
import { findReaderInputErrors, IDENTITY_FIELDS, withReaderIdentity } from './reader-author.js';
import { createThreadCache } from './thread-cache.js';
import { toThreadItem } from './thread-item.js';
import { decodeCursor, encodeCursor } from '../kit/thread-cursor.js';
import type { SuspensionLookup } from '../../store/authors/author-suspensions.js';
import { toAuthorKey } from '../../domain/decisions/author-key.js';
import { formatEnd, secondsUntil } from '../../domain/decisions/suspension-length.js';

export interface PublicRoutesDeps {
  db: Queryable;
  /** Public thread and count reads (a replica, DATABASE_READ_URL); left out, `db`. */
  readDb?: Queryable;
  /** The submission queues (SUBMISSION_SHARDS): each comment goes to its id's shard. */
  queue: SubmissionShards;
  sites: SiteDirectory;
  logger: Logger;
  publicUrl: string;
  enqueueTimeoutMs: number;
  /** Rate limits and surge detection at intake (src/flood/intake-guard.ts); left out, none. */
  intakeGuard?: IntakeGuard;
  /** Verifies the signed form token; left out, every submission counts as sent without one. */
  formTokens?: FormTokens;
  /** Records which tokens were used (src/flood/used-form-tokens.ts); left out, a token may be used again. */
  usedFormTokens?: UsedFormTokens;
  /** Reads the reader's address (src/http/kit/client-address.ts); left out, one of this router's own. */
  clientAddress?: ClientAddressReader;
  /** Mints guests' edit keys (src/readers/edit-keys.ts); left out, one of this router's own over `db`. */
  editKeys?: EditKeys;
  /** The avatars' HMAC key (src/domain/avatar-url.ts); left out, one of this router's own over `db`. */
  avatarSecret?: () => Promise<string>;
  /** Running suspensions (issue 16): a suspended author's comment is refused with 403 SUSPENDED; left out, none are. */
  suspensions?: SuspensionLookup;
}

const rateLimitWords: Record<RateLimitName, string> = {
  ip: 'from your address',
  net: 'from your network',
  email: 'from your email address',
  site: 'on this site',
};

const MAX_COUNT_PAGES = 100;
/** Editors' picks one answer lists at most: a strip, not a second thread. */
const MAX_FEATURED = 20;
/** How long one process answers /api/counts from memory: a new comment is counted within this. */
export const COUNTS_CACHE_MS = 1000;

async function findSite(sites: SiteDirectory, id: string): Promise<Site | null> {
  try {
    return await sites.get(id);
  } catch (err) {
    throw databaseDown(err);
  }
}

/** Where a form post sends the reader back to: the form's redirect_to, else the Referer, on the site's origins only. */
function formReturnUrl(input: CommentInput, req: Request, site: Site): string | null {
  const redirect = input.redirectTo;
  // A path on this service (the demo page), never one a browser reads as another site's (same-origin-path.ts).
  const path = toSameOriginPath(redirect);
  if (path !== null) return path;
  return (
    sameSiteUrl(redirect, site) ?? sameSiteUrl(req.get('referer') ?? null, site) ?? sameSiteUrl(input.pageUrl, site)
  );
}

function withCommentAnchor(url: string, id: string): string {
  const u = new URL(url, 'http://relative.invalid');
  u.searchParams.set('rd_comment', id);
  u.hash = `comment-${id}`;
  return url.startsWith('/') ? `${u.pathname}${u.search}${u.hash}` : u.toString();
}

/** Routes for readers and the widget: submit, submission status, thread, counts. */
export function createPublicRoutes(deps: PublicRoutesDeps): Router {
  const { db, queue, sites, publicUrl, enqueueTimeoutMs } = deps;
  const readDb = deps.readDb ?? db;
  const clientAddress = deps.clientAddress ?? createClientAddressReader(deps.logger);
  // Rendered answers kept in memory (src/http/public/thread-cache.ts): thread pages are checked against the
  // thread's version on every request; counts, public for 30 s anyway, are kept for a second.
  const threadAnswers = createThreadCache();
  const readThreadVersion = createThreadVersionReader(readDb);
  const countAnswers = createThreadCache({ ttlMs: COUNTS_CACHE_MS, maxBytes: 4 * 1024 * 1024 });
  const editKeys = deps.editKeys ?? createEditKeys(db);
  const avatarSecret = deps.avatarSecret ?? createSecretLoader(db, AVATAR_SECRET);
  const router = Router();

  async function guestsOnPage(site: Site, page: string): Promise<boolean> {
    // No page of the site overrides it (the directory knows, sql/0060): no read at all.
    if (page === '' || page.length > fieldLimits.page || site.pagesOverrideGuests === false)
      return site.settings.guests;
    let thread;
    try {
      thread = await readThreadVersion({ siteId: site.id, page });
    } catch (err) {
      // Postgres away: intake still answers 202 (nothing accepted is lost), on the site's own setting;
      // the worker's guests rule (refusal-rules.ts) applies the page's once the comment is checked.
      deps.logger.warn(
        { err, site: site.id },
        "page settings not read; a guest's comment is taken on the site's setting",
      );
      return site.settings.guests;
    }
    return effectivePageSettings(site.settings, thread?.settings ?? {}).guests;
  }

  router.post('/api/comments', parseCommentBody, async (req: Request, res: Response) => {
    const source = req.is('application/x-www-form-urlencoded') ? 'form' : 'json';
    const typedInput = readCommentInput(req.body, source);
    // Control characters and broken Unicode in any field (issue 11): refused here, since one NUL that
    // reaches Postgres fails the statement it is in.
    const typedCharacterErrors = findCharacterErrors(req.body, source);
    if (typedCharacterErrors.some((e) => e.field === 'site')) throw AppError.fields(typedCharacterErrors);
    if (typedInput.site === '')
      throw AppError.of('REQUIRED', { status: 400, message: 'The site is missing.', field: 'site' });
    const site = await findSite(sites, typedInput.site);
    if (site === null)
      throw AppError.of('UNKNOWN_SITE', {
        status: 403,
        message: 'This site does not accept comments here.',
        field: 'site',
      });
    const returnUrl = source === 'form' ? formReturnUrl(typedInput, req, site) : null;
    res.locals.backUrl = returnUrl;
    // A refused form post's page speaks the site's language where the form names none (error-handler.ts).
    res.locals.siteLanguage = site.settings.language;
    assertOriginAllowed(req, site, 'sent');

    // Who writes (issue 14): a bearer token signs a reader in, and one that signs nobody in on this
    // site is 401 READER_SIGNED_OUT, never a silent guest. Without one, a guest, where the site takes them.
    const reader = await readReader(db, req, site.id);
    // A page may take guests where its site does not, or not where it does (issue 16): its own setting,
    // read only for a guest and only for a page name that can be one (bad ones are refused below).
    const guests =
      reader !== null
        ? site.settings.guests
        : await guestsOnPage(site, typedCharacterErrors.some((e) => e.field === 'page') ? '' : typedInput.page);
    if (reader === null && !guests) {
      // The form post's page says how to get signed in: the form itself cannot sign anyone in.
      throw AppError.of(
        'SIGN_IN_REQUIRED',
        source === 'form'
          ? {
              message:
                'This site takes comments from signed-in readers only. Please sign in with the comment box on the page (it needs JavaScript) and post again.',
            }
          : {},
      );
    }
    // A reader's name, email and website are their identity's: what the request typed there is ignored,
    // its characters included.
    const input = reader === null ? typedInput : withReaderIdentity(typedInput, reader);
    const characterErrors =
      reader === null ? typedCharacterErrors : typedCharacterErrors.filter((e) => !IDENTITY_FIELDS.has(e.field ?? ''));

    // A field's own check speaks first (a CRLF in an email is INVALID_EMAIL, as it always was); the
    // character check covers every field that has none.
    const fieldErrors = reader === null ? findInputErrors(input, site) : findReaderInputErrors(input, site);
    const errors = [...fieldErrors, ...characterErrors.filter((c) => !fieldErrors.some((e) => e.field === c.field))];
    if (errors.length > 0) throw AppError.fields(errors);

    const received = new Date();
    // A suspended author (issue 16) is told until when, before the comment costs a rate-limit slot or a job.
    const authorKey =
      reader !== null
        ? toAuthorKey({ kind: 'reader', readerId: reader.id })
        : input.email !== ''
          ? toAuthorKey({ kind: 'guest', email: input.email })
          : null;
    const suspendedUntil =
      authorKey !== null && deps.suspensions ? await deps.suspensions.endOf(site.id, authorKey, received) : null;
    if (suspendedUntil !== null)
      throw AppError.of('SUSPENDED', {
        message: `You cannot comment on this site until ${formatEnd(suspendedUntil)}.`,
        field: reader !== null ? undefined : 'email',
        retryAfter: secondsUntil(suspendedUntil, received),
      });
    // Canonical (::ffff:1.2.3.4 is 1.2.3.4), and whether it tells readers apart (src/flood/ip-network.ts).
    const address = clientAddress(req);
    const ip = address.ip;
    // Counted after the input is valid (a reader fixing a typo is not throttled for it) and before the
    // job exists: a refused submission costs Redis its share of one script call and no queue entry.
    let surge = false;
    if (deps.intakeGuard) {
      // An address shared by every reader (a proxy's, loopback) is not limited per IP: it would throttle them all together.
      const decision = await deps.intakeGuard.admit({
        siteId: site.id,
        ip: address.distinct ? ip : null,
        // A reader is limited per identity, not per email: an email may be theirs and a guest's, and a
        // reader may have none. The guard hashes the key (never in Redis as typed), and no address has
        // this form, so a guest typing a reader's email shares no counter with them.
        email: reader === null ? input.email : `reader:${reader.id}`,
        settings: site.settings,
      });
      if (!decision.allowed) {
        const wait = decision.retryAfterSeconds;
        const from =
          reader !== null && decision.limit === 'email' ? 'from your account' : rateLimitWords[decision.limit];
        throw AppError.of('RATE_LIMITED', {
          message: `Too many comments ${from} just now; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
          retryAfter: wait,
        });
      }
      surge = decision.surge;
    }
    const id = mintCommentId(site.id, input.key);
    let token: FormTokenCheck = deps.formTokens?.verify(input.formToken, site.id, input.page, received) ?? {
      status: 'missing',
      renderedAt: null,
    };
    // Single use: a good token another comment already used is a replay (a harvested token). Claimed
    // only now, after the fields and limits passed, so a reader fixing a typo keeps their token.
    if (token.status === 'valid' && token.renderedAt !== null && deps.usedFormTokens) {
      const first = await deps.usedFormTokens.claim({
        token: input.formToken,
        commentId: id,
        renderedAt: token.renderedAt,
        now: received,
      });
      if (!first) token = { status: 'replayed', renderedAt: token.renderedAt };
    }
    const submission: Submission = {
      id,
      siteId: site.id,
      page: input.page,
      pageUrl: sameSiteUrl(input.pageUrl, site),
      pageTitle: input.pageTitle,
      parentId: input.parentId,
      author: input.author,
      email: input.email,
      url: input.url,
      body: input.body,
      honeypot: input.honeypot,
      key: input.key,
      ip,
      ...(ip !== null && !address.distinct ? { ipShared: true } : {}),
      userAgent: (req.get('user-agent') ?? '').slice(0, 500),
      referrer: (req.get('referer') ?? '').slice(0, 2000),
      receivedAt: received.toISOString(),
      source,
      formToken: token.status,
      formRenderedAt: token.renderedAt?.toISOString() ?? null,
      surge,
      lang: input.lang,
      // Without an email there is nobody to tell.
      ...(input.notifyReplies && input.email !== '' ? { notifyReplies: true } : {}),
      // Who the reader is; their trust, bans and approvals the worker reads fresh (a ban given meanwhile counts).
      ...(reader === null ? {} : { reader: { id: reader.id, staff: reader.staff, avatar: reader.avatar } }),
    };
    try {
      await enqueueSubmission(queue.forId(id), submission, enqueueTimeoutMs);
    } catch (err) {
      throw AppError.of('QUEUE_UNAVAILABLE', { detail: err, retryAfter: 5 });
    }
    if (source === 'form') {
      res.redirect(303, withCommentAnchor(returnUrl ?? `${publicUrl}/`, id));
      return;
    }
    // The form's next comment needs a token of its own (tokens are single-use): a fresh one comes along.
    const next = deps.formTokens?.sign(site.id, input.page, new Date());
    // A guest's key to edit or delete this comment in the edit window (src/readers/edit-keys.ts); a
    // reader's key is their token.
    let editKey: string | undefined;
    if (reader === null && site.settings.editWindowMinutes > 0) {
      try {
        editKey = await editKeys.mint(id);
      } catch (err) {
        // The comment is queued: a reader who cannot edit it must not be told it failed.
        deps.logger.warn({ err, commentId: id }, 'no edit key for this comment (app_secrets unreadable)');
      }
    }
    res.status(202).json({
      id,
      status: 'queued',
      statusUrl: `${publicUrl}/api/comments/${id}`,
      ...(next === undefined ? {} : { formToken: next }),
      ...(editKey === undefined ? {} : { editKey }),
    });
  });

  router.get('/api/comments/:id', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
    let status;
    try {
      status = await loadSubmissionStatus(db, queue, id.toLowerCase(), {
        acceptLanguage: req.get('accept-language'),
      });
    } catch (err) {
      throw databaseDown(err);
    }
    if (status === null) throw AppError.of('NOT_FOUND', { message: 'No such comment.', field: 'id' });
    res.set('Cache-Control', 'no-store').json(status);
  });

  router.get('/api/comments', async (req: Request, res: Response) => {
    const siteId = oneQueryString(req, 'site', true) as string;
    const page = oneQueryString(req, 'page', true, fieldLimits.page) as string;
    const cursorParam = oneQueryString(req, 'cursor', false, 200);
    const limitParam = oneQueryString(req, 'limit', false, 10);
    const limit = limitParam === null ? 50 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      throw AppError.of('INVALID_LIMIT', { field: 'limit' });
    }
    // sort=top|newest|oldest (issue 15); the older order=oldest|newest keeps working; neither: the site's default.
    const sortParam = oneQueryString(req, 'sort', false, 10);
    const orderParam = oneQueryString(req, 'order', false, 10);
    if (sortParam !== null && !isThreadSort(sortParam)) throw AppError.of('INVALID_ORDER', { field: 'sort' });
    if (orderParam !== null && orderParam !== 'oldest' && orderParam !== 'newest')
      throw AppError.of('INVALID_ORDER', { field: 'order' });
    // replies=<root id>: the rest of one conversation, after a newest-first page's `moreReplies` cursor.
    const replies = oneQueryString(req, 'replies', false, 36);
    if (replies !== null && !isUuid(replies)) throw AppError.of('INVALID_REPLIES', { field: 'replies' });
    // featured=1: the page's editors' picks (issue 15), for the widget's strip above the thread.
    const featuredParam = oneQueryString(req, 'featured', false, 5);
    if (featuredParam !== null && featuredParam !== '1' && featuredParam !== '0')
      throw AppError.of('INVALID_TYPE', { message: 'featured is 1 or 0.', field: 'featured' });
    const featured = featuredParam === '1';
    if (featured && (replies !== null || cursorParam !== null))
      throw AppError.of('INVALID_TYPE', {
        message: "The editors' picks come in one page: no cursor or replies.",
        field: 'featured',
      });
    const after = cursorParam === null ? null : decodeCursor(cursorParam);
    if (cursorParam !== null && after === null) throw AppError.of('INVALID_CURSOR', { field: 'cursor' });
    const site = await findSite(sites, siteId);
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'shown');
    const order: ThreadSort = sortParam ?? orderParam ?? site.settings.defaultSort;
    // A "top" cursor carries the score it stopped at; one from another order is not a place in this one.
    if (after !== null && replies === null && (after.score !== undefined) !== (order === 'top'))
      throw AppError.of('INVALID_CURSOR', { field: 'cursor' });
    const gravatar = site.settings.gravatar;
    // The version first, then the comments: a cached page is then never older than the version it is
    // kept under, and a request that reads a newer version renders afresh (src/http/public/thread-cache.ts).
    let thread;
    try {
      thread = await readThreadVersion({ siteId, page });
    } catch (err) {
      throw toReadError(err, 'page');
    }
    // The page's own settings (issue 16) over the site's: whether it shows votes, whether it is closed.
    const settings = effectivePageSettings(site.settings, thread?.settings ?? {});
    const showVotes = settings.votes !== 'off';
    // Closed by hand, by age or outside staffed hours (the clock moves the last two without any write):
    // part of the version an answer is kept under, so a page that closes is never answered from an
    // entry rendered while it was open.
    const closure = pageClosureAt(thread, settings, new Date());
    const version = `${thread?.version ?? 'none'}${closureVersion(closure)}`;
    const key = JSON.stringify([
      'thread',
      siteId,
      page,
      order,
      limit,
      cursorParam,
      replies,
      showVotes,
      featured,
      gravatar,
    ]);
    const answer = await threadAnswers.get(key, version, async () => {
      // No page row: nobody ever commented there, and the thread is empty without asking.
      let result: Awaited<ReturnType<typeof listApprovedComments>> = { comments: [], next: null };
      if (thread !== null) {
        try {
          result = featured
            ? await listFeaturedComments(readDb, { siteId, page, limit: Math.min(limit, MAX_FEATURED) })
            : replies !== null
              ? await listApprovedReplies(readDb, { siteId, page, root: replies.toLowerCase(), after, limit })
              : order === 'newest'
                ? await listApprovedConversationsNewest(readDb, { siteId, page, before: after, limit })
                : order === 'top'
                  ? await listApprovedConversationsTop(readDb, { siteId, page, before: after, limit })
                  : await listApprovedComments(readDb, { siteId, page, after, limit });
        } catch (err) {
          throw toReadError(err);
        }
      }
      let secret = '';
      try {
        if (result.comments.length > 0) secret = await avatarSecret();
      } catch (err) {
        throw databaseDown(err);
      }
      const avatar = { gravatar, publicUrl, secret };
      return renderJsonAnswer(req, {
        comments: result.comments.map((c) => toThreadItem(c, { showVotes, avatar })),
        nextCursor: result.next ? encodeCursor(result.next) : null,
        // The order this answer is in: the site's default when the request named none.
        sort: order,
        // The heading's "12 Comments" comes with the first page (the count is kept on the page row).
        ...(cursorParam === null && replies === null && !featured ? { total: thread?.approved ?? 0 } : {}),
        ...closureFields(closure),
      });
    });
    // Weak ETag as Express makes it, If-None-Match answered with 304; readers revalidate every time.
    sendRenderedAnswer(res, answer, 'no-cache');
  });

  router.get('/api/counts', async (req: Request, res: Response) => {
    const siteId = oneQueryString(req, 'site', true) as string;
    const pages = queryStrings(req, 'page', fieldLimits.page);
    if (pages.length === 0)
      throw AppError.of('REQUIRED', { status: 400, message: 'Name at least one page.', field: 'page' });
    if (pages.length > MAX_COUNT_PAGES)
      throw AppError.of('TOO_MANY_PAGES', { message: `At most ${MAX_COUNT_PAGES} pages per request.`, field: 'page' });
    const site = await findSite(sites, siteId);
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, field: 'site' });
    assertOriginAllowed(req, site, 'shown');
    const unique = [...new Set(pages)];
    // Not checked against any version: reading the counts is the whole cost, and they are public for
    // 30 s anyway. Pages in the order asked, as the answer's keys are.
    const answer = await countAnswers.get(JSON.stringify(['counts', siteId, unique]), '', async () => {
      let counts;
      try {
        counts = await countApproved(readDb, siteId, unique);
      } catch (err) {
        throw toReadError(err, 'page');
      }
      return renderJsonAnswer(req, { site: siteId, counts });
    });
    sendRenderedAnswer(res, answer, 'public, max-age=30');
  });

  return router;
}
