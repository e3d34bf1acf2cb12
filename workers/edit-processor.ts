import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { AkismetCheck, AkismetClient } from '../src/akismet/akismet-client.js';
import { blogOf } from '../src/akismet/akismet-blog.js';
import { contentHash } from '../src/domain/content-hash.js';
import { countLinks } from '../src/domain/count-links.js';
import { renderCommentHtml } from '../src/domain/render-comment.js';
import { checkComment } from '../src/moderation/check-comment.js';
import { editCheckRules, toEditOutcome } from '../src/moderation/edit-check.js';
import { asksAkismet } from '../src/moderation/rules/akismet-rule.js';
import { asksExternalCheck } from '../src/moderation/rules/external-check-rule.js';
import { toCheckHookRequest } from '../src/hooks/check-hook-request.js';
import type { ExternalChecker } from '../src/hooks/external-checker.js';
import { createStatusChanges } from '../src/moderation/status-changes.js';
import type { AnnounceThread } from '../src/queue/live-threads.js';
import type { CheckContext } from '../src/moderation/verdict.js';
import { enqueueAkismetRecheck, type AkismetQueue } from '../src/queue/akismet-queue.js';
import { editJobSchema, type EditJob, type EditResult } from '../src/queue/edits-queue.js';
import type { CommentEventsQueue } from '../src/queue/comment-events-queue.js';
import type { PublishLiveEvent } from '../src/queue/live-events.js';
import { scoreSpam } from '../src/spam/score-spam.js';
import { createAbuseModels } from '../src/abuse/abuse-store.js';
import { scoreAbuse } from '../src/abuse/score-abuse.js';
import { createSpamModels, type SpamModels } from '../src/spam/spam-models.js';
import type { Pool } from '../src/store/db.js';
import { hasLiveDuplicate, isFingerprintTaken, loadEditFacts, storeAuthorEdit } from '../src/store/own-comments.js';
import { isDataError } from '../src/store/pg-errors.js';

