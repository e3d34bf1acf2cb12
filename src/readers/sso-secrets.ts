import { randomBytes } from 'node:crypto';
import type { Queryable } from '../store/db.js';

/*
 * The host site's SSO secret (sql/0025 site_sso_secrets): the key its pages sign readers' HS256 tokens
 * with. Kept apart from `sites` so no export, settings answer or log line can carry it; only an admin
 * sees it (the dashboard's sign-in page, `reply-desk site update ID --sso-secret`).
 */

/** A new secret: 32 random bytes, base64url (43 characters; HS256 wants at least 256 bits). */
export function generateSsoSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** At least 32 characters: a short shared secret would make every reader's token guessable. */
export const SSO_SECRET_MIN = 32;

export async function getSsoSecret(db: Queryable, siteId: string): Promise<string | null> {
  const { rows } = await db.query<{ secret: string }>('select secret from site_sso_secrets where site_id = $1', [
    siteId,
  ]);
  return rows[0]?.secret ?? null;
}

/** Sets or rotates (null: removes) a site's SSO secret, with an audit event that never holds the secret. */
export async function setSsoSecret(
  db: Queryable,
  q: { siteId: string; secret: string | null; actorId: number | null; actor: string },
): Promise<void> {
  await db.query(
    `with changed as (
       insert into site_sso_secrets (site_id, secret) select $1, $2 where $2::text is not null
       on conflict (site_id) do update set secret = excluded.secret, rotated_at = now()
       returning site_id
     ), removed as (
       delete from site_sso_secrets where $2::text is null and site_id = $1 returning site_id
     )
     insert into moderation_events (actor_id, actor, action, site_id, detail)
     select $3, $4, 'sso_secret_set', $1, jsonb_build_object('removed', $2::text is null)
      where exists (select 1 from changed) or exists (select 1 from removed)`,
    [q.siteId, q.secret, q.actorId, q.actor],
  );
}
