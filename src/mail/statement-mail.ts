import { UnrecoverableError } from 'bullmq';
import { APPEAL_LINK_DAYS } from '../domain/decisions/appeal-rules.js';
import { html } from '../html/html.js';
import { wordsFor } from '../i18n/reader-words.js';
import type { StatementJob } from '../queue/email-queue.js';
import { claimStatement, type StatementTarget } from '../store/authors/comment-decisions.js';
import type { Pool } from '../store/db.js';
import { inTransaction } from '../store/moderation-actions.js';
import type { Mailer } from './mailer.js';
import { excerpt, mailHtmlOpen, mailLanguage, type RenderedMail } from './mail-templates.js';
import { signMailToken } from './mail-tokens.js';
import { toHeaderText } from './mailer.js';

/**
 * The statement of reasons (issue 16, item 5; DSA art. 17): what was removed (the comment, its page),
 * why (the reason from the site's list and the moderator's note), on which rule, that a person decided,
 * and how to appeal (a signed link, six months). In the language the comment was written in.
 */
export function renderStatementOfReasons(input: { target: StatementTarget; appealUrl: string }): RenderedMail {
  const { target: t, appealUrl } = input;
  const lang = mailLanguage(t.lang ?? undefined);
  const w = wordsFor(lang).mail;
  const site = excerpt(t.siteName, 100);
  const page = excerpt(t.page, 200);
  const body = excerpt(t.body);
  const d = t.decision;
  const hello = t.authorName.trim() !== '' ? w.hello(excerpt(t.authorName, 100)) : w.helloThere;
  const text = [
    hello,
    '',
    w.statementIntro(site, page),
    ...(t.pageUrl ? [t.pageUrl] : []),
    '',
    w.statementYourComment,
    ...body.split('\n').map((l) => `| ${l}`),
    '',
    `${w.statementWhy} ${d.reason.label}`,
    ...(d.reason.rule !== '' ? [`${w.statementRule} ${d.reason.rule}`] : []),
    ...(d.note !== '' ? [`${w.statementNote} ${excerpt(d.note, 1000)}`] : []),
    w.statementByPerson,
    '',
    w.statementAppeal,
    `${w.statementAppealLink}: ${appealUrl}`,
  ].join('\n');
  const htmlBody = html`${mailHtmlOpen(lang)}
<p>${hello}</p>
<p>${w.statementIntro(site, page)}${t.pageUrl ? html` <a href="${t.pageUrl}">${t.pageUrl}</a>` : ''}</p>
<p>${w.statementYourComment}</p>
<blockquote style="border-left: 3px solid #ccc; padding-left: 8px; white-space: pre-wrap">${body}</blockquote>
<p><b>${w.statementWhy}</b> ${d.reason.label}</p>
${d.reason.rule !== '' ? html`<p><b>${w.statementRule}</b> ${d.reason.rule}</p>` : ''}
${d.note !== '' ? html`<p><b>${w.statementNote}</b> ${excerpt(d.note, 1000)}</p>` : ''}
<p>${w.statementByPerson}</p>
<p>${w.statementAppeal} <a href="${appealUrl}">${w.statementAppealLink}</a></p>
</body></html>`.value;
  return { subject: w.statementSubject(toHeaderText(site, 80)), text, html: htmlBody };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The `statement` mail job: claims the comment's standing reasoned decision and mails its author in
 * one transaction (a failed send rolls the claim back, and BullMQ retries). A decision without a
 * reason, one sent already, one undone since, or an author without an email sends nothing.
 */
export async function sendStatementMail(
  deps: { db: Pool; mailer: Mailer; publicUrl: string; mailKey: () => Promise<string>; now: () => Date },
  data: Partial<StatementJob>,
): Promise<{ sent: boolean }> {
  if (typeof data.commentId !== 'string' || !UUID.test(data.commentId))
    throw new UnrecoverableError('invalid statement payload');
  const commentId = data.commentId;
  const key = await deps.mailKey();
  const now = deps.now();
  const sent = await inTransaction(deps.db, async (client) => {
    const target = await claimStatement(client, commentId, now);
    if (target === null) return false;
    const token = signMailToken(key, {
      kind: 'appeal',
      decisionId: target.decision.id,
      commentId,
      expiresAt: Math.floor(now.getTime() / 1000) + APPEAL_LINK_DAYS * 86_400,
    });
    const appealUrl = `${deps.publicUrl}/mail/appeal?token=${token}`;
    await deps.mailer.send({ to: target.email, ...renderStatementOfReasons({ target, appealUrl }) });
    return true;
  });
  return { sent };
}