export interface EditProcessorDeps {
  db: Pool;
  logger: Logger;
  /** Tells open dashboards about a published comment an edit sent back to the queue; left out, nobody is told. */
  publish?: PublishLiveEvent;
  /** Comment events (webhooks: `comment.held`, `comment.spam`); left out, nothing is announced. */
  events?: CommentEventsQueue;
  /** Readers' live threads: comments this publishes or takes down; left out, nobody is told. */
  thread?: AnnounceThread;
  /** The spam classifier's models; left out, the processor keeps its own copy, refreshed from `db`. */
  spamModels?: SpamModels;
  /** The abuse filter's models; left out, the processor keeps its own copy, refreshed from `db`. */
  abuseModels?: SpamModels;
  /**
   * Akismet (AKISMET_KEY); left out, it is never asked. An edit Akismet cannot check is held and
   * rechecked later, as a new comment is (workers/akismet-processor.ts reads the comment's current text).
   */
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

function parseEditJob(data: unknown): EditJob {
  const parsed = editJobSchema.safeParse(data);
  if (!parsed.success)
    throw new UnrecoverableError(`invalid edit payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/**
 * Checks an author's edit (PATCH /api/comments/:id) with the rules an edit goes through
 * (src/moderation/edit-check.ts) and stores the outcome (src/store/own-comments.ts, storeAuthorEdit).
 * Idempotent: the edit id is unique in comment_edits, so a job retried after its commit (a worker
 * killed before the ack) finds its row and stops. Database errors are rethrown for BullMQ to retry;
 * a data error would fail the same way every time, so it fails the job at once.
 */
export function createEditProcessor(deps: EditProcessorDeps) {
  const { db, logger } = deps;
  const after = createStatusChanges({ logger, events: deps.events, publish: deps.publish, thread: deps.thread });
  const spamModels = deps.spamModels ?? createSpamModels(db);
  const abuseModels = deps.abuseModels ?? createAbuseModels(db);

  async function checkAndStore(e: EditJob): Promise<EditResult> {
    const requestedAt = new Date(e.requestedAt);
    const facts = await loadEditFacts(db, { commentId: e.commentId, editId: e.editId });
    if (facts === null) return { outcome: 'gone', alreadyStored: false };
    if (facts.alreadyStored) return { outcome: 'applied', alreadyStored: true };
    // The stored author, page and parent with the new text: the fingerprint the comment will have.
    const hash = contentHash({
      siteId: facts.siteId,
      page: facts.page.identifier,
      parentId: facts.parentId,
      author: facts.author,
      email: facts.email,
      body: e.body,
    });
    // Both models at once: the abuse filter adds no round trip to an edit's wait.
    const [spamView, abuseView] = await Promise.all([
      spamModels.viewFor(facts.siteId),
      facts.settings.abuseFilter === 'off' ? null : abuseModels.viewFor(facts.siteId),
    ]);
    const context: CheckContext = {
      fields: {
        page: facts.page.identifier,
        parentId: facts.parentId,
        author: facts.author,
        email: facts.email,
        url: facts.url,
        body: e.body,
      },
      honeypot: '',
      receivedAt: requestedAt,
      settings: facts.settings,
      page: { id: facts.page.id, closed: facts.page.closed, firstCommentAt: facts.page.firstCommentAt },
      parent: null,
      duplicate: await hasLiveDuplicate(db, e.commentId, hash),
      lastFromAuthorAt: null,
      // The author's comment was taken: the first-time rule is not in the edit rules, and an IP's
      // spam memory (which reads this) is not loaded for edits.
      authorHasApproved: true,
      // A reader ban is the readers' own kind; the rule only names it in its message.
      ban: facts.ban,
      trusted: facts.trusted,
      linkCount: countLinks(e.body),
      spamScore: scoreSpam(spamView, { body: e.body, url: facts.url }),
      abuseScore: abuseView === null ? null : scoreAbuse(abuseView, { body: e.body, url: facts.url }),
      spamMemory: facts.spamMemory,
    };
    let verdict = checkComment(context, editCheckRules);
    let akismet: AkismetCheck | null = null;
    if (deps.akismet && asksAkismet(context, verdict)) {
      const permalink = facts.page.url ?? '';
      akismet = await deps.akismet.client.commentCheck({
        blog: blogOf(permalink, deps.akismet.publicUrl),
        userIp: facts.ip ?? '',
        userAgent: facts.userAgent,
        referrer: facts.referrer,
        permalink,
        commentType: facts.parentId === null ? 'comment' : 'reply',
        author: facts.author,
        email: facts.email,
        url: facts.url,
        content: e.body,
        date: requestedAt,
        lang: '',
      });
      // Queued before the edit is stored, as for a new comment: a crash in between cannot leave a
      // comment held for an answer nobody asks for (the recheck skips a comment no longer held for it).
      if (akismet.result === 'unavailable')
        await enqueueAkismetRecheck(deps.akismet.queue, e.commentId, deps.akismet.recheckDelayMs);
      verdict = checkComment({ ...context, akismet }, editCheckRules);
    }
    // The site's check hook about the new text, as for a new comment (an edit can carry libel too).
    // Once per edit: a retried job whose edit is stored returned above.
    if (deps.externalCheck && asksExternalCheck(verdict)) {
      const request = toCheckHookRequest(
        {
          id: e.commentId,
          siteId: facts.siteId,
          page: facts.page.identifier,
          pageUrl: facts.page.url,
          pageTitle: null,
          parentId: facts.parentId,
          body: e.body,
          author: facts.author,
          url: facts.url,
          lang: '',
          reader: facts.readerId === null ? null : { id: facts.readerId },
          receivedAt: facts.receivedAt.toISOString(),
        },
        verdict,
        e.editId,
      );
      const externalCheck = await deps.externalCheck.check(facts.siteId, request);
      if (externalCheck !== null) verdict = checkComment({ ...context, akismet, externalCheck }, editCheckRules);
    }
    const stored = await storeAuthorEdit(db, {
      editId: e.editId,
      commentId: e.commentId,
      readerId: e.readerId,
      requestedAt,
      body: e.body,
      bodyHtml: renderCommentHtml(e.body),
      contentHash: hash,
      verdict,
      decide: (current) => toEditOutcome(current, verdict),
    });
    if (stored.result !== 'stored') {
      return { outcome: stored.result === 'already_stored' ? 'applied' : stored.result, alreadyStored: true };
    }
    logger.debug(
      {
        commentId: e.commentId,
        editId: e.editId,
        outcome: stored.outcome,
        reasons: verdict.reasons.map((r) => r.code),
      },
      'edit checked',
    );
    // After the commit, and only by the run that stored it (a retry finds the row and says nothing).
    if (stored.from !== stored.to) {
      void after.changed(
        [{ id: e.commentId, siteId: facts.siteId, fromStatus: stored.from, toStatus: stored.to }],
        'author',
      );
    }
    return { outcome: stored.outcome, alreadyStored: false };
  }

  return async function processEdit(job: Job<EditJob>): Promise<EditResult> {
    const e = parseEditJob(job.data);
    try {
      return await checkAndStore(e);
    } catch (err) {
      // A race for the fingerprint is not about this edit's data: the retry's checks find the other
      // comment and refuse the edit as a duplicate.
      if (!isDataError(err) || isFingerprintTaken(err)) throw err;
      const pgErr = err as Error & { code: string };
      logger.warn(
        { commentId: e.commentId, editId: e.editId, code: pgErr.code, err: pgErr.message },
        'edit refused by the database; not retried',
      );
      throw new UnrecoverableError(`the database refused this edit's data (SQLSTATE ${pgErr.code}): ${pgErr.message}`);
    }
  };
}
