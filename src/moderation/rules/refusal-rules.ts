import { findFieldErrors } from '../../domain/comment-fields.js';
import { pageClosureAt } from '../../domain/thread-closure.js';
import type { CheckContext, RuleOutcome } from '../verdict.js';

/*
 * Refusals: the comment cannot be published whatever a moderator thinks of it (missing fields, a
 * closed thread, a reply to nothing, a repeat). Their messages are shown to the reader.
 */

/**
 * Required fields and limits under the site's settings at check time (they may have changed since
 * intake). A reader's name, email and website are their identity's, vouched for by the sign-in and
 * not typed: not checked as typed fields, and the identity stands for a required name and email (a
 * reader without an email is welcome where guests must give one), as at intake (src/http/public/reader-author.ts).
 */
export function requiredFields(ctx: Pick<CheckContext, 'fields' | 'settings' | 'reader'>): RuleOutcome[] {
  const errors = ctx.reader
    ? findFieldErrors(
        { ...ctx.fields, author: '', email: '', url: '' },
        { ...ctx.settings, requireName: false, requireEmail: false },
      )
    : findFieldErrors(ctx.fields, ctx.settings);
  return errors.map((e) => ({
    rule: 'required-fields',
    action: 'reject',
    code: e.code,
    message: e.message,
    score: 0,
    field: e.field,
  }));
}

/**
 * A guest's comment on a page (or site) that takes only signed-in readers (issue 16: `guests` per
 * page). Intake refuses it first (401 SIGN_IN_REQUIRED); this holds the line when intake could not read
 * the page's own settings (Postgres away: intake answers 202 from the site's settings) or the setting
 * changed while the comment was queued.
 */
export function guestsRefused(ctx: Pick<CheckContext, 'settings' | 'reader'>): RuleOutcome | null {
  if (ctx.reader || ctx.settings.guests) return null;
  return {
    rule: 'guests-off',
    action: 'reject',
    code: 'SIGN_IN_REQUIRED',
    message: 'Please sign in to comment on this page.',
    score: 0,
  };
}

/**
 * Closed by hand, older than the site's close-after-N-days counted from the page's first comment, or
 * outside the site's staffed hours where they close threads (issue 16).
 */
export function closedPage(ctx: Pick<CheckContext, 'page' | 'settings' | 'receivedAt'>): RuleOutcome | null {
  // The same rule readers are shown by (the thread API says `closed`), so no open form meets a refusal.
  const closure = pageClosureAt(ctx.page, ctx.settings, ctx.receivedAt);
  if (!closure.closed) return null;
  return {
    rule: 'closed-page',
    action: 'reject',
    code: 'THREAD_CLOSED',
    message:
      closure.reason === 'off-hours'
        ? `Comments are closed until ${closure.untilLocal}.`
        : 'Comments are closed on this page.',
    score: 0,
  };
}

/** A reply must answer an approved comment on the same page, within the site's depth. */
export function parentRules(ctx: Pick<CheckContext, 'parent' | 'page' | 'settings'>): RuleOutcome | null {
  const { parent, page, settings } = ctx;
  const refuse = (code: string, message: string): RuleOutcome => ({
    rule: 'parent',
    action: 'reject',
    code,
    message,
    score: 0,
    field: 'parent',
  });
  if (parent === null) return null;
  if (parent === 'missing' || parent.pageId !== page.id) {
    return refuse('PARENT_NOT_FOUND', 'The comment you are replying to does not exist on this page.');
  }
  if (parent.status !== 'approved') {
    return refuse('PARENT_NOT_APPROVED', 'The comment you are replying to is not published.');
  }
  // depth is 0 for a top-level comment, so a reply sits at level depth + 2.
  if (parent.depth + 2 > settings.maxDepth) {
    return refuse('TOO_DEEP', `Replies nest at most ${settings.maxDepth} levels deep here.`);
  }
  return null;
}

/** Same page, parent, author and text as a comment already there. */
export function duplicate(ctx: Pick<CheckContext, 'duplicate'>): RuleOutcome | null {
  if (!ctx.duplicate) return null;
  return {
    rule: 'duplicate',
    action: 'reject',
    code: 'DUPLICATE',
    message: "Duplicate comment detected; it looks as though you've already said that!",
    score: 0,
  };
}

/** A second comment from the same author (the reader; a guest's email) or IP within the site's flood window. */
export function flood(ctx: Pick<CheckContext, 'lastFromAuthorAt' | 'receivedAt' | 'settings'>): RuleOutcome | null {
  const { lastFromAuthorAt, receivedAt, settings } = ctx;
  if (settings.floodSeconds === 0 || lastFromAuthorAt === null) return null;
  const waitMs = lastFromAuthorAt.getTime() + settings.floodSeconds * 1000 - receivedAt.getTime();
  if (waitMs <= 0) return null;
  // Say when the window ends for this author (rounded up: trying at that second passes), not just "slow down".
  const wait = Math.ceil(waitMs / 1000);
  return {
    rule: 'flood',
    action: 'reject',
    code: 'TOO_FAST',
    message: `You are posting comments too quickly; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
    score: 0,
  };
}
