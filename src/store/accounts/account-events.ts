import type { AuditAction } from '../audit-log.js';
import type { Queryable } from '../db.js';

/** Who did it, as the audit log records it: the account (its id and email), an admin, or 'cli'. */
export interface AccountEventActor {
  id: number | null;
  label: string;
}

/** One account event in the audit log (moderation_events): no site, no comment, the detail as given. */
export async function recordAccountEvent(
  db: Queryable,
  actor: AccountEventActor,
  action: Extract<
    AuditAction,
    | 'two_factor_enable'
    | 'two_factor_disable'
    | 'recovery_codes_new'
    | 'recovery_code_use'
    | 'sessions_end'
    | 'session_end'
    | 'account_invite'
    | 'invite_accept'
    | 'invite_revoke'
  >,
  detail: Record<string, unknown>,
): Promise<void> {
  await db.query(`insert into moderation_events (actor_id, actor, action, detail) values ($1, $2, $3, $4)`, [
    actor.id,
    actor.label,
    action,
    JSON.stringify(detail),
  ]);
}

/**
 * Signs the account out everywhere: the session generation moves on (sql/0018), so every session
 * under the old one ends at its next request on every API process. Returns the new generation, for
 * the session that asked to move to and stay signed in.
 */
export async function bumpSessionGeneration(db: Queryable, moderatorId: number): Promise<number> {
  const { rows } = await db.query<{ session_generation: number }>(
    'update moderators set session_generation = session_generation + 1 where id = $1 returning session_generation',
    [moderatorId],
  );
  return rows[0]?.session_generation ?? 0;
}
