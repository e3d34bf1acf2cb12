import { randomUUID } from 'node:crypto';
import { hasRole, sitesWithRole } from '../../auth/site-roles.js';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { ConfirmToken, ModerateToken, UnsubscribeToken } from '../../mail/mail-tokens.js';
import type { LandingWords } from '../../i18n/reader-words.js';
import type { TrainingQueue } from '../../queue/training-queue.js';
import type { CommentEventsQueue } from '../../queue/comment-events-queue.js';
import type { Pool } from '../../store/db.js';
import { pickReaderLanguage } from '../../i18n/reader-language.js';
import { wordsFor } from '../../i18n/reader-words.js';
import {
  confirmReplyMailAddress,
  loadLinkLanguage,
  spendMailActionNonce,
  unsubscribeReplies,
  type LinkLanguageOf,
} from '../../store/mail-notices.js';
import {
  changeStatus,
  inTransaction,
  loadCommentSites,
  statusAfter,
  type StatusChange,
} from '../../store/moderation-actions.js';
import { loadModerator, type Moderator } from '../../store/moderators.js';
import { mailLinkOf, mailTokenOf } from './mail-link.js';
import { createStatusChanges } from '../../moderation/status-changes.js';
import type { AnnounceThread } from '../../queue/live-threads.js';
import {
  renderConfirmAddress,
  renderMailMessage,
  renderModerateConfirm,
  renderReaderMessage,
  renderUnsubscribeConfirm,
} from './mail-pages.js';

export interface MailRoutesDeps {
  db: Pool;
  /** Comment events for what a mail link changed (webhooks, reply mails). */
  events?: CommentEventsQueue;
  /** Readers' live threads: what a mail link publishes or takes down; left out, nobody is told. */
  thread?: AnnounceThread;
  /** Teaches the spam classifier, as a decision in the dashboard does. */
  training?: TrainingQueue;
  logger: Logger;
}

type Answer = { status: number; title: string; message: string };

const badLink: Record<'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED', Answer> = {
  MALFORMED: {
    status: 400,
    title: 'This link is not valid',
    message: 'The link is incomplete or was changed. Open the queue to moderate.',
  },
  BAD_SIGNATURE: {
    status: 400,
    title: 'This link is not valid',
    message: 'The link is incomplete or was changed. Open the queue to moderate.',
  },
  EXPIRED: {
    status: 410,
    title: 'This link has expired',
    message: 'Links in notices work for a limited time. Open the queue to moderate.',
  },
};

async function loadHeldComment(
  db: Pool,
  id: string,
): Promise<{ siteId: string; authorName: string; body: string; page: string; status: string } | null> {
  const { rows } = await db.query<{ site_id: string; author_name: string; body: string; page: string; status: string }>(
    `select c.site_id, c.author_name, c.body, coalesce(p.title, p.url, p.identifier) as page, c.status
       from comments c join pages p on p.id = c.page_id where c.id = $1`,
    [id],
  );
  const r = rows[0];
  return r ? { siteId: r.site_id, authorName: r.author_name, body: r.body, page: r.page, status: r.status } : null;
}

const notAllowed: Answer = {
  status: 403,
  title: 'Not allowed',
  message: 'This account cannot moderate this comment any more.',
};

/**
 * The link's moderator may still act on the comment's site: the account exists, is not disabled, and
 * still moderates that site (a role there that acts: not a viewer, sql/0041). A link outlives all
 * three (it was mailed earlier), so each is asked anew.
 */
function mayModerate(moderator: Moderator | null, siteId: string | undefined): moderator is Moderator {
  return moderator !== null && !moderator.disabled && siteId !== undefined && hasRole(moderator, siteId, 'moderator');
}

/**
 * Links in mails, for people who are not signed in: one-click moderation from held-comment notices
 * (/mail/moderate), one-click unsubscribe from reply notices (/mail/unsubscribe, RFC 8058) and the
 * confirmation of an address for reply notices (/mail/confirm, double opt-in). Behind the mail door
 * (mail-door.ts), which has parsed the form and checked the signed token: the whole authority.
 */
