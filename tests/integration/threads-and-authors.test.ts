import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuthorCommand } from '../../src/cli/author-commands.js';
import { runPageCloseCommand } from '../../src/cli/page-close-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { runSiteDeleteCommand } from '../../src/cli/site-delete-command.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 13, item 7: threads and authors without SQL. A moderator closes and reopens a page's thread
 * from a queue card or the Pages list (or `reply-desk page close|open`), untrusts an author, and an
 * admin deletes a site after typing its id (or `reply-desk site delete ID --yes`).
 */
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

const pageRow = async (site: string, page: string) =>
  (await db.pool.query('select closed, thread_version from pages where site_id = $1 and identifier = $2', [site, page]))
    .rows[0] as { closed: boolean; thread_version: number };
const events = async (action: string) =>
  (await db.pool.query('select actor, site_id, detail from moderation_events where action = $1 order by id', [action]))
    .rows;
async function thread(site: string, page: string): Promise<{ closed: boolean; closedReason?: string }> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=${page}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { closed: boolean; closedReason?: string };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'other', [api.origin]);
  await addSite(db.pool, 'doomed', [api.origin]);
  await api.sites.refresh();
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'admin@example.org', 'admin', ['news', 'other', 'doomed']);
  await seedThread(db.pool, 'news', 'quiet', [{ at: 0 }]);
  await seedThread(db.pool, 'news', 'busy', [{ at: 0 }, { at: 1 }], new Date(Date.now() - 60_000));
  await insertHeldComments(db.pool, 'news', 'busy', 1);
  await seedThread(db.pool, 'other', 'theirs', [{ at: 0 }]);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('closing and reopening a thread from the desk', () => {
  it('a queue card links to its page and closes its thread; readers see it on the very next (cached) read', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const queue = await mod.page('/admin?tab=pending&site=news');
    expect(queue).toMatch(/href="\/admin\/pages\?site=news&amp;view=all&amp;q=busy"\s*>page<\/a\s*>/);
    expect(queue).toContain('<form method="post" action="/admin/pages/close" class="rd-inline rd-page-close">');

    expect((await thread('news', 'busy')).closed).toBe(false); // now cached at this version
    const before = await pageRow('news', 'busy');
    const res = await mod.post('/admin/pages/close', { site: 'news', page: 'busy' }, { json: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ site: 'news', page: 'busy', closed: true, changed: true });
    const after = await pageRow('news', 'busy');
    expect(after.closed).toBe(true);
    // The thread's version moved, so no cached answer of the open thread is served again.
    expect(after.thread_version).toBeGreaterThan(before.thread_version);
    expect(await thread('news', 'busy')).toMatchObject({ closed: true, closedReason: 'by-hand' });
    expect(await events('page_close')).toEqual([
      { actor: 'mod@example.org', site_id: 'news', detail: { page: 'busy' } },
    ]);

    // Closing it again changes nothing and records nothing.
    const again = await mod.post('/admin/pages/close', { site: 'news', page: 'busy' }, { json: true });
    expect(await again.json()).toMatchObject({ closed: true, changed: false });
    expect((await pageRow('news', 'busy')).thread_version).toBe(after.thread_version);
    expect(await events('page_close')).toHaveLength(1);

    // The card now offers the way back, and says the page is closed.
    const closedQueue = await mod.page('/admin?tab=pending&site=news');
    expect(closedQueue).toContain('<b class="rd-closed">(closed)</b>');
    expect(closedQueue).toContain('action="/admin/pages/open"');
  });

  it('the Pages list searches, shows the most active first and the closed ones, and reopens a thread', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const active = await mod.page('/admin/pages?site=news');
    expect(active).toMatch(/<a href="\/admin\/pages"\s+aria-current="page">Pages<\/a>/);
    expect(active.indexOf('data-page="busy"')).toBeGreaterThan(-1);
    expect(active.indexOf('data-page="busy"')).toBeLessThan(active.indexOf('data-page="quiet"'));
    const closed = await mod.page('/admin/pages?site=news&view=closed');
    expect(closed).toContain('data-page="busy"');
    expect(closed).not.toContain('data-page="quiet"');
    expect(closed).toContain('Reopen thread</button>');
    const search = await mod.page('/admin/pages?site=news&view=all&q=QUI');
    expect(search).toContain('data-page="quiet"');
    expect(search).not.toContain('data-page="busy"');

    const form = await mod.post('/admin/pages/open', { site: 'news', page: 'busy' });
    expect(form.status).toBe(303);
    expect(new URL(form.headers.get('location') ?? '', api.url).searchParams.get('notice')).toBe(
      'Comments on busy are open again.',
    );
    expect((await pageRow('news', 'busy')).closed).toBe(false);
    expect((await thread('news', 'busy')).closed).toBe(false);
    expect((await events('page_open')).map((e) => e.actor)).toEqual(['mod@example.org']);
  });

  it('refuses a site the moderator does not moderate and a page the site does not have', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const foreign = await mod.post('/admin/pages/close', { site: 'other', page: 'theirs' }, { json: true });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: 'FORBIDDEN', field: 'site' } });
    expect((await pageRow('other', 'theirs')).closed).toBe(false);
    const missing = await mod.post('/admin/pages/close', { site: 'news', page: 'nowhere' }, { json: true });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'UNKNOWN_PAGE', field: 'page' } });
    expect((await mod.get('/admin/pages?site=other')).status).toBe(403);
  });

  it('`reply-desk page close|open SITE PAGE` does the same, audited as the command line', async () => {
    const lines: string[] = [];
    await runPageCloseCommand(db.pool, ['close', 'news', 'quiet'], (l) => lines.push(l));
    expect((await thread('news', 'quiet')).closed).toBe(true);
    await runPageCloseCommand(db.pool, ['close', 'news', 'quiet'], (l) => lines.push(l));
    await runPageCloseCommand(db.pool, ['open', 'news', 'quiet'], (l) => lines.push(l));
    expect(lines).toEqual([
      'page news quiet: now closed',
      'page news quiet: was already closed',
      'page news quiet: now open',
    ]);
    expect((await thread('news', 'quiet')).closed).toBe(false);
    expect((await events('page_close')).at(-1)).toEqual({ actor: 'cli', site_id: 'news', detail: { page: 'quiet' } });
    await expect(runPageCloseCommand(db.pool, ['close', 'news', 'nowhere'], () => {})).rejects.toThrow(/no page/);
    await expect(runPageCloseCommand(db.pool, ['close', 'news'], () => {})).rejects.toThrow(UsageError);
  });
});

