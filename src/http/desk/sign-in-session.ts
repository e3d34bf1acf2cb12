import type { Request } from 'express';
import type { SessionList } from '../../auth/session-list.js';
import type { Queryable } from '../../store/db.js';
import { recordSignIn, type Moderator } from '../../store/moderators.js';

/** How long, after a right password, the second step's code may come. */
export const TWO_FACTOR_PENDING_MS = 5 * 60_000;

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/**
 * Signs the account in on this request: a new session id (no fixation), the account and its session
 * generation, where and when (for its list of sessions), stored, and remembered in that list. Every way
 * in ends here: the password alone, the password then a code, an invite's new password.
 */
export async function completeSignIn(
  req: Request,
  deps: { db: Queryable; sessions: SessionList },
  moderator: Pick<Moderator, 'id' | 'sessionGeneration'>,
): Promise<void> {
  await regenerateSession(req);
  req.session.moderatorId = moderator.id;
  req.session.generation = moderator.sessionGeneration;
  req.session.signedInAt = Date.now();
  req.session.userAgent = (req.get('user-agent') ?? '').slice(0, 300);
  req.session.ip = req.ip ?? '';
  await saveSession(req);
  await deps.sessions.add(moderator.id, req.sessionID);
  await recordSignIn(deps.db, moderator.id);
}
