import { isIP } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { isUuid, type CommentFields } from '../src/domain/comment-fields.js';
import { contentHash } from '../src/domain/content-hash.js';
import { countLinks } from '../src/domain/count-links.js';
import { renderCommentHtml } from '../src/domain/render-comment.js';
import { submissionSchema, type Submission } from '../src/domain/submission.js';
import { checkComment } from '../src/moderation/check-comment.js';
import type { PublishLiveEvent } from '../src/queue/live-events.js';
import type { SubmitResult } from '../src/queue/submissions-queue.js';
import { scoreSpam } from '../src/spam/score-spam.js';
import { createSpamModels, type SpamModels } from '../src/spam/spam-models.js';
import { loadCheckFacts } from '../src/store/check-facts.js';
import type { CommentWriter } from '../src/store/comment-writer.js';
import type { Queryable } from '../src/store/db.js';

export interface SubmissionProcessorDeps {
  db: Queryable;
  writer: CommentWriter;
  logger: Logger;
  /** Tells open dashboards about a newly held comment (live queue); left out, nobody is told. */
  publish?: PublishLiveEvent;
  /** The spam classifier's models; left out, the processor keeps its own copy, refreshed from `db`. */
  spamModels?: SpamModels;
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
  if (!parsed.success) throw new UnrecoverableError(`invalid submission payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

/**
 * Checks one submission and stores the outcome. Idempotent: a job retried after its row was written
 * (worker killed between commit and ack) finds the row and stops. Database errors are rethrown so
 * BullMQ retries with backoff; nothing is dropped while Postgres is away.
 */
export function createSubmissionProcessor(deps: SubmissionProcessorDeps) {
  const { db, writer, logger, publish } = deps;
  // On by default: every processor scores with the stored models (untrained ones abstain).
  const spamModels = deps.spamModels ?? createSpamModels(db);
  return async function processSubmission(job: Job<Submission>): Promise<SubmitResult> {
    const s = parseSubmission(job.data);
    const fields: CommentFields = {
      page: s.page, parentId: s.parentId, author: s.author, email: s.email, url: s.url, body: s.body,
    };
    const receivedAt = new Date(s.receivedAt);
    const hash = contentHash({ siteId: s.siteId, page: s.page, parentId: s.parentId, author: s.author, email: s.email, body: s.body });
    const facts = await loadCheckFacts(db, {
      id: s.id, siteId: s.siteId, page: s.page, pageUrl: s.pageUrl, pageTitle: s.pageTitle,
      // A malformed parent id is refused by the field rule; it must not reach SQL as a uuid.
      parentId: s.parentId !== null && isUuid(s.parentId) ? s.parentId : null,
      email: s.email, ip: s.ip !== null && isIP(s.ip) ? s.ip : null, contentHash: hash, receivedAt,
      websiteHost: websiteHost(s.url),
    });
    if (facts === null) throw new UnrecoverableError(`site ${s.siteId} no longer exists`);
    if (facts.storedStatus !== null) return { status: facts.storedStatus, alreadyStored: true };

    const spamScore = scoreSpam(await spamModels.viewFor(s.siteId), { body: s.body, url: s.url });
    const verdict = checkComment({
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
    });
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
      ip: s.ip !== null && isIP(s.ip) ? s.ip : null,
      userAgent: s.userAgent,
      referrer: s.referrer,
      idempotencyKey: s.key,
      receivedAt,
    });
    logger.debug({ commentId: s.id, status: result.status, reasons: verdict.reasons.map((r) => r.code) }, 'comment checked');
    // Only the run that stored the row announces it, after the commit, so a dashboard that fetches the
    // card finds it. Not awaited and never failing the job: the event is a hint, the row is the truth,
    // and a job must not wait on (or retry for) a Redis hiccup once its comment is safely stored.
    if (publish && !result.alreadyStored && (result.status === 'pending' || result.status === 'spam')) {
      publish({ id: s.id, siteId: s.siteId, status: result.status }).catch((err: Error) => {
        logger.warn({ commentId: s.id, err: err.message }, 'live queue event not published');
      });
    }
    return { status: result.status, alreadyStored: result.alreadyStored };
  };
}