describe('untrusting an author', () => {
  it('the desk takes trust back from a card or the trusted list, audited', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const trust = await mod.post('/admin/trusted', { site: 'news', email: 'reader1@example.org' }, { json: true });
    expect(trust.status).toBe(200);
    const queue = await mod.page('/admin?tab=pending&site=news');
    expect(queue).toContain('action="/admin/trusted/delete"');
    expect(queue).toContain('Untrust Reader 1</button>');
    const bans = await mod.page('/admin/bans');
    expect(bans).toContain('<h2 id="trusted">Trusted authors</h2>');
    expect(bans).toContain('<td>reader1@example.org</td>');

    const res = await mod.post('/admin/trusted/delete', { site: 'news', email: 'Reader1@example.org' }, { json: true });
    expect(await res.json()).toEqual({ untrusted: 'Reader1@example.org', removed: true });
    expect((await db.pool.query('select 1 from trusted_authors')).rowCount).toBe(0);
    expect(await events('untrust')).toEqual([
      { actor: 'mod@example.org', site_id: 'news', detail: { email: 'reader1@example.org' } },
    ]);
    expect(await mod.page('/admin?tab=pending&site=news')).toContain('Trust Reader 1</button>');
    const foreign = await mod.post('/admin/trusted/delete', { site: 'other', email: 'x@example.org' }, { json: true });
    expect(foreign.status).toBe(403);
  });

  it('`reply-desk author trust|untrust|trusted` does the same from the command line', async () => {
    const lines: string[] = [];
    await runAuthorCommand(db.pool, ['trust', 'news', 'Friend@Example.org'], (l) => lines.push(l));
    await runAuthorCommand(db.pool, ['trusted', 'news'], (l) => lines.push(l));
    await runAuthorCommand(db.pool, ['untrust', 'news', 'friend@example.org'], (l) => lines.push(l));
    await runAuthorCommand(db.pool, ['untrust', 'news', 'friend@example.org'], (l) => lines.push(l));
    expect(lines[0]).toBe('friend@example.org is now trusted on news');
    expect(lines[1]).toMatch(/^friend@example\.org\t\d{4}-/);
    expect(lines.slice(2)).toEqual([
      'friend@example.org is no longer trusted on news: their next comments meet the hold rules',
      'friend@example.org was not trusted on news',
    ]);
    expect((await events('untrust')).at(-1)).toMatchObject({ actor: 'cli', site_id: 'news' });
    await expect(runAuthorCommand(db.pool, ['untrust', 'nosuch', 'a@example.org'], () => {})).rejects.toThrow(
      /no site/,
    );
    await expect(runAuthorCommand(db.pool, ['untrust', 'news'], () => {})).rejects.toThrow(/usage/);
  });
});

