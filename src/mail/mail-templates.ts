import { html } from '../html/html.js';
import { toHeaderText } from './mailer.js';

/*
 * Mail templates: plain text first, a simple HTML part built with the escaping `html` template, so
 * reader text (names, comments, page titles) is only ever text. Readers' addresses never appear: a
 * reply notice names the replier, never their email.
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

export function renderReplyNotice(input: {
  recipientName: string;
  replyAuthor: string;
  replyText: string;
  page: string;
  commentUrl: string | null;
  unsubscribeUrl: string;
}): RenderedMail {
  const replier = excerpt(input.replyAuthor, 100) || 'Someone';
  const subject = `${toHeaderText(replier, 60)} replied to your comment on ${toHeaderText(input.page, 80)}`;
  const text = [
    `Hello ${excerpt(input.recipientName, 100) || 'there'},`,
    '',
    `${replier} replied to your comment on ${excerpt(input.page, 200)}:`,
    '',
    excerpt(input.replyText, 2000)
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
    '',
    ...(input.commentUrl ? [`Read it: ${input.commentUrl}`, ''] : []),
    `You asked to hear about replies to this comment. Stop: ${input.unsubscribeUrl}`,
  ].join('\n');
  const htmlBody = html`<!doctype html><html><body style="font-family: sans-serif">
<p>Hello ${excerpt(input.recipientName, 100) || 'there'},</p>
<p>${replier} replied to your comment on ${excerpt(input.page, 200)}:</p>
<blockquote style="white-space: pre-wrap; border-left: 3px solid #ccc; padding-left: 8px">${excerpt(input.replyText, 2000)}</blockquote>
${input.commentUrl ? html`<p><a href="${input.commentUrl}">Read it</a></p>` : ''}
<p><small>You asked to hear about replies to this comment. <a href="${input.unsubscribeUrl}">Unsubscribe</a>.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}

/**
 * The one mail an unconfirmed address gets (double opt-in). Anyone can type any address into a form,
 * so it carries nothing a reader wrote: no comment, no name, no page title, only the site's name (set
 * by its admin) and the link. Ignoring it is the way to say no.
 */
export function renderReplyConfirm(input: { siteName: string; confirmUrl: string; linkDays: number }): RenderedMail {
  const site = excerpt(input.siteName, 100);
  const subject = `Confirm reply notices from ${toHeaderText(site, 80)}`;
  const text = [
    'Hello,',
    '',
    `Someone, hopefully you, left a comment on ${site} with this address and asked to be mailed when people reply.`,
    '',
    `To get those mails, confirm this address (the link works for ${input.linkDays} days):`,
    input.confirmUrl,
    '',
    `If it was not you, ignore this mail: without confirmation nothing more is sent to this address from ${site}.`,
  ].join('\n');
  const htmlBody = html`<!doctype html><html><body style="font-family: sans-serif">
<p>Hello,</p>
<p>Someone, hopefully you, left a comment on ${site} with this address and asked to be mailed when people reply.</p>
<p><a href="${input.confirmUrl}">Confirm this address</a> to get those mails (the link works for ${input.linkDays} days).</p>
<p><small>If it was not you, ignore this mail: without confirmation nothing more is sent to this address from ${site}.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}

/**
 * The email sign-in link (issue 14). The name the reader typed is not in it: anyone may type any name
 * with anyone's address, and the mail must not carry their words to that address. The site's name is
 * the admin's, flattened for the subject.
 */
export function renderSignInLink(input: { siteName: string; signInUrl: string; linkMinutes: number }): RenderedMail {
  const site = excerpt(input.siteName, 100);
  const subject = `Sign in to comment on ${toHeaderText(site, 80)}`;
  const text = [
    'Hello,',
    '',
    `Someone, hopefully you, asked to sign in to the comments of ${site} with this address.`,
    '',
    `To sign in, open this link (it works once, for ${input.linkMinutes} minutes):`,
    input.signInUrl,
    '',
    'If it was not you, ignore this mail: nobody is signed in until the link is opened and confirmed.',
  ].join('\n');
  const htmlBody = html`<!doctype html><html><body style="font-family: sans-serif">
<p>Hello,</p>
<p>Someone, hopefully you, asked to sign in to the comments of ${site} with this address.</p>
<p><a href="${input.signInUrl}">Sign in</a> (the link works once, for ${input.linkMinutes} minutes).</p>
<p><small>If it was not you, ignore this mail: nobody is signed in until the link is opened and confirmed.</small></p>
</body></html>`.value;
  return { subject, text, html: htmlBody };
}
