import { html, layout, type SafeHtml } from '../../html/html.js';

/*
 * The pages behind links in mails. Opening a link (GET) only shows what it would do: mail scanners
 * and link previews fetch every URL in a message, and a GET that acted would approve comments nobody
 * looked at. The button posts the token back.
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

export function renderUnsubscribeConfirm(token: string): string {
  return page(
    'Stop reply notices?',
    html`<h1>Stop reply notices?</h1>
<p>You will get no more mail about replies to this comment.</p>
<form method="post" action="/mail/unsubscribe?token=${token}">
<button type="submit">Unsubscribe</button>
</form>`,
  );
}

export function renderConfirmAddress(token: string): string {
  return page(
    'Confirm reply notices?',
    html`<h1>Confirm reply notices?</h1>
<p>Mail will be sent to this address when people reply to comments you asked to hear about on this site.</p>
<form method="post" action="/mail/confirm">
<input type="hidden" name="token" value="${token}">
<button type="submit">Confirm</button>
</form>`,
  );
}
