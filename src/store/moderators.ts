import type { SiteRole } from '../auth/site-roles.js';
import type { Queryable } from './db.js';

export type Role = 'admin' | 'moderator';
export type { SiteRole };

/** A signed-in person as the dashboard sees them. `siteIds` is every site for an admin. */
export interface Moderator {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  siteIds: string[];
  /**
   * Bumped by the database whenever the password changes (sql/0018): a session signed in under an
   * older generation is over.
   */
  sessionGeneration: number;
  /** The role on each site in `siteIds` (sql/0041): `admin` on every site for an admin. */
  siteRoles: Record<string, SiteRole>;
  /** Signs in with a TOTP code after the password (sql/0042). */
  twoFactor: boolean;
  /** One of the account's sites has `requireTwoFactor` on: without two-factor, the desk asks it to enrol first. */
  twoFactorRequired: boolean;
}

interface ModeratorRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  site_ids: string[];
  session_generation: number;
  site_roles: Record<string, SiteRole> | null;
  two_factor: boolean;
  two_factor_required: boolean;
}

const selectModerator = `
select m.id, m.email, m.display_name, m.role, m.disabled, m.session_generation,
       case when m.role = 'admin' then array(select id from sites order by id)
            else array(select site_id from moderator_sites ms where ms.moderator_id = m.id order by site_id) end as site_ids,
       case when m.role = 'admin' then (select jsonb_object_agg(id, 'admin') from sites)
            else (select jsonb_object_agg(site_id, ms.role) from moderator_sites ms where ms.moderator_id = m.id) end as site_roles,
       exists (select 1 from moderator_two_factor t where t.moderator_id = m.id and t.confirmed_at is not null) as two_factor,
       case when m.role = 'admin' then exists (select 1 from sites s where s.settings -> 'requireTwoFactor' = 'true'::jsonb)
            else exists (select 1 from moderator_sites ms join sites s on s.id = ms.site_id
                          where ms.moderator_id = m.id and s.settings -> 'requireTwoFactor' = 'true'::jsonb) end
         as two_factor_required
  from moderators m`;

function toModerator(r: ModeratorRow): Moderator {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    role: r.role,
    disabled: r.disabled,
    siteIds: r.site_ids,
    sessionGeneration: r.session_generation,
    siteRoles: r.site_roles ?? {},
    twoFactor: r.two_factor,
    twoFactorRequired: r.two_factor_required,
  };
}

export async function loadModerator(db: Queryable, id: number): Promise<Moderator | null> {
  const { rows } = await db.query<ModeratorRow>(`${selectModerator} where m.id = $1`, [id]);
  return rows[0] ? toModerator(rows[0]) : null;
}

/** The account and its password hash, for sign-in only. */
export async function loadCredentials(
  db: Queryable,
  email: string,
): Promise<{ moderator: Moderator; passwordHash: string } | null> {
  const { rows } = await db.query<ModeratorRow & { password_hash: string }>(
    `${selectModerator.replace('m.disabled,', 'm.disabled, m.password_hash,')} where m.email = $1`,
    [email.trim().toLowerCase()],
  );
  const r = rows[0];
  return r ? { moderator: toModerator(r), passwordHash: r.password_hash } : null;
}

export async function listModerators(db: Queryable): Promise<Moderator[]> {
  const { rows } = await db.query<ModeratorRow>(`${selectModerator} order by m.email`);
  return rows.map(toModerator);
}

/**
 * Creates an account, or resets the password, role and name of an existing one (the way to recover
 * a lost admin password from the command line). Returns whether it was created.
 */
export async function upsertModerator(
  db: Queryable,
  m: {
    email: string;
    displayName: string;
    role: Role;
    passwordHash: string;
    siteIds: string[];
    /** A role per site; a site in `siteIds` without one here is `moderator`. */
    siteRoles?: Record<string, SiteRole>;
  },
): Promise<{ id: number; created: boolean }> {
  const { rows } = await db.query<{ id: number; created: boolean }>(
    `insert into moderators (email, display_name, role, password_hash) values ($1, $2, $3, $4)
     on conflict (email) do update set display_name = excluded.display_name, role = excluded.role,
       password_hash = excluded.password_hash, disabled = false
     returning id, (xmax = 0) as created`,
    [m.email.trim().toLowerCase(), m.displayName, m.role, m.passwordHash],
  );
  const row = rows[0]!;
  if (m.siteIds.length > 0) {
    await db.query(
      `insert into moderator_sites (moderator_id, site_id, role)
       select $1, s, coalesce($3::jsonb ->> s, 'moderator') from unnest($2::text[]) s
       on conflict (moderator_id, site_id) do update set role = coalesce($3::jsonb ->> excluded.site_id, moderator_sites.role)`,
      [row.id, m.siteIds, JSON.stringify(m.siteRoles ?? {})],
    );
  }
  return row;
}

export async function recordSignIn(db: Queryable, id: number): Promise<void> {
  await db.query('update moderators set last_sign_in_at = now() where id = $1', [id]);
}
