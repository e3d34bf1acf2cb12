import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, waitFor, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { updateSite } from '../../src/store/sites.js';

/*
 * Issue 13, item 11: a site added while the service runs works at once in the widget. Each API's site
 * directory LISTENs for the trigger of sql/0024 and reloads, so within a second every API process lets
 * the new origin through CORS. The harness's periodic refresh is a minute here: only the notice (or the
 * reload after a lost connection comes back) can make these pass in time.
 */

let db: TestDatabase;
let apis: TestApi[] = [];
let first: TestApi;
let stale: TestApi;
const prefix = newQueuePrefix();

beforeAll(async () => {
  db = await createTestDatabase();
  first = await startApi({ pool: db.pool, prefix, siteChanges: { reconnectMs: 100 } });
  apis = [first, await startApi({ pool: db.pool, prefix, siteChanges: { reconnectMs: 100 } })];
  // As before the fix: no LISTEN, only the (here one-minute) refresh.
  stale = await startApi({ pool: db.pool, prefix });
  await waitFor('both directories listening', () => listeners().then((n) => n === 2));
});

afterAll(async () => {
  for (const api of apis) await api.close();
  await stale?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

function listeners(): Promise<number> {
  return db.pool
    .query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
       where datname = current_database() and application_name = 'reply-desk site changes' and query ilike 'listen%'`,
    )
    .then((r) => r.rows[0]?.n ?? 0);
}

/** Whether a widget's CORS preflight from `origin` is let through. */
async function corsAllows(api: TestApi, origin: string): Promise<boolean> {
  const res = await fetch(`${api.url}/api/comments`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  return res.headers.get('access-control-allow-origin') === origin;
}

/** Milliseconds until every API agrees with `expected` for `origin`; fails after a second. */
async function within1s(origin: string, expected: boolean): Promise<number> {
  const started = Date.now();
  await waitFor(
    `${origin} ${expected ? 'allowed' : 'refused'} by both APIs`,
    async () => (await Promise.all(apis.map((a) => corsAllows(a, origin)))).every((ok) => ok === expected),
    1000,
    20,
  );
  return Date.now() - started;
}

describe('site changes reach every API within a second', () => {
  it('a site added while both APIs run passes CORS in both within 1 s (not in an API without LISTEN)', async () => {
    expect(await corsAllows(first, 'https://fresh.example')).toBe(false);
    await addSite(db.pool, 'fresh', ['https://fresh.example']);
    const ms = await within1s('https://fresh.example', true);
    expect(ms).toBeLessThan(1000);
    expect(await corsAllows(stale, 'https://fresh.example')).toBe(false);
  });

  it("an update of a site's origins lets the new one in and the old one out within 1 s", async () => {
    await addSite(db.pool, 'moving', ['https://old.example']);
    await within1s('https://old.example', true);
    await updateSite(db.pool, 'moving', { allowedOrigins: ['https://new.example'] });
    await within1s('https://new.example', true);
    await within1s('https://old.example', false);
  });

  it('a deleted site stops passing CORS within 1 s', async () => {
    await addSite(db.pool, 'gone', ['https://gone.example']);
    await within1s('https://gone.example', true);
    await db.pool.query(`delete from sites where id = 'gone'`);
    await within1s('https://gone.example', false);
  });

  it("a page's guests override, set or cleared in SQL (as `reply-desk page update` does), reaches both directories within 1 s", async () => {
    // Intake reads a guest's page only on a site with a page overriding guests (sql/0060): the page
    // statement notifies, so no process takes a guest its page refuses for longer than a second.
    await addSite(db.pool, 'members', ['https://members.example']);
    await db.pool.query(`insert into pages (site_id, identifier) values ('members', 'club'), ('members', 'open')`);
    const flags = () => Promise.all(apis.map(async (a) => (await a.sites.get('members'))?.pagesOverrideGuests));
    await waitFor('both directories know the site', async () => (await flags()).every((f) => f === false), 1000, 20);
    const started = Date.now();
    await db.pool.query(
      `update pages set settings = settings || '{"guests": false}' where site_id = 'members' and identifier = 'club'`,
    );
    await waitFor('both directories see the override', async () => (await flags()).every((f) => f === true), 1000, 20);
    expect(Date.now() - started).toBeLessThan(1000);
    // Clearing the override notifies too.
    await db.pool.query(`update pages set settings = settings - 'guests' where site_id = 'members'`);
    await waitFor('both directories see it gone', async () => (await flags()).every((f) => f === false), 1000, 20);
  });

  it('a lost LISTEN connection reconnects and reloads, catching a site added while it was down', async () => {
    await db.pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and application_name = 'reply-desk site changes'`,
    );
    // Added while no directory listens (they reconnect after 100 ms): only the reload on reconnect sees it.
    await addSite(db.pool, 'while-down', ['https://while-down.example']);
    await waitFor(
      'both APIs allow the site added while disconnected',
      async () => (await Promise.all(apis.map((a) => corsAllows(a, 'https://while-down.example')))).every(Boolean),
      3000,
      20,
    );
    await waitFor('both directories listening again', () => listeners().then((n) => n === 2), 3000);
    // And notices are heard on the new connections.
    await addSite(db.pool, 'after', ['https://after.example']);
    await within1s('https://after.example', true);
  });
});
