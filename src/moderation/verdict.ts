import type { CommentFields } from '../domain/comment-fields.js';
import type { SiteSettings } from '../domain/site-settings.js';
import type { SpamScore } from '../spam/score-spam.js';
import type { AbuseScore } from '../abuse/score-abuse.js';
import type { PageSurgeSignal } from '../flood/page-surge-score.js';
import type { ExternalCheck } from '../hooks/external-check.js';

/** A checked comment's state; `deleted` is only ever set by a moderator. */
export type CommentStatus = 'approved' | 'pending' | 'spam' | 'rejected' | 'deleted';

/** What one rule decided: hold for a person, mark as spam, or refuse outright. */
export type RuleAction = 'hold' | 'spam' | 'reject';

/** One rule's contribution to the verdict, stored with the comment and shown to moderators. */
export interface RuleOutcome {
  rule: string;
  action: RuleAction;
  /** Stable UPPER_SNAKE code, e.g. `TOO_MANY_LINKS`. */
  code: string;
  /** Why, in words a moderator (or, for refusals, the reader) understands. */
  message: string;
  /** How much this counts towards "spam"; 0 for refusals, which say nothing about spamminess. */
  score: number;
  field?: string;
}

export interface Verdict {
  status: CommentStatus;
  /** Sum of the outcomes' scores. */
  score: number;
  reasons: RuleOutcome[];
}

/** The stored facts about the comment being replied to. */
export interface ParentFacts {
  pageId: number;
  status: CommentStatus;
  depth: number;
}

/**
 * Everything the rules may read. The worker builds it from the submission and one query; rules never
 * read the clock, the environment or the database themselves, so they are pure and table-testable.
 */
export interface CheckContext {
  fields: CommentFields;
  honeypot: string;
  receivedAt: Date;
  settings: SiteSettings;
  page: { id: number; closed: boolean; firstCommentAt: Date | null };
  /** null: no parent given; 'missing': given but not found on this site. */
  parent: ParentFacts | 'missing' | null;
  /** A live comment with the same content fingerprint exists. */
  duplicate: boolean;
  /**
   * When the same author or IP last had a comment accepted on this site, before this one. The author is
   * the signed-in reader (their own comments) or, for a guest, the email among guests' comments only.
   */
  lastFromAuthorAt: Date | null;
  /** The author (the reader; for a guest, the email among guests' comments) has an approved comment on this site. */
  authorHasApproved: boolean;
  /** The site's ban that matches this comment's reader, email, IP or domain, if any. */
  ban: { kind: 'email' | 'ip' | 'domain' | 'reader'; value: string } | null;
  /**
   * The author is trusted on this site: hold rules do not apply. Only a verified identity is (a reader a
   * moderator trusts, whose verified email is a trusted author's, or who is a moderator); never a guest.
   */
  trusted: boolean;
  /**
   * The signed-in reader who wrote it (issue 14): name, email and website are their identity's, not
   * typed. Null or left out: a guest.
   */
  reader?: { id: number } | null;
  linkCount: number;
  /** The local spam classifier's score of the text, computed by the worker before the rules; null: not scored. */
  spamScore: SpamScore | null;
  /** The abuse filter's lexicon words and learned score (src/abuse/), computed by the worker; null or left out: not scored. */
  abuseScore?: AbuseScore | null;
  /**
   * What intake made of the signed form token (src/flood/form-token.ts), with the form's render time;
   * left out or null where there is no token to speak of (spam eval, jobs queued before tokens).
   */
  formToken?: {
    status: 'valid' | 'missing' | 'forged' | 'expired' | 'mismatch' | 'replayed';
    renderedAt: Date | null;
  } | null;
  /** The site was in surge mode when intake took the comment. */
  surge?: boolean;
  /**
   * The comment's page is under a brigade (src/flood/page-surge-tracker.ts): what scored. Left out or
   * null: it is not (or nothing counts, as in spam eval).
   */
  pageSurge?: { score: number; signals: PageSurgeSignal[] } | null;
  /**
   * The reader (for a guest: the email), IP or website domain of this comment that a moderator marked as
   * spam on this site before, and when that decision was learned (an IP's memory fades: src/moderation/rules/flood-rules.ts).
   */
  spamMemory?: { kind: 'email' | 'ip' | 'domain' | 'reader'; value: string; at?: Date } | null;
  /** Akismet's answer, when it was asked (AKISMET_KEY set and no local rule had decided already). */
  akismet?: { result: 'ham' | 'spam' | 'discard' | 'unavailable'; detail: string } | null;
  /** The site's external check hook's answer (src/hooks/), when the site has one and it was asked. */
  externalCheck?: ExternalCheck | null;
}

/** A check: returns nothing, one outcome, or several (one per bad field). */
export type CheckRule = (ctx: CheckContext) => RuleOutcome | readonly RuleOutcome[] | null;

const severity: Record<RuleAction, number> = { hold: 1, spam: 2, reject: 3 };
const statusOf: Record<RuleAction, Exclude<CommentStatus, 'approved' | 'deleted'>> = {
  hold: 'pending',
  spam: 'spam',
  reject: 'rejected',
};

/** The verdict of a list of outcomes: the most severe action decides; no outcome means approved. */
export function toVerdict(reasons: RuleOutcome[]): Verdict {
  let worst: RuleAction | null = null;
  let score = 0;
  for (const r of reasons) {
    score += r.score;
    if (worst === null || severity[r.action] > severity[worst]) worst = r.action;
  }
  return { status: worst === null ? 'approved' : statusOf[worst], score: Math.round(score * 100) / 100, reasons };
}
