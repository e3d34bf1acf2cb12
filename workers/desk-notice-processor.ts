import { UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { Mailer } from '../src/mail/mailer.js';
import { toChatBody, type ChatNotice } from '../src/notify/chat-formats.js';
import { toAppealChatNotice, toHeldChatNotice, toSurgeChatNotice } from '../src/notify/desk-notice-text.js';
import { renderPageSurgeMail } from '../src/notify/page-surge-mail.js';
import {
  deliveryJobId,
  deliveryJobOptions,
  retryDelayMs,
  type CommentEventsQueue,
  type WebhookDeliveryJob,
} from '../src/queue/comment-events-queue.js';
import {
  chatJobOptions,
  type AppealOpenedNotice,
  type ChatDeliveryJob,
  type DeskNotice,
  type DeskNoticeJobData,
  type DeskNoticeJobName,
  type DeskNoticesQueue,
  type HeldWaitingNotice,
  type PageSurgeNotice,
  type SurgeMailJob,
} from '../src/queue/desk-notices-queue.js';
import type { Queryable } from '../src/store/db.js';
import {
  claimHeldNotice,
  listChatSubscribers,
  loadChatTarget,
  recordChatAttempt,
  releaseHeldNotice,
  type ChatTarget,
} from '../src/store/notify/chat-targets.js';
import {
  countHeldWaiting,
  insertPageSurgeAudit,
  listSiteMailRecipients,
  loadCommentPageId,
  loadNoticePage,
} from '../src/store/notify/desk-notice-facts.js';
import { listSubscribers } from '../src/store/webhooks.js';
import { postWebhook } from '../src/webhooks/deliver-webhook.js';
import { toPageSurgeWebhookPayload } from '../src/webhooks/page-surge-payload.js';

export interface DeskNoticeProcessorDeps {
  db: Queryable;
  logger: Logger;
  /** Where `chat` and `mail` jobs go: the queue this processor serves. */
  queue: DeskNoticesQueue;
  /** Webhook deliveries of `page.surge` go on the comment-events queue, as every delivery does. */
  events?: CommentEventsQueue;
  /** SMTP (SMTP_URL); left out, brigades are not mailed. */
  mailer?: Mailer | null;
  /** Links in notices (PUBLIC_URL). */
  publicUrl: string;
  /** Posts to private and loopback addresses (tests, an intranet Mattermost). @defaultValue false */
  allowPrivate?: boolean;
  /** One attempt's limit. @defaultValue 5000 */
  timeoutMs?: number;
  /** Attempts and backoff of chat posts. @defaultValue chatJobOptions */
  chatOptions?: JobsOptions;
  /** Attempts and backoff of webhook deliveries. @defaultValue deliveryJobOptions */
  deliveryOptions?: JobsOptions;
}

/**
 * Fans desk notices out and delivers them (src/queue/desk-notices-queue.ts). A chat post is logged on
 * its target (the latest attempt) whatever happens; a non-2xx answer or a timeout is rethrown so BullMQ
 * retries with backoff, a 2xx is done (never posted twice: the job completes), and a refused target
 * (the SSRF guard) fails at once.
 */
export function createDeskNoticeProcessor(deps: DeskNoticeProcessorDeps) {
  const { db, logger, queue, publicUrl } = deps;
  const timeoutMs = deps.timeoutMs ?? 5000;
  const chatOptions = { ...chatJobOptions, ...deps.chatOptions };
  const deliveryOptions = { ...deliveryJobOptions, ...deps.deliveryOptions };
  const deskUrl = `${publicUrl}/admin`;

  async function queueChat(noticeId: string, kind: DeskNotice['kind'], targets: ChatTarget[], n: ChatNotice) {
    if (targets.length === 0) return 0;
    await queue.addBulk(
      targets.map((t) => ({
        name: 'chat' as const,
        data: { targetId: t.id, noticeKind: kind, body: toChatBody(t.service, n) } satisfies ChatDeliveryJob,
        opts: { ...chatOptions, jobId: `${noticeId}-c${t.id}` },
      })),
    );
    return targets.length;
  }

  async function pageSurge(n: PageSurgeNotice) {
    const page = await loadNoticePage(db, n.pageId);
    if (page === null) return { chats: 0, mails: 0, webhooks: 0 }; // gone with its site
    await insertPageSurgeAudit(db, {
      noticeId: n.id,
      siteId: n.siteId,
      pageId: n.pageId,
      score: n.score,
      signals: n.signals,
      since: n.since,
    });
    const targets = await listChatSubscribers(db, n.siteId, 'surge');
    const chats = await queueChat(n.id, n.kind, targets, toSurgeChatNotice(page, n, deskUrl));
    let mails = 0;
    if (deps.mailer) {
      const recipients = await listSiteMailRecipients(db, n.siteId);
      await queue.addBulk(
        recipients.map((m) => ({
          name: 'mail' as const,
          data: { moderatorId: m.id, notice: n } satisfies SurgeMailJob,
          opts: { jobId: `${n.id}-m${m.id}` },
        })),
      );
      mails = recipients.length;
    }
    let webhooks = 0;
    if (deps.events) {
      const subscribers = await listSubscribers(db, n.siteId, 'page.surge');
      const body = JSON.stringify(toPageSurgeWebhookPayload(n, page));
      await deps.events.addBulk(
        subscribers.map((subscriptionId) => ({
          name: 'deliver' as const,
          data: {
            subscriptionId,
            eventId: n.id,
            eventType: 'page.surge',
            commentId: n.commentId,
            body,
          } satisfies WebhookDeliveryJob,
          opts: { ...deliveryOptions, jobId: deliveryJobId(n.id, subscriptionId) },
        })),
      );
      webhooks = subscribers.length;
    }
    return { chats, mails, webhooks };
  }

  /**
   * Held comments, paced per target: a target told less than its interval ago gets one delayed run at
   * the end of the interval (one job per target and interval: its id), which then tells it of
   * everything that arrived meanwhile, with the count.
   */
  async function heldWaiting(n: HeldWaitingNotice) {
    let targets = await listChatSubscribers(db, n.siteId, 'held');
    if (n.targetId !== undefined) targets = targets.filter((t) => t.id === n.targetId);
    let chats = 0;
    for (const t of targets) {
      const claim = await claimHeldNotice(db, t.id);
      if (claim === null) continue;
      if (!claim.claimed) {
        const at = claim.notBefore.getTime();
        await queue.add(
          'notice',
          { kind: 'held-waiting', siteId: n.siteId, targetId: t.id } satisfies HeldWaitingNotice,
          { jobId: `held-t${t.id}-${at}`, delay: Math.max(0, at - Date.now()) },
        );
        continue;
      }
      const counts = await countHeldWaiting(db, n.siteId, claim.previous);
      if (counts === null || counts.fresh === 0) {
        // Nothing new since the last notice (decided meanwhile): the claim goes back unused.
        await releaseHeldNotice(db, t.id, claim.previous);
        continue;
      }
      const noticeId = `held-${t.id}-${Date.now()}`;
      chats += await queueChat(
        noticeId,
        n.kind,
        [t],
        toHeldChatNotice({ id: n.siteId, name: counts.siteName }, counts, deskUrl),
      );
    }
    return { chats };
  }

  async function appealOpened(n: AppealOpenedNotice) {
    const pageId = await loadCommentPageId(db, n.commentId);
    const page = pageId === null ? null : await loadNoticePage(db, pageId);
    if (page === null || page.siteId !== n.siteId) return { chats: 0 };
    const targets = await listChatSubscribers(db, n.siteId, 'appeal');
    const link = `${publicUrl}${n.deskPath.startsWith('/') ? n.deskPath : '/admin'}`;
    return { chats: await queueChat(n.id, n.kind, targets, toAppealChatNotice(page, n.openAppeals, link)) };
  }

  async function deliverChat(job: Job<DeskNoticeJobData, unknown, DeskNoticeJobName>, d: ChatDeliveryJob) {
    const target = await loadChatTarget(db, d.targetId);
    // Removed since the notice: nothing to post, nothing to retry.
    if (target === null) return { statusCode: null };
    const attempt = job.attemptsMade + 1;
    const attempts = job.opts.attempts ?? 1;
    const outcome = await postWebhook({
      url: target.url,
      body: d.body,
      timeoutMs,
      allowPrivate: deps.allowPrivate ?? false,
      headers: { 'content-type': 'application/json', 'user-agent': 'Reply-Desk-Notices/1' },
    });
    const last = outcome.refused || attempt >= attempts;
    const result = outcome.ok ? 'delivered' : last ? 'failed' : 'retrying';
    await recordChatAttempt(db, target.id, { result, statusCode: outcome.statusCode, error: outcome.error });
    if (outcome.ok) return { statusCode: outcome.statusCode };
    logger.info(
      {
        targetId: target.id,
        attempt,
        error: outcome.error,
        nextRetryMs: result === 'retrying' ? retryDelayMs(job.opts, attempt) : null,
      },
      'chat notice failed',
    );
    if (outcome.refused) throw new UnrecoverableError(outcome.error ?? 'refused');
    throw new Error(outcome.error ?? 'chat notice failed');
  }

  async function sendSurgeMail(d: SurgeMailJob) {
    if (!deps.mailer) return { sent: false };
    const n = d.notice;
    const [recipients, page] = await Promise.all([listSiteMailRecipients(db, n.siteId), loadNoticePage(db, n.pageId)]);
    // Turned mail off, lost the site or left since the fan-out: nobody to tell.
    const m = recipients.find((r) => r.id === d.moderatorId);
    if (!m || page === null) return { sent: false };
    const mail = renderPageSurgeMail({
      moderatorName: m.name,
      siteName: page.siteName,
      page: page.title ?? page.url ?? page.identifier,
      pageUrl: page.url,
      pending: page.pending,
      score: n.score,
      signals: n.signals,
      deskUrl,
      settingsUrl: `${publicUrl}/admin/me`,
    });
    await deps.mailer.send({ to: m.email, ...mail });
    return { sent: true };
  }

  return async function processDeskNotice(job: Job<DeskNoticeJobData, unknown, DeskNoticeJobName>): Promise<unknown> {
    if (job.name === 'notice') {
      const n = job.data as Partial<DeskNotice>;
      if (typeof n.siteId !== 'string') throw new UnrecoverableError('invalid desk notice payload');
      if (n.kind === 'page-surge') return pageSurge(n as PageSurgeNotice);
      if (n.kind === 'held-waiting') return heldWaiting(n as HeldWaitingNotice);
      if (n.kind === 'appeal-opened') return appealOpened(n as AppealOpenedNotice);
      throw new UnrecoverableError(`unknown desk notice ${String(n.kind)}`);
    }
    if (job.name === 'chat') {
      const d = job.data as Partial<ChatDeliveryJob>;
      if (!Number.isInteger(d.targetId) || typeof d.body !== 'string')
        throw new UnrecoverableError('invalid chat delivery payload');
      return deliverChat(job, d as ChatDeliveryJob);
    }
    if (job.name === 'mail') {
      const d = job.data as Partial<SurgeMailJob>;
      if (!Number.isInteger(d.moderatorId) || typeof d.notice?.siteId !== 'string')
        throw new UnrecoverableError('invalid brigade mail payload');
      return sendSurgeMail(d as SurgeMailJob);
    }
    throw new UnrecoverableError(`unknown desk notice job ${job.name}`);
  };
}
