import { diffSites } from '../domain/site-form.js';
import type { Site, SiteSettings } from '../domain/site-settings.js';
import type { Pool, PoolClient, Queryable } from './db.js';
import { inTransaction, type Actor } from './moderation-actions.js';
import { insertSite, loadSite, updateSite } from './sites.js';

/** A site as the admin's form saves it: the whole editable document. */
export interface SiteChange {
  name: string;
  allowedOrigins: string[];
  settings: SiteSettings;
}

async function recordSiteUpdate(client: PoolClient, siteId: string, actor: Actor, detail: object): Promise<void> {
  await client.query(
    `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'site_update', $3, $4)`,
    [actor.id, actor.label, siteId, JSON.stringify(detail)],
  );
}

/**
 * Saves a site's name, origins and settings and records the changed keys (before and after) in the
 * audit log, in one transaction. The row is locked first so two admins saving at once each log the
 * difference from what the other saved, never from a stale read. Returns null when there is no such
 * site; `changed` is empty (and nothing is logged) when the form changed nothing.
 */
export async function saveSite(
  pool: Pool,
  id: string,
  change: SiteChange,
  actor: Actor,
): Promise<{ site: Site; changed: string[] } | null> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query('select 1 from sites where id = $1 for update', [id]);
    if (!locked.rowCount) return null;
    const before = await loadSite(client, id);
    const after = await updateSite(client, id, change);
    if (!before || !after) return null;
    const diff = diffSites(before, after);
    const changed = Object.keys(diff.after);
    if (changed.length > 0) await recordSiteUpdate(client, id, actor, diff);
    return { site: after, changed };
  });
}

/** Creates a site and logs it (every key, with an empty before); false when the id is taken. */
export async function createSite(pool: Pool, site: SiteChange & { id: string }, actor: Actor): Promise<boolean> {
  return inTransaction(pool, async (client) => {
    if (!(await insertSite(client, site))) return false;
    const created = await loadSite(client, site.id);
    if (created) await recordSiteUpdate(client, site.id, actor, { created: true, ...diffSites(null, created) });
    return true;
  });
}

/** Everything stored under a site, as the confirmation page and the CLI list it before deleting. */
export interface SiteContents {
  pages: number;
  comments: number;
  bans: number;
  trustedAuthors: number;
  webhooks: number;
  moderators: number;
  auditEvents: number;
  spamExamples: number;
}

/** Who deletes a site, as the audit log records it. */
export interface SiteDeleteActor {
  id: number | null;
  label: string;
}

/** What a site holds (null when there is no such site). */
export async function countSiteContents(db: Queryable, siteId: string): Promise<SiteContents | null> {
  const { rows } = await db.query<SiteContents>(
    `select (select count(*)::int from pages where site_id = s.id) as pages,
            (select count(*)::int from comments where site_id = s.id) as comments,
            (select count(*)::int from bans where site_id = s.id) as bans,
            (select count(*)::int from trusted_authors where site_id = s.id) as "trustedAuthors",
            (select count(*)::int from webhook_subscriptions where site_id = s.id) as webhooks,
            (select count(*)::int from moderator_sites where site_id = s.id) as moderators,
            (select count(*)::int from moderation_events where site_id = s.id) as "auditEvents",
            (select count(*)::int from spam_training where model = s.id) as "spamExamples"
       from sites s where s.id = $1`,
    [siteId],
  );
  return rows[0] ?? null;
}

/** One line naming what deleting the site removes, for the confirmation page and the CLI. */
export function describeSiteContents(c: SiteContents): string {
  return [
    `${c.comments} comment(s)`,
    `${c.pages} page(s)`,
    `${c.bans} ban(s)`,
    `${c.trustedAuthors} trusted author(s)`,
    `${c.webhooks} webhook(s) and their deliveries`,
    `${c.moderators} moderator assignment(s) (the accounts stay)`,
    `its spam filter model (${c.spamExamples} example(s))`,
    `its ${c.auditEvents} audit log entr${c.auditEvents === 1 ? 'y' : 'ies'}`,
  ].join(', ');
}

/**
 * Deletes a site and everything under it, in one transaction: the sites row cascades to pages,
 * comments (and their flags, edits, mail notices), bans, trusted authors, webhooks (and deliveries),
 * moderators' assignments, reply-mail addresses and the site's audit events (sql/0023 lets exactly
 * those through the append-only trigger); its spam model is keyed by the site id without a foreign
 * key, so it is deleted here. One `site_delete` event with no site_id (its row is gone) records who
 * and what. Moderator accounts stay, also one left with no site. Returns what was deleted, or null
 * when there is no such site. Cannot be undone.
 */
export async function deleteSite(pool: Pool, siteId: string, actor: SiteDeleteActor): Promise<SiteContents | null> {
  return inTransaction(pool, async (client) => {
    // The row lock makes a second, concurrent delete wait and then find nothing.
    const locked = await client.query('select 1 from sites where id = $1 for update', [siteId]);
    if (!locked.rowCount) return null;
    const contents = await countSiteContents(client, siteId);
    if (contents === null) return null;
    // set_config(…, true) is `set local` with a parameter: it ends with this transaction.
    await client.query(`select set_config('reply_desk.site_delete', $1, true)`, [siteId]);
    await client.query('delete from spam_models where model = $1', [siteId]);
    await client.query('delete from abuse_models where model = $1', [siteId]);
    await client.query('delete from sites where id = $1', [siteId]);
    await client.query(`select set_config('reply_desk.site_delete', '', true)`);
    await client.query(
      `insert into moderation_events (actor_id, actor, action, site_id, detail) values ($1, $2, 'site_delete', null, $3)`,
      [actor.id, actor.label, JSON.stringify({ site: siteId, ...contents })],
    );
    return contents;
  });
}
