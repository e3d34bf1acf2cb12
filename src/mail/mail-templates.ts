import { html, markup, type SafeHtml } from '../html/html.js';
import { plural } from '../i18n/plural.js';
import { directionOf, toReaderLanguage } from '../i18n/reader-language.js';
import { wordsFor } from '../i18n/reader-words.js';
import { toHeaderText } from './mailer.js';

/*
 * Mail templates: plain text first, a simple HTML part built with the escaping `html` template, so
 * reader text (names, comments, page titles) is only ever text. Readers' addresses never appear: a
 * reply notice names the replier, never their email. Reader mails speak the reader's language
 * (src/i18n/reader-words.ts); the moderators' digest stays English, as the desk does.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Reader text for a mail: control characters out, long text cut, so a comment cannot reshape the mail. */
export function excerpt(value: string, max = 500): string {
  const clean = value
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g, '')
    .replace(/\r\n?/g, '\n')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export interface HeldDigestItem {
  authorName: string;
  body: string;
  siteId: string;
  page: string;
  receivedAt: Date;
  links: { approve: string; reject: string; spam: string };
}

export function renderHeldDigest(input: {
  moderatorName: string;
  items: HeldDigestItem[];
  more: number;
  queueUrl: string;
  settingsUrl: string;
  linkHours: number;
}): RenderedMail {
  const { items, more } = input;
  const total = items.length + more;
  const subject =
    total === 1
      ? `A comment is waiting for moderation: ${toHeaderText(items[0]?.page ?? '', 80)}`
      : `${total} comments are waiting for moderation`;
  const textItems = items.map((it, i) =>
    [
      `${i + 1}. ${excerpt(it.authorName, 100) || 'Anonymous'} on ${excerpt(it.page, 200)} (${it.siteId}), ${it.receivedAt.toISOString()}`,
      excerpt(it.body)
        .split('\n')
        .map((l) => `   | ${l}`)
        .join('\n'),
      `   Approve: ${it.links.approve}`,
      `   Reject:  ${it.links.reject}`,
      `   Spam:    ${it.links.spam}`,
    ].join('\n'),
  );
  const text = [
    `Hello ${excerpt(input.moderatorName, 100)},`,
    '',
    total === 1 ? 'A comment is waiting for moderation:' : `${total} comments are waiting for moderation:`,
    '',
    ...textItems.flatMap((t) => [t, '']),
    ...(more > 0 ? [`…and ${more} more in the queue.`, ''] : []),
    `Each link asks you to confirm and works once, for ${input.linkHours} hours, without signing in.`,
    `The queue: ${input.queueUrl}`,
    '',
    `You get these because "Mail me about held comments" is on: ${input.settingsUrl}`,
  ].join('\n');
  const htmlBody = html`<!doctype html><html><body style="font-family: sans-serif">
<p>Hello ${input.moderatorName},</p>
<p>${total === 1 ? 'A comment is waiting for moderation:' : `${total} comments are waiting for moderation:`}</p>
${items.map(
  (it) => html`<div style="border-left: 3px solid #ccc; padding-left: 8px; margin: 12px 0">
<p><strong>${excerpt(it.authorName, 100) || 'Anonymous'}</strong> on ${excerpt(it.page, 200)} (${it.siteId})</p>
<p style="white-space: pre-wrap">${excerpt(it.body)}</p>
<p><a href="${it.links.approve}">Approve</a> · <a href="${it.links.reject}">Reject</a> · <a href="${it.links.spam}">Spam</a></p>
</div>`,
)}
${more > 0 ? html`<p>…and ${more} more in the queue.</p>` : ''}
<p>Each link asks you to confirm and works once, for ${input.linkHours} hours, without signing in. <a href="${input.queueUrl}">Open the queue</a>.</p>
<p><small>You get these because “Mail me about held comments” is on: <a href="${input.settingsUrl}">your settings</a>.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}

/** The opening tag of a reader mail's HTML part: its language, and dir="rtl" for Arabic. */
export function mailHtmlOpen(lang: string): SafeHtml {
  return html`<!doctype html><html lang="${lang}"${directionOf(lang) === 'rtl' ? markup(' dir="rtl"') : ''}><body style="font-family: sans-serif">`;
}

/** A reader mail's language: one of ours, else English ('' is what rows written before sql/0037 hold). */
export const mailLanguage = (lang: string | undefined): string => toReaderLanguage(lang) ?? 'en';

export function renderReplyNotice(input: {
  recipientName: string;
  replyAuthor: string;
  replyText: string;
  page: string;
  commentUrl: string | null;
  unsubscribeUrl: string;
  /** The language the recipient wrote their comment in. @defaultValue English */
  lang?: string;
}): RenderedMail {
  const lang = mailLanguage(input.lang);
  const w = wordsFor(lang).mail;
  const replier = excerpt(input.replyAuthor, 100) || w.someone;
  const recipient = excerpt(input.recipientName, 100);
  const hello = recipient ? w.hello(recipient) : w.helloThere;
  const subject = w.replySubject(toHeaderText(replier, 60), toHeaderText(input.page, 80));
  const replied = w.replied(replier, excerpt(input.page, 200));
  // Physical sides: mail clients know little of logical CSS properties. The quote's bar is on the start side.
  const side = directionOf(lang) === 'rtl' ? 'right' : 'left';
  const text = [
    hello,
    '',
    replied,
    '',
    excerpt(input.replyText, 2000)
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
    '',
    ...(input.commentUrl ? [`${w.readIt}: ${input.commentUrl}`, ''] : []),
    `${w.replyWhy} ${w.stop}: ${input.unsubscribeUrl}`,
  ].join('\n');
  const htmlBody = html`${mailHtmlOpen(lang)}
<p>${hello}</p>
<p>${replied}</p>
<blockquote style="white-space: pre-wrap; border-${side}: 3px solid #ccc; padding-${side}: 8px">${excerpt(input.replyText, 2000)}</blockquote>
${input.commentUrl ? html`<p><a href="${input.commentUrl}">${w.readIt}</a></p>` : ''}
<p><small>${w.replyWhy} <a href="${input.unsubscribeUrl}">${w.unsubscribe}</a>.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}

