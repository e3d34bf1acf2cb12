import { UnrecoverableError } from 'bullmq';
import { html } from '../html/html.js';
import type { InviteJob } from '../queue/email-queue.js';
import { INVITE_HOURS, mintInviteLink, type InviteMail } from '../store/accounts/invites.js';
import type { Pool } from '../store/db.js';
import { toHeaderText, type Mailer } from './mailer.js';

/** The invite's mail: who invited them, the link, how long it works. The desk is in English, so is this mail. */
export function renderInviteMail(mail: InviteMail, url: string): { subject: string; text: string; html: string } {
  const who = mail.invitedBy === null ? 'An admin' : toHeaderText(mail.invitedBy, 100);
  const until = `${mail.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const text = [
    `Hello ${toHeaderText(mail.displayName, 100)},`,
    '',
    `${who} invited you to moderate comments on Reply Desk as ${mail.email}.`,
    '',
    `Choose your password here (the link works once, until ${until}):`,
    url,
    '',
    'If you did not expect this, ignore this mail: no account exists until the link is used.',
  ].join('\n');
  const body = html`<!doctype html><html lang="en"><body>
<p>Hello ${mail.displayName},</p>
<p>${who} invited you to moderate comments on Reply Desk as ${mail.email}.</p>
<p><a href="${url}">Choose your password</a> (the link works once, until ${until}).</p>
<p><small>If you did not expect this, ignore this mail: no account exists until the link is used.</small></p>
</body></html>`.value;
  return {
    subject: `You are invited to the Reply Desk desk (${String(INVITE_HOURS)} hours to accept)`,
    text,
    html: body,
  };
}

/**
 * The `invite` mail job: mints the link's token and mails it in one transaction, so the token exists
 * only in the mail (src/store/accounts/invites.ts). An invite accepted, replaced or expired meanwhile
 * sends nothing.
 */
export async function sendInviteMail(
  deps: { db: Pool; mailer: Mailer; publicUrl: string },
  data: Partial<InviteJob>,
): Promise<{ sent: boolean }> {
  if (typeof data.inviteId !== 'string' || !/^[0-9]{1,19}$/.test(data.inviteId))
    throw new UnrecoverableError('invalid invite payload');
  const sent = await mintInviteLink(deps.db, data.inviteId, async (mail, token) => {
    const url = `${deps.publicUrl}/admin/sign-in/invite?t=${token}`;
    await deps.mailer.send({ to: mail.email, ...renderInviteMail(mail, url) });
  });
  return { sent };
}
