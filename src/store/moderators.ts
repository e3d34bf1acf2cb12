import type { Queryable } from './db.js';

export type Role = 'admin' | 'moderator';

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
}

interface ModeratorRow {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  disabled: boolean;
  site_ids: string[];
  session_generation: number;
}

const selectModerator = `
select m.id, m.email, m.display_name, m.role, m.disabled, m.session_generation,
       case when m.role = 'admin' then array(select id from sites order by id)
            else array(select site_id from moderator_sites ms where ms.moderator_id = m.id order by site_id) end as site_ids
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
  m: { email: string; displayName: string; role: Role; passwordHash: string; siteIds: string[] },
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
      `insert into moderator_sites (moderator_id, site_id) select $1, unnest($2::text[]) on conflict do nothing`,
      [row.id, m.siteIds],
    );
  }
  return row;
}

export async function recordSignIn(db: Queryable, id: number): Promise<void> {
  await db.query('update moderators set last_sign_in_at = now() where id = $1', [id]);
}