export function createMailRoutes(deps: MailRoutesDeps): Router {
  const { db, logger } = deps;
  const router = Router();
  const send = (res: Response, a: Answer, link = true): void => {
    res
      .status(a.status)
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(renderMailMessage(a.title, a.message, link ? { href: '/admin', label: 'Open the queue' } : undefined));
  };
  const readModerate = (res: Response): ModerateToken | Answer => {
    const read = mailLinkOf(res);
    if (!read.ok) return badLink[read.reason];
    if (read.token.kind !== 'moderate') return badLink.MALFORMED;
    return read.token;
  };
  // A decision from a mail link is followed as one from the dashboard (src/moderation/status-changes.ts).
  const after = createStatusChanges({ logger, events: deps.events, training: deps.training, thread: deps.thread });

  router.get('/mail/moderate', async (req: Request, res: Response) => {
    const token = readModerate(res);
    if ('status' in token) return send(res, token);
    // Who may see it first: a disabled or removed moderator, or one off the site, is shown nothing of it.
    const moderator = await loadModerator(db, token.moderatorId);
    if (moderator === null || moderator.disabled) return send(res, notAllowed);
    const comment = await loadHeldComment(db, token.commentId);
    if (comment === null) return send(res, { status: 404, title: 'No such comment', message: 'The comment is gone.' });
    if (!mayModerate(moderator, comment.siteId)) return send(res, notAllowed);
    res
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(renderModerateConfirm({ token: String(mailTokenOf(req)), action: token.action, comment }));
  });

  router.post('/mail/moderate', async (req: Request, res: Response) => {
    const token = readModerate(res);
    if ('status' in token) return send(res, token);
    const toStatus = statusAfter[token.action];
    const outcome = await inTransaction(db, async (client): Promise<Answer | StatusChange[]> => {
      const moderator = await loadModerator(client, token.moderatorId);
      if (moderator === null || moderator.disabled) return notAllowed;
      const site = (await loadCommentSites(client, [token.commentId])).get(token.commentId);
      // A comment gone is answered below (nothing changes); one on a site no longer theirs is not theirs to decide.
      if (site !== undefined && !mayModerate(moderator, site)) return notAllowed;
      if (
        !(await spendMailActionNonce(client, {
          nonce: token.nonce,
          moderatorId: moderator.id,
          commentId: token.commentId,
          action: token.action,
        }))
      ) {
        return {
          status: 409,
          title: 'This link was used already',
          message: 'Each comment in a notice can be decided once from the mail.',
        };
      }
      // Only a comment still waiting: if someone decided it since the mail went out, that decision stands.
      const changed = await changeStatus(client, {
        ids: [token.commentId],
        action: token.action,
        toStatus,
        batchId: randomUUID(),
        onlyFrom: ['pending'],
        detail: { via: 'mail' },
        actor: {
          id: moderator.id,
          label: moderator.email,
          siteIds: sitesWithRole(moderator, moderator.siteIds, 'moderator'),
        },
      });
      if (changed.length === 0) {
        // Throwing would roll back the nonce too; the link stays usable only if nothing changed, which is right.
        throw new NothingChanged();
      }
      return changed;
    }).catch((err: unknown) => {
      if (err instanceof NothingChanged) return null;
      throw err;
    });
    if (outcome === null) {
      const c = await loadHeldComment(db, token.commentId);
      return send(res, {
        status: 409,
        title: 'Already decided',
        message: c ? `This comment is no longer waiting: it is ${c.status}.` : 'The comment is gone.',
      });
    }
    if (!Array.isArray(outcome)) return send(res, outcome);
    await after.changed(outcome, 'decision');
    send(res, {
      status: 200,
      title: 'Done',
      message: `The comment is ${toStatus}. You can undo it from the dashboard.`,
    });
  });

  // Readers' pages speak the reader's language: the one their comment was written in (unsubscribe) or
  // their address last asked in (confirm), else the site's, else the browser's. A link that names
  // nothing we can read has only the browser's.
  const readerLanguage = async (req: Request, of: LinkLanguageOf | null): Promise<string> => {
    const stored = of === null ? null : await loadLinkLanguage(db, of);
    return pickReaderLanguage({
      lang: stored?.lang,
      siteLanguage: stored?.siteLanguage,
      acceptLanguage: req.get('accept-language'),
    });
  };
  const tell = (res: Response, lang: string, status: number, title: string, message: string): void => {
    res
      .status(status)
      .set({ 'Cache-Control': 'no-store', 'Content-Language': lang, Vary: 'Accept-Language' })
      .type('html')
      .send(renderReaderMessage(lang, title, message));
  };
  const readUnsubscribe = (res: Response): UnsubscribeToken | null => {
    const read = mailLinkOf(res);
    return read.ok && read.token.kind === 'unsubscribe' ? read.token : null;
  };
  const badReaderLink = async (req: Request, res: Response, extra?: (w: LandingWords) => string): Promise<void> => {
    const lang = await readerLanguage(req, null);
    const w = wordsFor(lang).landing;
    const read = mailLinkOf(res);
    const expired = !read.ok && read.reason === 'EXPIRED';
    const message = extra ? extra(w) : w.invalid;
    tell(res, lang, expired ? 410 : 400, expired ? w.expiredTitle : w.invalidTitle, message);
  };

  router.get('/mail/unsubscribe', async (req: Request, res: Response) => {
    const token = readUnsubscribe(res);
    if (token === null) return badReaderLink(req, res);
    const lang = await readerLanguage(req, { commentId: token.commentId });
    res
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .set('Content-Language', lang)
      .type('html')
      .send(renderUnsubscribeConfirm(String(mailTokenOf(req)), lang));
  });

  // RFC 8058: mail clients POST "List-Unsubscribe=One-Click" to the URL in List-Unsubscribe (token in
  // the query, which the door reads first here), without cookies; our own confirmation page posts the same. Idempotent.
  router.post('/mail/unsubscribe', async (req: Request, res: Response) => {
    const token = readUnsubscribe(res);
    if (token === null) return badReaderLink(req, res);
    await unsubscribeReplies(db, token.commentId);
    const lang = await readerLanguage(req, { commentId: token.commentId });
    const w = wordsFor(lang).landing;
    tell(res, lang, 200, w.unsubscribedTitle, w.unsubscribeText);
  });

  // Double opt-in. GET only shows the button (mail scanners open every link); POST confirms, and a
  // second POST of the same link answers the same (idempotent) until the link expires.
  const readConfirm = (res: Response): ConfirmToken | null => {
    const read = mailLinkOf(res);
    return read.ok && read.token.kind === 'confirm' ? read.token : null;
  };

  router.get('/mail/confirm', async (req: Request, res: Response) => {
    const token = readConfirm(res);
    if (token === null) return badReaderLink(req, res, (w) => w.confirmAgain);
    const lang = await readerLanguage(req, { siteId: token.siteId, nonce: token.nonce });
    res
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .set('Content-Language', lang)
      .type('html')
      .send(renderConfirmAddress(String(mailTokenOf(req)), lang));
  });

  router.post('/mail/confirm', async (req: Request, res: Response) => {
    const token = readConfirm(res);
    if (token === null) return badReaderLink(req, res, (w) => w.confirmAgain);
    const lang = await readerLanguage(req, { siteId: token.siteId, nonce: token.nonce });
    const w = wordsFor(lang).landing;
    const outcome = await confirmReplyMailAddress(db, token.siteId, token.nonce);
    if (outcome === null) return tell(res, lang, 404, w.nothingTitle, w.nothing);
    tell(res, lang, 200, w.confirmedTitle, w.confirmed);
  });

  return router;
}

class NothingChanged extends Error {}
