/** The two roles (as in store/moderators.ts). */
type Role = 'admin' | 'moderator';

/** An account as the rule reads it. */
export interface AccountState {
  id: number;
  role: Role;
  disabled: boolean;
}

/** What an admin asks for; `remove` deletes the account. */
export interface AccountChangeRequest {
  role?: Role;
  disabled?: boolean;
  remove?: boolean;
}

/**
 * The one rule about accounts: the desk always keeps an enabled admin, so no change may disable,
 * remove or demote the last one (nobody could then manage sites or accounts without SQL).
 * `enabledAdminIds` is every enabled admin, read under a lock with the change.
 */
export function lastAdminProblem(
  target: AccountState,
  change: AccountChangeRequest,
  enabledAdminIds: readonly number[],
): 'LAST_ADMIN' | null {
  const isEnabledAdmin = target.role === 'admin' && !target.disabled;
  const losesAdmin = change.remove === true || change.disabled === true || change.role === 'moderator';
  if (!isEnabledAdmin || !losesAdmin) return null;
  return enabledAdminIds.some((id) => id !== target.id) ? null : 'LAST_ADMIN';
}

/** Whether the change should end the account's sessions at once (a password change does so in the database). */
export function changeEndsSessions(target: AccountState, change: AccountChangeRequest): boolean {
  return (change.disabled === true && !target.disabled) || (change.role !== undefined && change.role !== target.role);
}
