import { changeEndsSessions, lastAdminProblem } from '../domain/account-rules.js';
import type { Pool, PoolClient } from './db.js';
import { loadModerator, type Moderator, type Role, type SiteRole } from './moderators.js';

/** Who made the change, as the audit log records it (`id` null for the CLI). */
export interface AccountActor {
  id: number | null;
  label: string;
}

/** An admin's change to an account; left-out fields stay as they are. `siteRoles` replaces the list. */
export interface AccountChange {
  role?: Role;
  displayName?: string;
  /** The sites of a non-admin and its role on each (sql/0041); replaces what it had. */
  siteRoles?: Record<string, SiteRole>;
  disabled?: boolean;
  /** A new password's hash (an admin's reset): the 0018 trigger ends the account's sessions. */
  passwordHash?: string;
}

export type AccountResult =
  | { ok: true; moderator: Moderator | null }
  | { ok: false; problem: 'NO_SUCH_MODERATOR' | 'LAST_ADMIN' | 'NO_SUCH_SITE' };

async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('begin');
    const result = await fn(c);
    await c.query('commit');
    return result;
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

/**
 * The account and every enabled admin, locked: two admins demoting each other at once must not both
 * pass the last-admin rule, so the second waits for the first and then reads who is left.
 */
async function lockAccount(c: PoolClient, id: number) {
  const { rows: admins } = await c.query<{ id: string }>(
    `select id from moderators where role = 'admin' and not disabled order by id for update`,
  );
  const target = await loadModerator(c, id);
  if (target !== null) await c.query('select 1 from moderators where id = $1 for update', [id]);
  return { target, enabledAdminIds: admins.map((a) => Number(a.id)) };
}

async function audit(c: PoolClient, actor: AccountActor, action: string, detail: object): Promise<void> {
  await c.query(`insert into moderation_events (actor_id, actor, action, detail) values ($1, $2, $3, $4)`, [
    actor.id,
    actor.label,
    action,
    JSON.stringify(detail),
  ]);
}

/**
 * Applies an admin's change to an account, in one transaction with its audit events. Disabling and a
 * role change move the session generation on (sql/0018), so every session of the account ends on its
 * next request on every API process; mail links check `disabled` when followed.
 */
export async function changeModeratorAccount(
  pool: Pool,
  id: number,
  change: AccountChange,
  actor: AccountActor,
): Promise<AccountResult> {
  return inTransaction(pool, async (c) => {
    const { target, enabledAdminIds } = await lockAccount(c, id);
    if (target === null) return { ok: false, problem: 'NO_SUCH_MODERATOR' };
    const rule = {
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
    };
    const problem = lastAdminProblem(target, rule, enabledAdminIds);
    if (problem) return { ok: false, problem };
    const siteIds = change.siteRoles === undefined ? undefined : Object.keys(change.siteRoles);
    if (siteIds !== undefined) {
      const { rows } = await c.query<{ id: string }>('select id from sites where id = any($1::text[])', [siteIds]);
      if (rows.length !== siteIds.length) return { ok: false, problem: 'NO_SUCH_SITE' };
    }
    await c.query(
      `update moderators set role = coalesce($2, role), display_name = coalesce($3, display_name),
         disabled = coalesce($4, disabled), password_hash = coalesce($5, password_hash),
         session_generation = session_generation + $6
       where id = $1`,
      [
        id,
        change.role ?? null,
        change.displayName ?? null,
        change.disabled ?? null,
        change.passwordHash ?? null,
        changeEndsSessions(target, rule) ? 1 : 0,
      ],
    );
    if (change.siteRoles !== undefined) {
      await c.query('delete from moderator_sites where moderator_id = $1', [id]);
      await c.query(
        `insert into moderator_sites (moderator_id, site_id, role) select $1, key, value from jsonb_each_text($2::jsonb)`,
        [id, JSON.stringify(change.siteRoles)],
      );
    }
    const after = (await loadModerator(c, id))!;
    const who = { email: target.email };
    if (change.disabled === true && !target.disabled) await audit(c, actor, 'account_disable', who);
    if (change.disabled === false && target.disabled) await audit(c, actor, 'account_enable', who);
    if (change.passwordHash !== undefined) await audit(c, actor, 'password_reset', who);
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    if (after.role !== target.role) changed.role = { from: target.role, to: after.role };
    if (after.displayName !== target.displayName) changed.name = { from: target.displayName, to: after.displayName };
    // An admin's site list is every site: only a moderator's own list is a change worth recording, and
    // its roles (sql/0041) when one of them is not plain `moderator`.
    if (after.role === 'moderator' && after.siteIds.join(',') !== target.siteIds.join(','))
      changed.sites = { from: target.role === 'admin' ? 'all' : target.siteIds, to: after.siteIds };
    const rolesBefore = target.role === 'admin' ? '' : rolesText(target);
    if (
      after.role === 'moderator' &&
      rolesText(after) !== rolesBefore &&
      /:(viewer|admin)/.test(rolesBefore + rolesText(after))
    )
      changed.roles = { from: target.role === 'admin' ? 'all' : target.siteRoles, to: after.siteRoles };
    if (Object.keys(changed).length > 0) await audit(c, actor, 'account_update', { ...who, ...changed });
    return { ok: true, moderator: after };
  });
}

/** A site list with its roles as one comparable string ("a:viewer,b:moderator"). */
function rolesText(m: Moderator): string {
  return m.siteIds.map((s) => `${s}:${m.siteRoles[s] ?? ''}`).join(',');
}

/** Deletes an account (its sessions then name no one; its past audit events keep its email). */
export async function removeModeratorAccount(pool: Pool, id: number, actor: AccountActor): Promise<AccountResult> {
  return inTransaction(pool, async (c) => {
    const { target, enabledAdminIds } = await lockAccount(c, id);
    if (target === null) return { ok: false, problem: 'NO_SUCH_MODERATOR' };
    const problem = lastAdminProblem(target, { remove: true }, enabledAdminIds);
    if (problem) return { ok: false, problem };
    await c.query('delete from moderators where id = $1', [id]);
    await audit(c, actor, 'account_remove', { email: target.email, role: target.role });
    return { ok: true, moderator: null };
  });
}

/**
 * A moderator's own new password (the route checked the current one). The 0018 trigger moves the
 * generation on, which ends their other sessions; returns the new generation so the session that
 * asked can stay signed in.
 */
export async function changeOwnPassword(pool: Pool, id: number, passwordHash: string, email: string): Promise<number> {
  return inTransaction(pool, async (c) => {
    const { rows } = await c.query<{ session_generation: number }>(
      'update moderators set password_hash = $2 where id = $1 returning session_generation',
      [id, passwordHash],
    );
    await audit(c, { id, label: email }, 'password_change', { email });
    return rows[0]!.session_generation;
  });
}

/** The id of the account with this email, or null. */
export async function findModeratorId(db: Pool, email: string): Promise<number | null> {
  const { rows } = await db.query<{ id: string }>('select id from moderators where email = $1', [
    email.trim().toLowerCase(),
  ]);
  return rows[0] ? Number(rows[0].id) : null;
}
