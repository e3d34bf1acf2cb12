import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { html, layout } from '../../html/html.js';
import { wordsFor } from '../../i18n/reader-words.js';
import { directionOf, toReaderLanguage } from '../../i18n/reader-language.js';
import type { AppealToken } from '../../mail/mail-tokens.js';
import type { OnAppealOpened } from '../../moderation/appeal-opened.js';
import { openAppeal } from '../../store/authors/appeals.js';
import { loadAppealContext, type AppealContext } from '../../store/authors/comment-decisions.js';
import type { Pool } from '../../store/db.js';
import { inTransaction } from '../../store/moderation-actions.js';
import { mailLinkOf, mailTokenOf } from './mail-link.js';

/**
 * The appeal link of a statement of reasons (issue 16, item 5): GET shows the decision (what, why,
 * the rule, the note) and a form, in the commenter's language; POST opens the appeal, once per
 * decision, for the queue's Appeals tab. The signed token is the whole authority (the mail door read it).
 */
export function createAppealLinkRoutes(deps: {
  db: Pool;
  logger: Logger;
  publicUrl?: string;
  onAppealOpened?: OnAppealOpened;
}): Router {
  const { db } = deps;
  const router = Router();

  const readAppeal = (res: Response): AppealToken | null => {
    const read = mailLinkOf(res);
    return read.ok && read.token.kind === 'appeal' ? read.token : null;
  };

  function page(
    status: number,
    res: Response,
    ctx: AppealContext | null,
    body: (w: ReturnType<typeof wordsFor>['mail']) => ReturnType<typeof html>,
  ): void {
    const lang = toReaderLanguage(ctx?.lang) ?? 'en';
    const w = wordsFor(lang).mail;
    const rtl = directionOf(lang) === 'rtl';
    res
      .status(status)
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer')
      .type('html')
      .send(
        layout(
          `${w.appealTitle} · Reply Desk`,
          html`<main class="rd-mail-page rd-appeal-page" lang="${lang}" ${rtl ? html`dir="rtl"` : ''}><h1>${w.appealTitle}</h1>${body(w)}</main>`,
        ),
      );
  }

  /** The decision as its commenter reads it. */
  const decisionOf = (
    ctx: AppealContext,
    w: ReturnType<typeof wordsFor>['mail'],
  ) => html`<p>${w.statementIntro(ctx.siteName, ctx.page)}</p>
    <blockquote class="rd-mail-comment" style="white-space: pre-wrap">${ctx.body}</blockquote>
    <p class="rd-appeal-reason"><b>${w.statementWhy}</b> ${ctx.decision.reason.label}</p>
    ${ctx.decision.reason.rule !== '' ? html`<p><b>${w.statementRule}</b> ${ctx.decision.reason.rule}</p>` : ''}
    ${ctx.decision.note !== '' ? html`<p class="rd-appeal-note"><b>${w.statementNote}</b> ${ctx.decision.note}</p>` : ''}`;

  /** The token's decision, if it is about the token's comment. */
  async function contextOf(token: AppealToken): Promise<AppealContext | null> {
    const ctx = await loadAppealContext(db, token.decisionId);
    return ctx !== null && ctx.decision.commentId === token.commentId ? ctx : null;
  }

  const invalid = (res: Response) => page(400, res, null, () => html`<p>This link is not valid, or has expired.</p>`);

  router.get('/mail/appeal', async (req: Request, res: Response) => {
    const token = readAppeal(res);
    if (token === null) return invalid(res);
    const ctx = await contextOf(token);
    if (ctx === null) return invalid(res);
    if (ctx.decision.appeal !== null)
      return page(200, res, ctx, (w) => html`${decisionOf(ctx, w)}<p class="rd-appeal-state">${w.appealAlready}</p>`);
    if (!ctx.standing) return page(409, res, ctx, (w) => html`<p class="rd-appeal-state">${w.appealGone}</p>`);
    page(
      200,
      res,
      ctx,
      (w) => html`${decisionOf(ctx, w)}
      <p>${w.appealExplain}</p>
      <form method="post" action="/mail/appeal">
        <input type="hidden" name="token" value="${String(mailTokenOf(req))}" />
        <label>${w.appealLabel}<br /><textarea name="statement" rows="5" maxlength="2000"></textarea></label>
        <p><button type="submit">${w.appealSend}</button></p>
      </form>`,
    );
  });

  router.post('/mail/appeal', async (req: Request, res: Response) => {
    const token = readAppeal(res);
    if (token === null) return invalid(res);
    const ctx = await contextOf(token);
    if (ctx === null) return invalid(res);
    if (!ctx.standing && ctx.decision.appeal === null)
      return page(409, res, ctx, (w) => html`<p class="rd-appeal-state">${w.appealGone}</p>`);
    const raw = (req.body as Record<string, unknown> | undefined)?.statement;
    const statement = typeof raw === 'string' ? raw.trim().slice(0, 2000) : '';
    const opened = await inTransaction(db, (client) =>
      openAppeal(client, {
        decisionId: ctx.decision.id,
        commentId: ctx.decision.commentId,
        siteId: ctx.decision.siteId,
        statement,
      }),
    );
    if (opened.created && deps.onAppealOpened) {
      await deps
        .onAppealOpened({
          appealId: opened.id,
          commentId: ctx.decision.commentId,
          siteId: ctx.decision.siteId,
          reasonLabel: ctx.decision.reason.label,
          deskUrl: `${deps.publicUrl ?? ''}/admin/appeals#appeal-${opened.id}`,
          openedAt: new Date().toISOString(),
        })
        .catch((err: unknown) => deps.logger.warn({ err, appealId: opened.id }, 'appeal-opened notice not sent'));
    }
    page(
      opened.created ? 201 : 200,
      res,
      ctx,
      (w) => html`<p class="rd-appeal-state">${opened.created ? w.appealOpened : w.appealAlready}</p>`,
    );
  });

  return router;
}