describe('deleting a site', () => {
  it('an admin sees what goes, must type the site id, and then the site, its data and its history are gone', async () => {
    await seedThread(db.pool, 'doomed', 'p1', [{ at: 0 }, { at: 1 }]);
    await db.pool.query(
      `insert into webhook_subscriptions (site_id, url, secret, events) values ('doomed', 'https://hooks.example.org/x', 's', '{comment.approved}')`,
    );
    // The site has history (an audit event): the append-only log used to make it undeletable.
    await runPageCloseCommand(db.pool, ['close', 'doomed', 'p1'], () => {});
    expect((await thread('doomed', 'p1')).closed).toBe(true);

    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.get('/admin/sites/doomed/delete')).status).toBe(403);

    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    expect(await admin.page('/admin/sites/doomed')).toContain('href="/admin/sites/doomed/delete"');
    const confirm = await admin.page('/admin/sites/doomed/delete');
    expect(confirm).toContain('2 comment(s), 1 page(s)');
    expect(confirm).toContain('1 webhook(s)');
    expect(confirm).toContain('This cannot be undone');
    expect(confirm).toContain('name="confirm"');

    const wrong = await admin.post('/admin/sites/doomed/delete', { confirm: 'doome' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That is not the site id; nothing was deleted.');
    const wrongJson = await admin.post('/admin/sites/doomed/delete', { confirm: '' }, { json: true });
    expect(await wrongJson.json()).toMatchObject({ error: { code: 'CONFIRMATION_MISMATCH', field: 'confirm' } });
    expect((await db.pool.query(`select 1 from sites where id = 'doomed'`)).rowCount).toBe(1);

    const done = await admin.post('/admin/sites/doomed/delete', { confirm: ' doomed ' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toMatch(/^\/admin\/sites\?notice=/);
    for (const table of [
      'sites where id',
      'pages where site_id',
      'comments where site_id',
      'webhook_subscriptions where site_id',
    ]) {
      expect((await db.pool.query(`select 1 from ${table} = 'doomed'`)).rowCount, table).toBe(0);
    }
    expect((await db.pool.query(`select 1 from moderation_events where site_id = 'doomed'`)).rowCount).toBe(0);
    expect(await events('site_delete')).toEqual([
      {
        actor: 'admin@example.org',
        site_id: null,
        detail: expect.objectContaining({ site: 'doomed', comments: 2, pages: 1, webhooks: 1, auditEvents: 1 }),
      },
    ]);
    // This API forgot it at once: its thread is unknown, not served from the cached directory.
    expect(await api.sites.get('doomed')).toBeNull();
    expect((await fetch(`${api.url}/api/comments?site=doomed&page=p1`)).status).toBe(404);
    // The moderator accounts stay.
    expect((await db.pool.query(`select 1 from moderators where email = 'admin@example.org'`)).rowCount).toBe(1);
  });

  it('`reply-desk site delete ID` refuses without --yes and says what would go; with --yes it deletes', async () => {
    await seedThread(db.pool, 'other', 'theirs', [{ at: 5 }]);
    await expect(runSiteDeleteCommand(db.pool, ['other'], () => {})).rejects.toThrow(
      /removes 2 comment\(s\), 1 page\(s\).*cannot be undone; nothing was deleted.*site delete other --yes/,
    );
    expect((await db.pool.query(`select 1 from comments where site_id = 'other'`)).rowCount).toBe(2);
    await expect(runSiteDeleteCommand(db.pool, ['nosuch', '--yes'], () => {})).rejects.toThrow(/no site "nosuch"/);
    await expect(runSiteDeleteCommand(db.pool, [], () => {})).rejects.toThrow(/usage: reply-desk site delete ID --yes/);
    const lines: string[] = [];
    await runSiteDeleteCommand(db.pool, ['other', '--yes'], (l) => lines.push(l));
    expect(lines[0]).toMatch(/^deleted site other: 2 comment\(s\), 1 page\(s\)/);
    expect((await db.pool.query(`select 1 from sites where id = 'other'`)).rowCount).toBe(0);
    expect((await events('site_delete')).at(-1)).toMatchObject({ actor: 'cli', site_id: null });
  });
});
