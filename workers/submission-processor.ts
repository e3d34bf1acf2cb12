import { toReaderLanguage } from '../src/i18n/reader-language.js';
import { isIP } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { isUuid, type CommentFields } from '../src/domain/comment-fields.js';
import { contentHash } from '../src/domain/content-hash.js';
import { countLinks } from '../src/domain/count-links.js';
import { renderCommentHtml } from '../src/domain/render-comment.js';
import { submissionSchema, type Submission } from '../src/domain/submission.js';
import type { AkismetCheck, AkismetClient } from '../src/akismet/akismet-client.js';
import { saveAkismetCheck } from '../src/akismet/akismet-store.js';
import { checkComment } from '../src/moderation/check-comment.js';
import { toStoredFacts } from '../src/moderation/stored-facts.js';
import { asksAkismet } from '../src/moderation/rules/akismet-rule.js';
import { asksExternalCheck } from '../src/moderation/rules/external-check-rule.js';
import { toCheckHookRequest } from '../src/hooks/check-hook-request.js';
import type { ExternalChecker } from '../src/hooks/external-checker.js';
import { createStatusChanges } from '../src/moderation/status-changes.js';
import type { AnnounceThread } from '../src/queue/live-threads.js';
import { enqueueAkismetRecheck, type AkismetQueue } from '../src/queue/akismet-queue.js';
import { blogOf } from '../src/akismet/akismet-blog.js';
import type { CheckContext, CommentStatus } from '../src/moderation/verdict.js';
import type { PublishLiveEvent } from '../src/queue/live-events.js';
import type { SubmitResult } from '../src/queue/submissions-queue.js';
import type { CommentEventsQueue } from '../src/queue/comment-events-queue.js';
import { enqueueDeskNotice, pageSurgeNoticeId, type DeskNoticesQueue } from '../src/queue/desk-notices-queue.js';
import type { PageSurgeTracker, PageSurgeVerdict } from '../src/flood/page-surge-tracker.js';
import { insertReplySubscription } from '../src/store/mail-notices.js';
import { scoreSpam } from '../src/spam/score-spam.js';
import { createAbuseModels } from '../src/abuse/abuse-store.js';
import { scoreAbuse } from '../src/abuse/score-abuse.js';
import { createSpamModels, type SpamModels } from '../src/spam/spam-models.js';
import { loadCheckFacts } from '../src/store/batched/check-facts.js';
import { isLocalAddress, toCanonicalIp } from '../src/flood/ip-network.js';
import type { CommentWriter } from '../src/store/batched/comment-writer.js';
import type { Queryable } from '../src/store/db.js';
import { isDataError } from '../src/store/pg-errors.js';

export interface SubmissionProcessorDeps {
  db: Queryable;
  writer: CommentWriter;
  logger: Logger;
  /** Tells open dashboards about a newly held comment (live queue); left out, nobody is told. */
  publish?: PublishLiveEvent;
  /** The spam classifier's models; left out, the processor keeps its own copy, refreshed from `db`. */
  spamModels?: SpamModels;
  /** The abuse filter's models (src/abuse/abuse-store.ts); left out, the processor keeps its own copy. */
  abuseModels?: SpamModels;
  /** Comment events (webhooks, mail notices); left out, stored comments announce nothing. */
  events?: CommentEventsQueue;
  /** Readers' live threads: comments this publishes or takes down; left out, nobody is told. */
  thread?: AnnounceThread;
  /**
   * Brigades on one story (src/flood/page-surge-tracker.ts): each comment is counted on its page, and a
   * page under a brigade holds its new comments (PAGE_SURGE); the comment that starts one queues the
   * desk notice (mail, chat, `page.surge` webhook). Left out, no page is ever under one.
   */
  pageSurge?: { tracker: PageSurgeTracker; notices?: DeskNoticesQueue };
  /** Akismet (AKISMET_KEY); left out, it is never asked. */
  akismet?: {
    client: AkismetClient;
    /** Where rechecks of comments held while Akismet could not answer are queued. */
    queue: AkismetQueue;
    /** The first recheck's delay (AKISMET_RECHECK_MS). */
    recheckDelayMs: number;
    /** Akismet's `blog` when the page's URL is unknown (PUBLIC_URL). */
    publicUrl: string;
  };
  /** The sites' external check hooks (src/hooks/external-checker.ts); left out, no hook is ever asked. */
  externalCheck?: ExternalChecker;
}

