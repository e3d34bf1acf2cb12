import { parseArgs } from 'node:util';
import { z } from 'zod';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import type { Queryable } from '../store/db.js';
import { listModerators, upsertModerator, type Role } from '../store/moderators.js';
import { listSites } from '../store/sites.js';
import { UsageError } from './site-commands.js';

const usage =
  'usage: reply-desk moderator add EMAIL [--role admin|moderator] [--name NAME] [--site ID…]  (password from a prompt or stdin) | moderator list';

/** `reply-desk moderator add|list`. `add` on an existing email resets its password, role and name. */
export async function runModeratorCommand(
  db: Queryable,
  args: string[],
  print: (line: string) => void,
  readPassword: () => Promise<string>,
): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string', default: 'moderator' },
      name: { type: 'string' },
      site: { type: 'string', multiple: true },
    },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'list') {
    for (const m of await listModerators(db)) {
      print(
        `${m.email}\t${m.displayName}\t${m.role}\t${m.role === 'admin' ? '(all sites)' : m.siteIds.join(',') || '(no sites)'}${m.disabled ? '\tdisabled' : ''}`,
      );
    }
    return;
  }
  const email = positionals[0]?.trim().toLowerCase();
  if (sub !== 'add' || email === undefined) throw new UsageError(usage);
  if (!z.email().safeParse(email).success) throw new UsageError(`"${email}" is not an email address`);
  const role = values.role as Role;
  if (role !== 'admin' && role !== 'moderator') throw new UsageError('--role must be admin or moderator');
  const siteIds = (values.site ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set((await listSites(db)).map((s) => s.id));
  const unknown = siteIds.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new UsageError(`no such site: ${unknown.join(', ')}`);
  if (role === 'moderator' && siteIds.length === 0)
    print('note: this moderator has no sites yet; add them with --site ID');
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  const { created } = await upsertModerator(db, {
    email,
    displayName: values.name ?? email.split('@')[0] ?? email,
    role,
    passwordHash: await hashPassword(password),
    siteIds,
  });
  // An existing account's new password moves its session generation on (sql/0018): say what that means.
  print(
    `${created ? 'created' : 'updated'} ${role} ${email}${siteIds.length ? ` for ${siteIds.join(', ')}` : ''}${created ? '' : '; its sessions are signed out'}`,
  );
}
