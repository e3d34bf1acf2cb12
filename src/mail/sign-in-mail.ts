import { UnrecoverableError } from 'bullmq';
import type { Mailer } from './mailer.js';
import { renderSignInLink } from './mail-templates.js';
import type { SignInJob } from '../queue/email-queue.js';
import { EMAIL_LINK_MINUTES, mintSignInLink } from '../readers/email-sign-in.js';
import type { Pool } from '../store/db.js';

/**
 * The `sign-in` mail job (issue 14, src/readers/email-sign-in.ts): mints the link's token and mails it
 * in one transaction, so the token exists only in the mail. A request that expired or was confirmed
 * meanwhile sends nothing.
 */
export async function sendSignInMail(
  deps: { db: Pool; mailer: Mailer; publicUrl: string },
  data: Partial<SignInJob>,
): Promise<{ sent: boolean }> {
  if (typeof data.signInId !== 'string' || !/^[0-9]{1,19}$/.test(data.signInId))
    throw new UnrecoverableError('invalid sign-in payload');
  const sent = await mintSignInLink(deps.db, data.signInId, async (mail, token) => {
    const signInUrl = `${deps.publicUrl}/readers/email/confirm?t=${token}`;
    await deps.mailer.send({
      to: mail.email,
      ...renderSignInLink({ siteName: mail.siteName, signInUrl, linkMinutes: EMAIL_LINK_MINUTES, lang: mail.lang }),
    });
  });
  return { sent };
}