/**
 * The one mail an unconfirmed address gets (double opt-in). Anyone can type any address into a form,
 * so it carries nothing a reader wrote: no comment, no name, no page title, only the site's name (set
 * by its admin) and the link. Ignoring it is the way to say no. In the language of the comment that
 * asked for it.
 */
export function renderReplyConfirm(input: {
  siteName: string;
  confirmUrl: string;
  linkDays: number;
  /** @defaultValue English */
  lang?: string;
}): RenderedMail {
  const lang = mailLanguage(input.lang);
  const w = wordsFor(lang).mail;
  const site = excerpt(input.siteName, 100);
  const subject = w.confirmSubject(toHeaderText(site, 80));
  const text = [
    w.helloAnyone,
    '',
    w.confirmIntro(site),
    '',
    plural(lang, input.linkDays, w.confirmPrompt),
    input.confirmUrl,
    '',
    w.confirmIgnore(site),
  ].join('\n');
  const htmlBody = html`${mailHtmlOpen(lang)}
<p>${w.helloAnyone}</p>
<p>${w.confirmIntro(site)}</p>
<p><a href="${input.confirmUrl}">${w.confirmLink}</a> ${plural(lang, input.linkDays, w.confirmAfterLink)}</p>
<p><small>${w.confirmIgnore(site)}</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}

/**
 * The email sign-in link (issue 14). The name the reader typed is not in it: anyone may type any name
 * with anyone's address, and the mail must not carry their words to that address. The site's name is
 * the admin's, flattened for the subject. In the widget's language when the reader asked.
 */
export function renderSignInLink(input: {
  siteName: string;
  signInUrl: string;
  linkMinutes: number;
  /** @defaultValue English */
  lang?: string;
}): RenderedMail {
  const lang = mailLanguage(input.lang);
  const w = wordsFor(lang).mail;
  const site = excerpt(input.siteName, 100);
  const subject = w.signInSubject(toHeaderText(site, 80));
  const text = [
    w.helloAnyone,
    '',
    w.signInIntro(site),
    '',
    plural(lang, input.linkMinutes, w.signInPrompt),
    input.signInUrl,
    '',
    w.signInIgnore,
  ].join('\n');
  const htmlBody = html`${mailHtmlOpen(lang)}
<p>${w.helloAnyone}</p>
<p>${w.signInIntro(site)}</p>
<p><a href="${input.signInUrl}">${w.signInLink}</a> ${plural(lang, input.linkMinutes, w.signInAfterLink)}</p>
<p><small>${w.signInIgnore}</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}