function websiteHost(url: string): string {
  try {
    return url === '' ? '' : new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/** Parses a job's payload; a payload that cannot be a submission will never succeed, so no retries. */
function parseSubmission(data: unknown): Submission {
  const parsed = submissionSchema.safeParse(data);
  if (!parsed.success)
    throw new UnrecoverableError(`invalid submission payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/**
 * Checks one submission and stores the outcome. Idempotent: a job retried after its row was written
 * (worker killed between commit and ack) finds the row and stops. Database errors are rethrown so
 * BullMQ retries with backoff; nothing is dropped while Postgres is away. A data error (Postgres
 * refused this job's own values: SQLSTATE class 22/23, src/store/pg-errors.ts) would fail the same way
 * on every retry, so it fails this job at once (the batchers have already kept it from failing the
 * jobs batched with it).
 */
export function createSubmissionProcessor(deps: SubmissionProcessorDeps) {
  const { db, writer, logger } = deps;
  // Comment events and the live event (src/moderation/status-changes.ts): after the commit, not
  // awaited and never failing the job; the event is a hint, the row is the truth, and a job must not
  // wait on (or retry for) a Redis hiccup once its comment is safely stored.
  const after = createStatusChanges({ logger, events: deps.events, publish: deps.publish, thread: deps.thread });
  // The reader's opt-in to reply mails is data, not a hint: awaited, and redone by a retried job.
  const keepReplyOptIn = async (s: Submission, status: CommentStatus): Promise<void> => {
    if (s.notifyReplies === true && s.email !== '' && (status === 'approved' || status === 'pending')) {
      await insertReplySubscription(db, {
        commentId: s.id,
        siteId: s.siteId,
        email: s.email,
        lang: toReaderLanguage(s.lang) ?? '',
      });
    }
  };
  // On by default: every processor scores with the stored models (untrained ones abstain).
  const spamModels = deps.spamModels ?? createSpamModels(db);
  const abuseModels = deps.abuseModels ?? createAbuseModels(db);
  return async function processSubmission(job: Job<Submission>): Promise<SubmitResult> {
    const s = parseSubmission(job.data);
    try {
      return await checkAndStore(job, s);
    } catch (err) {
      if (!isDataError(err)) throw err;
      const e = err as Error & { code: string };
      logger.warn(
        { commentId: s.id, siteId: s.siteId, code: e.code, err: e.message },
        'submission refused by the database; not retried',
      );
      throw new UnrecoverableError(`the database refused this submission's data (SQLSTATE ${e.code}): ${e.message}`);
    }
  };

  async function checkAndStore(job: Job<Submission>, s: Submission): Promise<SubmitResult> {
    const fields: CommentFields = {
      page: s.page,
      parentId: s.parentId,
      author: s.author,
      email: s.email,
      url: s.url,
      body: s.body,
    };
    const receivedAt = new Date(s.receivedAt);
    // One form for matching and storing: ::ffff:1.2.3.4 is 1.2.3.4, or IPv4 bans and ranges miss it.
    const ip = s.ip !== null && isIP(s.ip) ? toCanonicalIp(s.ip) : null;
    // A shared address (a proxy's, loopback) says nothing about who wrote this: jobs queued before
    // intake said so are judged by the address alone.
    const distinctIp = ip !== null && !(s.ipShared ?? isLocalAddress(ip)) ? ip : null;
    const hash = contentHash({
      siteId: s.siteId,
      page: s.page,
      parentId: s.parentId,
      author: s.author,
      email: s.email,
      body: s.body,
    });
    const facts = await loadCheckFacts(db, {
      id: s.id,
      siteId: s.siteId,
      page: s.page,
      pageUrl: s.pageUrl,
      pageTitle: s.pageTitle,
      // A malformed parent id is refused by the field rule; it must not reach SQL as a uuid.
      parentId: s.parentId !== null && isUuid(s.parentId) ? s.parentId : null,
      email: s.email,
      ip,
      distinctIp,
      contentHash: hash,
      receivedAt,
      websiteHost: websiteHost(s.url),
      // The reader's history, bans and trust are theirs, not their email's (issue 14).
      readerId: s.reader?.id ?? null,
    });
    if (facts === null) throw new UnrecoverableError(`site ${s.siteId} no longer exists`);
    if (facts.storedStatus !== null) {
      // A retry after the row was committed: what the first run may not have finished (a worker killed
      // between the commit and these) is done again; both are idempotent.
      if (job.attemptsMade > 0) {
        await keepReplyOptIn(s, facts.storedStatus);
        void after.stored(
          { id: s.id, siteId: s.siteId, status: facts.storedStatus },
          { retry: true, audience: facts.eventAudience },
        );
      }
      return { status: facts.storedStatus, alreadyStored: true };
    }

    // A reader erased after intake (DELETE /api/readers/me): their comment goes with them, and storing it
    // as a guest's would keep what they asked to be rid of.
    if (facts.reader !== null && !facts.reader.found)
      throw new UnrecoverableError(`reader ${s.reader?.id} of site ${s.siteId} no longer exists`);
    // Both models at once (the abuse filter adds no round trip); not asked where a site turned it off.
    const [spamView, abuseView] = await Promise.all([
      spamModels.viewFor(s.siteId),
      facts.settings.abuseFilter === 'off' ? null : abuseModels.viewFor(s.siteId),
    ]);
    const spamScore = scoreSpam(spamView, { body: s.body, url: s.url });
    const abuseScore = abuseView === null ? null : scoreAbuse(abuseView, { body: s.body, url: s.url });
    // Counted once the author's history is known (a first-timer?), and only for comments not stored yet.
    let brigade: PageSurgeVerdict | null = null;
    if (deps.pageSurge && facts.settings.pageSurgeScore > 0) {
      brigade = await deps.pageSurge.tracker.observe({
        siteId: s.siteId,
        pageId: facts.page.id,
        firstTime: !facts.authorHasApproved,
        // "The same text from different addresses": only an IP that tells readers apart counts; a shared
        // one (an untrusted proxy's, loopback) says nothing about who sent what, as for every IP rule.
        address: distinctIp,
        body: s.body,
        thresholds: { minimum: facts.settings.pageSurgeMinimum, threshold: facts.settings.pageSurgeScore },
      });
    }
    const context: CheckContext = {
      fields,
      honeypot: s.honeypot,
      receivedAt,
      settings: facts.settings,
      page: facts.page,
      parent: s.parentId !== null && !isUuid(s.parentId) ? null : facts.parent,
      duplicate: facts.duplicate,
      lastFromAuthorAt: facts.lastFromAuthorAt,
      authorHasApproved: facts.authorHasApproved,
      ban: facts.ban,
      trusted: facts.trusted,
      linkCount: countLinks(s.body),
      spamScore,
      abuseScore,
      formToken: { status: s.formToken ?? 'missing', renderedAt: s.formRenderedAt ? new Date(s.formRenderedAt) : null },
      surge: s.surge === true,
      spamMemory: facts.spamMemory,
      reader: s.reader ? { id: s.reader.id } : null,
      pageSurge: brigade?.active ? { score: brigade.score, signals: brigade.signals } : null,
    };
    let verdict = checkComment(context);
    // A second opinion only where the rule says one is wanted (asksAkismet, src/moderation/rules/akismet-rule.ts).
    let akismet: AkismetCheck | null = null;
    if (deps.akismet && asksAkismet(context, verdict)) {
      const permalink = s.pageUrl ?? '';
      akismet = await deps.akismet.client.commentCheck({
        blog: blogOf(permalink, deps.akismet.publicUrl),
        userIp: ip ?? '',
        userAgent: s.userAgent,
        referrer: s.referrer,
        permalink,
        commentType: s.parentId === null ? 'comment' : 'reply',
        author: s.author,
        email: s.email,
        url: s.url,
        content: s.body,
        date: receivedAt,
        lang: s.lang ?? '',
      });
      // Queued before the row is written, so a crash in between cannot leave a held comment that is
      // never rechecked (the recheck waits for the row). Failing to queue fails the job: it is retried
      // rather than storing a comment held for an answer nobody will ask for.
      if (akismet.result === 'unavailable')
        await enqueueAkismetRecheck(deps.akismet.queue, s.id, deps.akismet.recheckDelayMs);
      verdict = checkComment({ ...context, akismet });
    }
    // The site's check hook, where it has one, about what the local rules (and Akismet) would publish
    // or hold. Once per comment: a retried job whose row is stored returned above, before any check.
    // Kept with the facts, so a backtest re-runs the hook's rule on its answer as it was.
    let externalCheck: CheckContext['externalCheck'] = null;
    if (deps.externalCheck && asksExternalCheck(verdict)) {
      externalCheck = await deps.externalCheck.check(s.siteId, toCheckHookRequest(s, verdict));
      if (externalCheck !== null) verdict = checkComment({ ...context, akismet, externalCheck });
    }
    const parentDepth = facts.parent !== null && facts.parent !== 'missing' ? facts.parent.depth : -1;
    const result = await writer.write({
      id: s.id,
      siteId: s.siteId,
      pageId: facts.page.id,
      // A refused reply keeps no link to a parent it may not hang under.
      parentId: verdict.status === 'rejected' || parentDepth < 0 ? null : s.parentId,
      depth: verdict.status === 'rejected' ? 0 : parentDepth + 1,
      authorName: s.author,
      authorEmail: s.email,
      authorUrl: s.url,
      body: s.body,
      bodyHtml: renderCommentHtml(s.body),
      verdict,
      contentHash: hash,
      ip,
      userAgent: s.userAgent,
      referrer: s.referrer,
      idempotencyKey: s.key,
      receivedAt,
      // The badge as it is now (a moderator may have turned it off since intake), the avatar as intake had it.
      reader: s.reader ? { id: s.reader.id, staff: facts.reader?.staff ?? false, avatar: s.reader.avatar } : null,
      // Mails about this comment (replies to it) go in the language its author wrote in.
      lang: toReaderLanguage(s.lang) ?? '',
      // The facts the verdict rests on, Akismet's answer included, so a backtest re-runs it exactly.
      checkFacts: toStoredFacts({
        ...context,
        ...(akismet === null ? {} : { akismet }),
        ...(externalCheck === null ? {} : { externalCheck }),
      }),
    });
    logger.debug(
      { commentId: s.id, status: result.status, reasons: verdict.reasons.map((r) => r.code) },
      'comment checked',
    );
    if (akismet !== null && !result.alreadyStored) {
      await saveAkismetCheck(db, {
        commentId: s.id,
        permalink: s.pageUrl ?? '',
        commentType: s.parentId === null ? 'comment' : 'reply',
        lang: s.lang ?? '',
        result: akismet.result,
        detail: akismet.detail,
      });
    }
    // Only the run that stored the row announces it, after the commit, so a dashboard that fetches the
    // card finds it.
    if (!result.alreadyStored) {
      await keepReplyOptIn(s, result.status);
      // Only the events someone could hear of: on a site without webhooks, most comments queue none.
      void after.stored({ id: s.id, siteId: s.siteId, status: result.status }, { audience: facts.eventAudience });
    }
    // After the write, so the notice counts this comment among the page's held ones. Exactly one
    // comment starts a brigade (the flag is set with NX), so its notice is queued once; a failure to
    // queue it is logged, not retried: the page is held either way, and the desk shows the banner.
    if (brigade?.started && brigade.since !== null && deps.pageSurge?.notices) {
      await enqueueDeskNotice(deps.pageSurge.notices, {
        kind: 'page-surge',
        id: pageSurgeNoticeId(s.siteId, facts.page.id, brigade.since),
        siteId: s.siteId,
        pageId: facts.page.id,
        commentId: s.id,
        since: new Date(brigade.since).toISOString(),
        score: brigade.score,
        signals: brigade.signals,
      }).catch((err: unknown) =>
        logger.warn({ err, siteId: s.siteId, pageId: facts.page.id }, 'brigade notice not queued'),
      );
    }
    return { status: result.status, alreadyStored: result.alreadyStored };
  }
}
