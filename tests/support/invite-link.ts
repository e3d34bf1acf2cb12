import { createHash } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Pool } from '../../src/store/db.js';
import { waitFor } from './harness.js';

/**
 * The invite link in a mail (src/mail/invite-mail.ts), once it works. The worker mails the link inside
 * the transaction that stores its token's hash (a failed send then rolls the hash back), so the SMTP
 * sink can hold the mail a moment before that commit: a test that clicked at once would meet a link
 * that does not work yet, which no person opening a mail ever does.
 */
export async function invitePathIn(pool: Pool, mail: ParsedMail): Promise<string> {
  const m = /http:\/\/127\.0\.0\.1:\d+(\/admin\/sign-in\/invite\?t=([A-Za-z0-9_-]{43}))/.exec(mail.text ?? '');
  if (!m) throw new Error(`no invite link in: ${mail.text}`);
  const hash = createHash('sha256').update(m[2]!).digest();
  await waitFor('the invite link to be committed', async () => {
    const { rowCount } = await pool.query('select 1 from moderator_invites where token_hash = $1', [hash]);
    return (rowCount ?? 0) > 0;
  });
  return m[1]!;
}
