import { parseArgs } from 'node:util';
import { z } from 'zod';
import { weakPasswordReason } from '../auth/password-rules.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';
import { isSiteRole, type SiteRole } from '../auth/site-roles.js';
import { listModerators, upsertModerator, type Role } from '../store/moderators.js';
import {
  changeModeratorAccount,
  findModeratorId,
  removeModeratorAccount,
  type AccountChange,
  type AccountResult,
} from '../store/moderator-accounts.js';
import { removeTwoFactor } from '../store/accounts/two-factor.js';
import type { Pool } from '../store/db.js';
import { listSites } from '../store/sites.js';
import { UsageError } from './site-commands.js';

const usage =
  'usage: reply-desk moderator add EMAIL [--role admin|moderator] [--name NAME] [--site ID[:viewer|moderator|admin]…]  (password from a prompt or stdin) | moderator list | moderator disable|enable|reset-two-factor EMAIL | moderator remove EMAIL --yes | moderator update EMAIL [--role R] [--name NAME] [--site ID[:ROLE]…] [--no-sites] [--password]';

const cli = { id: null, label: 'cli' };

/** The problems the account store reports, as one line each. */
function accountProblem(result: AccountResult, email: string): void {
  if (result.ok) return;
  if (result.problem === 'NO_SUCH_MODERATOR') throw new UsageError(`no account "${email}"`);
  if (result.problem === 'NO_SUCH_SITE') throw new UsageError('no such site (see reply-desk site list)');
  throw new UsageError(
    `${email} is the last enabled admin: make another account an admin first (reply-desk moderator update EMAIL --role admin)`,
  );
}

/**
 * `reply-desk moderator add|list|disable|enable|remove|update`. `add` on an existing email resets its
 * password, role and name; the others go through the account store's rules (the last admin stays) and
 * are audited as 'cli'.
 */
export async function runModeratorCommand(
  db: Pool,
  args: string[],
  print: (line: string) => void,
  readPassword: () => Promise<string>,
): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      site: { type: 'string', multiple: true },
      'no-sites': { type: 'boolean' },
      password: { type: 'boolean' },
      yes: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (sub === 'list') {
    for (const m of await listModerators(db)) {
      print(
        `${m.email}\t${m.displayName}\t${m.role}\t${sitesText(m)}${m.twoFactor ? '\t2fa' : ''}${m.disabled ? '\tdisabled' : ''}`,
      );
    }
    return;
  }
  const email = positionals[0]?.trim().toLowerCase();
  if (email === undefined || positionals.length > 1) throw new UsageError(usage);
  if (sub === 'disable' || sub === 'enable' || sub === 'remove' || sub === 'update' || sub === 'reset-two-factor') {
    const id = await findModeratorId(db, email);
    if (id === null) throw new UsageError(`no account "${email}"`);
    if (sub === 'reset-two-factor') {
      // The way back in for an admin who lost both phone and recovery codes (no other admin to reset it).
      const reset = await removeTwoFactor(db, id, email, cli);
      print(
        reset ? `two-factor sign-in of ${email} is off; it signs in with its password` : `${email} had no two-factor`,
      );
      return;
    }
    if (sub === 'remove') {
      if (values.yes !== true) throw new UsageError(`this deletes ${email}'s account; run again with --yes`);
      accountProblem(await removeModeratorAccount(db, id, cli), email);
      print(`removed ${email}; its sessions and mail links no longer work`);
      return;
    }
    const change: AccountChange = {};
    if (sub === 'disable' || sub === 'enable') change.disabled = sub === 'disable';
    else {
      if (values.role !== undefined) {
        if (values.role !== 'admin' && values.role !== 'moderator')
          throw new UsageError('--role must be admin or moderator');
        change.role = values.role;
      }
      if (values.name !== undefined) change.displayName = values.name;
      if (values['no-sites'] === true) change.siteRoles = {};
      else if (values.site !== undefined) change.siteRoles = parseSiteRoles(values.site);
      if (values.password === true) {
        const password = await readPassword();
        if (password.length < MIN_PASSWORD_LENGTH)
          throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
        refuseWeak(password, email);
        change.passwordHash = await hashPassword(password);
      }
      if (Object.keys(change).length === 0) throw new UsageError(usage);
    }
    const result = await changeModeratorAccount(db, id, change, cli);
    accountProblem(result, email);
    const m = result.ok ? result.moderator : null;
    print(
      sub === 'disable'
        ? `disabled ${email}; its sessions are signed out and its mail links stop working`
        : sub === 'enable'
          ? `enabled ${email}`
          : `updated ${email}: ${m?.role} ${m ? sitesText(m) : ''}${change.passwordHash || change.role ? '; its sessions are signed out' : ''}`,
    );
    return;
  }
  if (sub !== 'add') throw new UsageError(usage);
  if (!z.email().safeParse(email).success) throw new UsageError(`"${email}" is not an email address`);
  const role = (values.role ?? 'moderator') as Role;
  if (role !== 'admin' && role !== 'moderator') throw new UsageError('--role must be admin or moderator');
  const siteRoles = parseSiteRoles(values.site ?? []);
  const siteIds = Object.keys(siteRoles);
  const known = new Set((await listSites(db)).map((s) => s.id));
  const unknown = siteIds.filter((s) => !known.has(s));
  if (unknown.length > 0) throw new UsageError(`no such site: ${unknown.join(', ')}`);
  if (role === 'moderator' && siteIds.length === 0)
    print('note: this moderator has no sites yet; add them with --site ID');
  const password = await readPassword();
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new UsageError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  refuseWeak(password, email, values.name);
  const { created } = await upsertModerator(db, {
    email,
    displayName: values.name ?? email.split('@')[0] ?? email,
    role,
    passwordHash: await hashPassword(password),
    siteIds,
    siteRoles,
  });
  // An existing account's new password moves its session generation on (sql/0018): say what that means.
  print(
    `${created ? 'created' : 'updated'} ${role} ${email}${siteIds.length ? ` for ${siteIds.join(', ')}` : ''}${created ? '' : '; its sessions are signed out'}`,
  );
}

/** The dashboard's password rule (src/auth/password-rules.ts), as a usage error in lower case. */
function refuseWeak(password: string, email: string, name?: string): void {
  const reason = weakPasswordReason(password, { email, ...(name === undefined ? {} : { name }) });
  if (reason !== null) throw new UsageError(reason.charAt(0).toLowerCase() + reason.slice(1).replace(/\.$/, ''));
}

/** `--site news --site blog:viewer,shop:admin`: each site with its role (sql/0041), `moderator` when none is given. */
function parseSiteRoles(values: string[]): Record<string, SiteRole> {
  const roles: Record<string, SiteRole> = {};
  for (const one of values
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [site = '', role = 'moderator', extra] = one.split(':').map((p) => p.trim());
    if (!isSiteRole(role) || site === '' || extra !== undefined)
      throw new UsageError(`--site takes ID or ID:viewer|moderator|admin, not "${one}"`);
    roles[site] = role;
  }
  return roles;
}

/** A non-admin's sites with their roles, as `list` and `update` print them (`news,blog:viewer`: no role is moderator). */
function sitesText(m: { role: string; siteIds: string[]; siteRoles: Record<string, SiteRole> }): string {
  if (m.role === 'admin') return '(all sites)';
  const role = (s: string) => m.siteRoles[s] ?? 'moderator';
  return m.siteIds.map((s) => (role(s) === 'moderator' ? s : `${s}:${role(s)}`)).join(',') || '(no sites)';
}
