import { describeSignals, type PageSurgeSignal } from '../flood/page-surge-score.js';
import { html } from '../html/html.js';
import { excerpt, type RenderedMail } from '../mail/mail-templates.js';
import { toHeaderText } from '../mail/mailer.js';

/**
 * The mail a moderator gets when a brigade begins on a story of their site (English, as the desk and
 * the held digest are). The page's name is a confirmed title, URL or identifier (never a reader's
 * suggestion), escaped in the HTML part by the `html` template.
 */
export function renderPageSurgeMail(input: {
  moderatorName: string;
  siteName: string;
  page: string;
  pageUrl: string | null;
  pending: number;
  score: number;
  signals: PageSurgeSignal[];
  deskUrl: string;
  settingsUrl: string;
}): RenderedMail {
  const why = describeSignals(input.signals);
  const page = excerpt(input.page, 200);
  const subject = `Surge on a story of ${toHeaderText(input.siteName, 60)}: ${toHeaderText(input.page, 80)}`;
  const text = [
    `Hello ${excerpt(input.moderatorName, 100)},`,
    '',
    `A brigade is under way on "${page}"${input.pageUrl ? ` (${input.pageUrl})` : ''} on ${excerpt(input.siteName, 100)}.`,
    `Every new comment on that page is held for moderation until it calms down; the rest of the site stays open.`,
    '',
    `Score: ${input.score}${why ? ` (${why})` : ''}`,
    `Held on this page now: ${input.pending}`,
    '',
    `The queue: ${input.deskUrl}`,
    '',
    `You get these because "Mail me about held comments" is on: ${input.settingsUrl}`,
  ].join('\n');
  const htmlBody = html`<!doctype html><html><body style="font-family: sans-serif">
<p>Hello ${input.moderatorName},</p>
<p>A brigade is under way on ${input.pageUrl ? html`<a href="${input.pageUrl}">${page}</a>` : html`<strong>${page}</strong>`} on ${input.siteName}.
Every new comment on that page is held for moderation until it calms down; the rest of the site stays open.</p>
<p>Score: ${String(input.score)}${why ? ` (${why})` : ''}<br>Held on this page now: ${String(input.pending)}</p>
<p><a href="${input.deskUrl}">Open the queue</a></p>
<p><small>You get these because “Mail me about held comments” is on: <a href="${input.settingsUrl}">your settings</a>.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}
