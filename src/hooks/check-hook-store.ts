import type { Queryable } from '../store/db.js';

/** A site's external check hook as stored (sql/0058). The secret leaves the store only to sign and to show admins. */
export interface CheckHook {
  siteId: string;
  url: string;
  secret: string;
  /** null: the worker's CHECK_HOOK_TIMEOUT_MS. */
  timeoutMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

interface HookRow {
  site_id: string;
  url: string;
  secret: string;
  timeout_ms: number | null;
  created_at: Date;
  updated_at: Date;
}

const toHook = (r: HookRow): CheckHook => ({
  siteId: r.site_id,
  url: r.url,
  secret: r.secret,
  timeoutMs: r.timeout_ms,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Who changed a hook, for the audit log: a moderator, or the command line (id null, label 'cli'). */
export interface CheckHookActor {
  id: number | null;
  label: string;
}

/**
 * The audit event of a change, as a CTE over the changed row `h`, in the same statement (neither lands
 * without the other). The detail is the URL and timeout, and whether the secret is new: never the secret.
 */
const auditChange = (extra: string): string => `audited as (
  insert into moderation_events (actor_id, actor, action, site_id, detail)
  select $1, $2, 'check_hook', h.site_id,
         jsonb_build_object('op', $3::text, 'url', h.url, 'timeoutMs', h.timeout_ms) || ${extra}
    from h)`;

export async function loadCheckHook(db: Queryable, siteId: string): Promise<CheckHook | null> {
  const { rows } = await db.query<HookRow>('select * from site_check_hooks where site_id = $1', [siteId]);
  return rows[0] ? toHook(rows[0]) : null;
}

/** Every site's hook: the worker keeps them all in memory (src/hooks/check-hooks.ts); there are few. */
export async function listCheckHooks(db: Queryable): Promise<CheckHook[]> {
  const { rows } = await db.query<HookRow>('select * from site_check_hooks');
  return rows.map(toHook);
}

/**
 * Sets the site's hook (creates it, or changes its URL and timeout). `secret` null keeps the one it has;
 * a new hook always gets `newSecret`, so the caller passes one it made either way and learns from
 * `secretChanged` whether it is now in use (and must be shown, once).
 */
export async function setCheckHook(
  db: Queryable,
  f: { siteId: string; url: string; timeoutMs: number | null; newSecret: string; replaceSecret: boolean },
  actor: CheckHookActor,
): Promise<{ hook: CheckHook; secretChanged: boolean }> {
  const { rows } = await db.query<HookRow & { secret_changed: boolean }>(
    `with old as (select secret from site_check_hooks where site_id = $4),
     h as (
       insert into site_check_hooks (site_id, url, secret, timeout_ms) values ($4, $5, $6, $7)
       on conflict (site_id) do update
         set url = excluded.url, timeout_ms = excluded.timeout_ms, updated_at = now(),
             secret = case when $8::boolean then excluded.secret else site_check_hooks.secret end
       returning *),
     ${auditChange(`jsonb_build_object('newSecret', h.secret is distinct from (select secret from old))`)}
     select h.*, h.secret is distinct from (select secret from old) as secret_changed from h`,
    [actor.id, actor.label, 'set', f.siteId, f.url, f.newSecret, f.timeoutMs, f.replaceSecret],
  );
  const row = rows[0]!;
  return { hook: toHook(row), secretChanged: row.secret_changed };
}

/** Removes the site's hook; false when it had none (nothing is audited then). */
export async function clearCheckHook(db: Queryable, siteId: string, actor: CheckHookActor): Promise<boolean> {
  const { rowCount } = await db.query(
    `with h as (delete from site_check_hooks where site_id = $4 returning *),
     ${auditChange(`'{}'::jsonb`)}
     select 1 from h`,
    [actor.id, actor.label, 'clear', siteId],
  );
  return rowCount === 1;
}
