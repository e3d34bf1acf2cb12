import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Mailer } from '../src/mail/mailer.js';
import { renderHeldDigest, renderReplyConfirm, renderReplyNotice } from '../src/mail/mail-templates.js';
import { loadMailKey, newNonce, signMailToken } from '../src/mail/mail-tokens.js';
import type {
  EmailJobData,
  EmailJobName,
  HeldJob,
  InviteJob,
  ReplyJob,
  SignInJob,
  StatementJob,
} from '../src/queue/email-queue.js';
import type { Pool } from '../src/store/db.js';
import {
  claimConfirmation,
  claimReplyNotice,
  deferConfirmation,
  listDueConfirmations,
  listDueDigests,
  loadReplyNotice,
  markNoticesSent,
  pruneSentNotices,
  queueHeldNotices,
  takeUnsentNotices,
} from '../src/store/mail-notices.js';
import { inTransaction } from '../src/store/moderation-actions.js';
import { sendSignInMail } from '../src/mail/sign-in-mail.js';
import { sendInviteMail } from '../src/mail/invite-mail.js';
import { sendStatementMail } from '../src/mail/statement-mail.js';

export interface EmailProcessorDeps {
  db: Pool;
  logger: Logger;
  mailer: Mailer;
  /** Where readers and moderators reach the service (links in mails). */
  publicUrl: string;
  /** At most one held-comment digest per moderator per this long. @defaultValue 10 minutes */
  digestIntervalMs?: number;
  /** How long one-click moderation links work. @defaultValue 48 hours */
  linkTtlSeconds?: number;
  /** How long the link in a reply-mail confirmation works. @defaultValue 7 days */
  confirmTtlSeconds?: number;
  /** Comments listed in one digest (the rest are counted, and wait in the queue). @defaultValue 50 */
  digestMaxItems?: number;
  now?: () => Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Held-comment digests and reply notices. Mail goes out inside the transaction that records it (the
 * notices marked sent, the reply claimed), so a failed send rolls back and is retried; the price is a
 * duplicate mail in the rare case the server took it and the commit then failed — better than a lost one.
 */
export function createEmailProcessor(deps: EmailProcessorDeps) {
  const { db, logger, mailer, publicUrl } = deps;
  const now = deps.now ?? (() => new Date());
  const digestIntervalMs = deps.digestIntervalMs ?? 10 * 60_000;
  const linkTtlSeconds = deps.linkTtlSeconds ?? 48 * 3600;
  const maxItems = deps.digestMaxItems ?? 50;
  const confirmTtlSeconds = deps.confirmTtlSeconds ?? 7 * 86_400;
  let key: Promise<string> | null = null;
  const mailKey = (): Promise<string> => {
    key ??= loadMailKey(db).catch((err: unknown) => {
      key = null;
      throw err;
    });
    return key;
  };

  async function sendDigest(moderatorId: number): Promise<number> {
    const k = await mailKey();
    return inTransaction(db, async (client) => {
      const { pending, moderator } = await takeUnsentNotices(client, moderatorId);
      if (moderator === null || pending.length === 0) return 0;
      const expiresAt = Math.floor(now().getTime() / 1000) + linkTtlSeconds;
      const link = (commentId: string, nonce: string, action: 'approve' | 'reject' | 'spam') =>
        `${publicUrl}/mail/moderate?token=${signMailToken(k, { kind: 'moderate', commentId, action, moderatorId, expiresAt, nonce })}`;
      const listed = pending.slice(0, maxItems);
      const mail = renderHeldDigest({
        moderatorName: moderator.name,
        items: listed.map((p) => {
          const nonce = newNonce();
          return {
            ...p,
            links: {
              approve: link(p.commentId, nonce, 'approve'),
              reject: link(p.commentId, nonce, 'reject'),
              spam: link(p.commentId, nonce, 'spam'),
            },
          };
        }),
        more: pending.length - listed.length,
        queueUrl: `${publicUrl}/admin`,
        settingsUrl: `${publicUrl}/admin/me`,
        linkHours: Math.round(linkTtlSeconds / 3600),
      });
      // Every waiting notice counts as told (the unlisted ones are counted in the mail).
      await markNoticesSent(
        client,
        moderatorId,
        pending.map((p) => p.commentId),
      );
      await mailer.send({ to: moderator.email, ...mail });
      return pending.length;
    });
  }

  async function sendReplyNotice(replyId: string): Promise<boolean> {
    const notice = await loadReplyNotice(db, replyId);
    if (notice === null) return false;
    const k = await mailKey();
    return inTransaction(db, async (client) => {
      if (!(await claimReplyNotice(client, replyId))) return false;
      const unsubscribeUrl = `${publicUrl}/mail/unsubscribe?token=${signMailToken(k, { kind: 'unsubscribe', commentId: notice.parentId })}`;
      const mail = renderReplyNotice({
        recipientName: notice.recipientName,
        replyAuthor: notice.replyAuthor,
        replyText: notice.replyText,
        page: notice.page,
        commentUrl: notice.pageUrl === null ? null : `${notice.pageUrl.split('#')[0]}#comment-${notice.replyId}`,
        unsubscribeUrl,
        lang: notice.lang,
      });
      await mailer.send({ to: notice.recipientEmail, ...mail, unsubscribeUrl });
      return true;
    });
  }

  // Double opt-in: one mail per address owed a confirmation, each claimed in its own transaction with
  // the send. A failed send still commits its claim, turned into a deferral (the attempt counts as the
  // day's mail, the address stays owed one) in the same transaction: were the claim rolled back and the
  // deferral written after, an overlapping sweep waiting on the row lock would claim and try again.
  async function sendConfirmation(c: {
    siteId: string;
    siteName: string;
    email: string;
    lang: string;
  }): Promise<boolean> {
    const k = await mailKey();
    let refused: unknown = null;
    const sent = await inTransaction(db, async (client) => {
      const nonce = await claimConfirmation(client, c.siteId, c.email);
      if (nonce === null) return false;
      const expiresAt = Math.floor(now().getTime() / 1000) + confirmTtlSeconds;
      const confirmUrl = `${publicUrl}/mail/confirm?token=${signMailToken(k, { kind: 'confirm', siteId: c.siteId, nonce, expiresAt })}`;
      try {
        await mailer.send({
          to: c.email,
          ...renderReplyConfirm({
            siteName: c.siteName,
            confirmUrl,
            linkDays: Math.round(confirmTtlSeconds / 86_400),
            lang: c.lang,
          }),
        });
      } catch (err) {
        await deferConfirmation(client, c.siteId, c.email);
        refused = err;
        return false;
      }
      return true;
    });
    if (refused !== null) throw refused;
    return sent;
  }

  return async function processEmail(job: Job<EmailJobData, unknown, EmailJobName>): Promise<unknown> {
    if (job.name === 'held') {
      const d = job.data as Partial<HeldJob>;
      if (typeof d.commentId !== 'string' || !UUID.test(d.commentId) || typeof d.siteId !== 'string')
        throw new UnrecoverableError('invalid held payload');
      return { moderators: await queueHeldNotices(db, d.commentId, d.siteId) };
    }
    if (job.name === 'reply') {
      const d = job.data as Partial<ReplyJob>;
      if (typeof d.commentId !== 'string' || !UUID.test(d.commentId))
        throw new UnrecoverableError('invalid reply payload');
      return { sent: await sendReplyNotice(d.commentId) };
    }
    if (job.name === 'digest') {
      const due = await listDueDigests(db, digestIntervalMs);
      let comments = 0;
      // One moderator's failing mailbox must not hold up the others' digests: each is tried, then the
      // first failure is rethrown (the scheduler's next run retries whoever is still due anyway).
      let failure: unknown = null;
      for (const moderatorId of due) {
        try {
          comments += await sendDigest(moderatorId);
        } catch (err) {
          logger.warn({ moderatorId, err: (err as Error).message }, 'held-comment digest not sent');
          failure ??= err;
        }
      }
      // Confirmations ride on the same sweep: they wait for it at most DIGEST_SWEEP_MS, and need no job
      // per comment (the address's row says what is owed).
      let confirmations = 0;
      for (const c of await listDueConfirmations(db)) {
        try {
          if (await sendConfirmation(c)) confirmations += 1;
        } catch (err) {
          logger.warn(
            { siteId: c.siteId, err: (err as Error).message },
            'reply-mail confirmation not sent; tried again in a day',
          );
          failure ??= err;
        }
      }
      await pruneSentNotices(db).catch(() => {});
      if (failure !== null) throw failure;
      return { digests: due.length, comments, confirmations };
    }
    if (job.name === 'sign-in') return sendSignInMail({ db, mailer, publicUrl }, job.data as Partial<SignInJob>);
    if (job.name === 'invite') return sendInviteMail({ db, mailer, publicUrl }, job.data as Partial<InviteJob>);
    if (job.name === 'statement')
      return sendStatementMail({ db, mailer, publicUrl, mailKey, now }, job.data as Partial<StatementJob>);
    throw new UnrecoverableError(`unknown email job ${job.name}`);
  };
}
