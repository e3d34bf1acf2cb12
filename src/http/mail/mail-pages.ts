import { html, layout, type SafeHtml } from '../../html/html.js';
import { directionOf } from '../../i18n/reader-language.js';
import { wordsFor } from '../../i18n/reader-words.js';

/*
 * The pages behind links in mails. Opening a link (GET) only shows what it would do: mail scanners
 * and link previews fetch every URL in a message, and a GET that acted would approve comments nobody
 * looked at. The button posts the token back. Moderators' pages are English, as the desk is; readers'
 * (unsubscribe, confirm) are in the reader's language (src/i18n, `landing`), right to left for Arabic.
 */

const actionLabels = { approve: 'Approve', reject: 'Reject', spam: 'Mark as spam' } as const;

function page(title: string, body: SafeHtml): string {
  return layout(`${title} · Reply Desk`, html`<main class="rd-mail-page">${body}</main>`);
}

export function renderMailMessage(title: string, message: string, link?: { href: string; label: string }): string {
  return page(
    title,
    html`<h1>${title}</h1><p>${message}</p>${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`,
  );
}

export function renderModerateConfirm(input: {
  token: string;
  action: keyof typeof actionLabels;
  comment: { authorName: string; body: string; page: string; siteId: string; status: string };
}): string {
  const { comment: c } = input;
  const label = actionLabels[input.action];
  return page(
    `${label} this comment?`,
    html`<h1>${label} this comment?</h1>
<p><strong>${c.authorName || 'Anonymous'}</strong> on ${c.page} (${c.siteId}), now <em>${c.status}</em>:</p>
<blockquote class="rd-mail-comment" style="white-space: pre-wrap">${c.body}</blockquote>
<form method="post" action="/mail/moderate">
<input type="hidden" name="token" value="${input.token}">
<button type="submit">${label}</button>
</form>
<p><a href="/admin">Open the queue instead</a></p>`,
  );
}

/** A reader's page in their language: `lang` and `dir` on <html>. */
export function readerPage(lang: string, title: string, body: SafeHtml): string {
  return layout(`${title} · Reply Desk`, html`<main class="rd-mail-page">${body}</main>`, lang, directionOf(lang));
}

export function renderReaderMessage(lang: string, title: string, message: string): string {
  return readerPage(lang, title, html`<h1>${title}</h1><p>${message}</p>`);
}

export function renderUnsubscribeConfirm(token: string, lang: string): string {
  const w = wordsFor(lang).landing;
  return readerPage(
    lang,
    w.unsubscribeTitle,
    html`<h1>${w.unsubscribeTitle}</h1>
<p>${w.unsubscribeText}</p>
<form method="post" action="/mail/unsubscribe?token=${token}">
<button type="submit">${w.unsubscribeButton}</button>
</form>`,
  );
}

export function renderConfirmAddress(token: string, lang: string): string {
  const w = wordsFor(lang).landing;
  return readerPage(
    lang,
    w.confirmTitle,
    html`<h1>${w.confirmTitle}</h1>
<p>${w.confirmText}</p>
<form method="post" action="/mail/confirm">
<input type="hidden" name="token" value="${token}">
<button type="submit">${w.confirmButton}</button>
</form>`,
  );
}
