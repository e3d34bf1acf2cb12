import type { FieldError } from '../../errors.js';
import { refusalText } from '../../i18n/refusal-text.js';
import { pickReaderLanguage } from '../../i18n/reader-language.js';
import { loadQueuedState } from '../../queue/submissions-queue.js';
import type { SubmissionShards } from '../../queue/submission-shards.js';
import { loadStoredOutcome } from '../../store/comments.js';
import type { Queryable } from '../../store/db.js';
import { loadEditState, type LastAuthorEdit } from '../../store/own-comments.js';
import { loadStandingDecision } from '../../store/authors/comment-decisions.js';

/** What the author of a submission may learn about it. Never another commenter's email or IP. */
export interface SubmissionStatus {
  id: string;
  /** queued: not checked yet; published: public; held: waiting for a moderator; rejected: refused. */
  status: 'queued' | 'published' | 'held' | 'rejected';
  page?: string;
  /** The rendered comment, so the author sees it in place while it waits. */
  html?: string;
  /** The name the author gave ('' for none), shown over that preview. */
  author?: string;
  /** Why it was refused, per field where there is one. */
  errors?: FieldError[];
  /** When its text was last changed (by its author, or a moderator); left out: never. */
  editedAt?: string;
  /**
   * The author's last edit (PATCH /api/comments/:id): its `id` is the 202's `editId`, so a widget
   * waiting for its edit polls until they match. applied: the new text stands (`html` shows it);
   * held: it stands, and the comment waits for a moderator; refused: nothing changed, `errors` says why.
   */
  edit?: { id: string; status: 'applied' | 'held' | 'refused'; errors?: FieldError[] };
  /**
   * A moderator's reject or spam given with a reason (issue 16, item 5): the reason from the site's
   * list, the rule it rests on, the moderator's note, when, and the appeal's state (null: none made).
   */
  decision?: {
    reason: string;
    label: string;
    rule: string;
    note: string;
    decidedAt: string;
    appeal: 'open' | 'reinstated' | 'upheld' | null;
  };
}

/**
 * Refusals as the author reads them: field, code, message (in their language: src/i18n/refusal-text.ts);
 * never which spam rule caught what.
 */
function toRefusals(
  reasons: readonly { action: string; field?: string; code: string; message: string }[],
  lang: string,
): FieldError[] {
  return reasons
    .filter((r) => r.action === 'reject')
    .map((r) => ({ field: r.field ?? '', code: r.code, message: refusalText(lang, r) }));
}

/** The edit as the author may learn of it: spam is "held", as it is for a new comment. */
function toEditAnswer(e: LastAuthorEdit, lang: string): NonNullable<SubmissionStatus['edit']> {
  if (e.outcome === 'refused') return { id: e.editId, status: 'refused', errors: toRefusals(e.reasons, lang) };
  return { id: e.editId, status: e.outcome === 'applied' ? 'applied' : 'held' };
}

/** editedAt and edit, for a comment that has them. */
async function loadEditFields(
  db: Queryable,
  id: string,
  lang: string,
): Promise<Pick<SubmissionStatus, 'editedAt' | 'edit'>> {
  const { editedAt, lastEdit } = await loadEditState(db, id);
  return {
    ...(editedAt ? { editedAt: editedAt.toISOString() } : {}),
    ...(lastEdit ? { edit: toEditAnswer(lastEdit, lang) } : {}),
  };
}

/** The standing reasoned decision about a comment, as its author reads it; null when none. */
async function loadDecisionField(db: Queryable, id: string): Promise<SubmissionStatus['decision'] | null> {
  const d = await loadStandingDecision(db, id);
  if (d === null) return null;
  return {
    reason: d.reason.code,
    label: d.reason.label,
    rule: d.reason.rule,
    note: d.note,
    decidedAt: d.decidedAt.toISOString(),
    appeal: d.appeal?.status ?? null,
  };
}

/** Who asks, for the language of the refusals: the page's own (the no-JS page), else the browser's. */
export interface StatusReader {
  lang?: string;
  acceptLanguage?: string | undefined;
}

/**
 * Postgres first (the truth once checked), then the queue. Spam is reported as "held": telling a
 * spammer which rule caught them helps only the spammer. A job that failed for good is "held" too: it
 * waits in the failed set for a person, it is not lost.
 */
export async function loadSubmissionStatus(
  db: Queryable,
  queue: SubmissionShards,
  id: string,
  reader: StatusReader = {},
): Promise<SubmissionStatus | null> {
  const stored = await loadStoredOutcome(db, id);
  if (stored) {
    // The language the comment was written in, else the page's or site's, else the browser's.
    const lang = pickReaderLanguage({
      lang: stored.lang || reader.lang,
      siteLanguage: stored.siteLanguage,
      acceptLanguage: reader.acceptLanguage,
    });
    switch (stored.status) {
      case 'approved':
        return {
          id,
          status: 'published',
          page: stored.page,
          html: stored.html,
          author: stored.author,
          ...(await loadEditFields(db, id, lang)),
        };
      case 'pending':
      case 'spam': {
        // Spam a moderator gave a reason for is a removal the commenter is told of (and may appeal).
        const decision = stored.status === 'spam' ? await loadDecisionField(db, id) : null;
        if (decision !== null) return { id, status: 'rejected', page: stored.page, errors: [], decision };
        return {
          id,
          status: 'held',
          page: stored.page,
          html: stored.html,
          author: stored.author,
          ...(await loadEditFields(db, id, lang)),
        };
      }
      case 'rejected': {
        const decision = await loadDecisionField(db, id);
        return {
          id,
          status: 'rejected',
          page: stored.page,
          errors: toRefusals(stored.reasons, lang),
          ...(decision !== null ? { decision } : {}),
        };
      }
    }
  }
  const queued = await loadQueuedState(queue.forId(id), id);
  if (queued === null) return null;
  return { id, status: queued === 'failed' ? 'held' : 'queued' };
}
