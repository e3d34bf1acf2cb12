import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPageCommand } from '../../src/cli/page-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { loadWebhookComment } from '../../src/store/webhooks.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 11, item 11: the first submitter used to name a page for good. A submission's title is now a
// suggestion: feeds and webhooks (and mails: email-notices.test.ts) show only a confirmed title, the
// dashboard shows the suggestion marked, and a moderator or the CLI confirms or corrects it.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();

let n = 0;
async function comment(
  site: string,
  page: string,
  pageTitle: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site,
      page,
      pageUrl: `${api.origin}/${page}`,
      pageTitle,
      author: `Reader ${n}`,
      email: `reader-${n}@example.org`,
      body: `Title comment ${n}`,
      ...extra,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

const pageRow = async (site: string, page: string) =>
  (await db.pool.query('select title, suggested_title from pages where site_id = $1 and identifier = $2', [site, page]))
    .rows[0] as { title: string | null; suggested_title: string | null };
const feed = async (site: string, page: string) => (await fetch(`${api.url}/feeds/${site}/pages/${page}.atom`)).text();

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'open', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'held', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 0,
    moderation: 'pre',
  });
  await addSite(db.pool, 'elsewhere', [api.origin], { holdFirstTime: false });
  await api.sites.refresh();
  await addModerator(db.pool, 'titles@example.org', 'moderator', ['held', 'open']);
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('a submission only suggests a page title', () => {
  it('the first submitter’s title is kept as a suggestion, and neither feeds nor webhooks show it', async () => {
    const id = await comment('open', 'hijack', 'Visit evil.test for FREE MONEY');
    await comment('open', 'hijack', 'A second reader’s title');
    expect(await pageRow('open', 'hijack')).toEqual({ title: null, suggested_title: 'Visit evil.test for FREE MONEY' });

    const page = await feed('open', 'hijack');
    expect(page).toContain('<title>Comments on hijack</title>');
    expect(page).toContain('on hijack</title>');
    const site = await (await fetch(`${api.url}/feeds/open/comments.atom`)).text();
    for (const xml of [page, site]) expect(xml).not.toMatch(/evil\.test|FREE MONEY|second reader/);
    expect((await loadWebhookComment(db.pool, id))?.page.title).toBeNull();
  });

  it('the dashboard shows the suggestion marked, and a moderator of the site confirms or corrects it', async () => {
    await comment('held', 'held-page', 'A suggested <b>headline</b>');
    const mod = new DashboardClient(api.url);
    await mod.signIn('titles@example.org');
    const queue = await mod.page('/admin?tab=pending&site=held');
    expect(queue).toContain('(suggested title: “A suggested &lt;b&gt;headline&lt;/b&gt;”)');
    expect(queue).toContain('<form method="post" action="/admin/pages/title"');
    expect(queue).toContain('Confirm title</button>');

    const set = (fields: Record<string, string>) => mod.post('/admin/pages/title', fields, { json: true });
    expect((await set({ site: 'elsewhere', page: 'held-page', title: 'Nope' })).status).toBe(403);
    expect((await set({ site: 'held', page: 'no-such-page', title: 'Nope' })).status).toBe(404);
    const bad = await set({ site: 'held', page: 'held-page', title: 'Line\u0000break' });
    // The desk refuses control characters in any field before a route sees them (dashboard-input.ts).
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'INVALID_CHARACTERS', field: 'title' } });
    expect((await set({ site: 'held', page: 'held-page', title: '   ' })).status).toBe(422);
    expect((await pageRow('held', 'held-page')).title).toBeNull();

    const form = await mod.post('/admin/pages/title', {
      site: 'held',
      page: 'held-page',
      title: ' A corrected headline ',
    });
    expect(form.status).toBe(303);
    expect(await pageRow('held', 'held-page')).toEqual({
      title: 'A corrected headline',
      suggested_title: 'A suggested <b>headline</b>',
    });
    const audit = await db.pool.query(
      `select actor, site_id, detail from moderation_events where action = 'page_title'`,
    );
    expect(audit.rows).toEqual([
      {
        actor: 'titles@example.org',
        site_id: 'held',
        detail: { page: 'held-page', before: null, after: 'A corrected headline' },
      },
    ]);
    const after = await mod.page('/admin?tab=pending&site=held');
    expect(after).not.toContain('suggested title');
    expect(after).toContain('>A corrected headline</a>');

    // A later submission renames nothing.
    await comment('held', 'held-page', 'Renamed by a reader');
    expect((await pageRow('held', 'held-page')).title).toBe('A corrected headline');
  });

  it('`reply-desk page suggestions` lists unconfirmed titles and `page title` confirms one, which feeds then show', async () => {
    const lines: string[] = [];
    await runPageCommand(db.pool, ['suggestions', 'open'], (l) => lines.push(l));
    expect(lines).toEqual(['hijack\tVisit evil.test for FREE MONEY']);

    await runPageCommand(db.pool, ['title', 'open', 'hijack', 'How we fixed titles'], (l) => lines.push(l));
    expect(lines.at(-1)).toBe('page open hijack: title "How we fixed titles"');
    expect((await pageRow('open', 'hijack')).title).toBe('How we fixed titles');
    expect(
      (await db.pool.query(`select actor from moderation_events where action = 'page_title' and site_id = 'open'`))
        .rows,
    ).toEqual([{ actor: 'cli' }]);
    const page = await feed('open', 'hijack');
    expect(page).toContain('<title>Comments on How we fixed titles</title>');
    expect(page).toContain('on How we fixed titles</title>');

    // A title that begins with "-" comes after -- (the command table refuses it as an unknown option).
    await runPageCommand(db.pool, ['title', 'open', 'hijack', '--', '-30% off'], (l) => lines.push(l));
    expect((await pageRow('open', 'hijack')).title).toBe('-30% off');
    await runPageCommand(db.pool, ['title', 'open', 'hijack', 'How we fixed titles'], () => {});

    await expect(runPageCommand(db.pool, ['title', 'open', 'nowhere', 'X'], () => {})).rejects.toThrow(UsageError);
    await expect(runPageCommand(db.pool, ['title', 'open', 'hijack', '\u0007'], () => {})).rejects.toThrow(
      /one line of text/,
    );
    await expect(runPageCommand(db.pool, ['title', 'open'], () => {})).rejects.toThrow(/usage/);
    const none: string[] = [];
    await runPageCommand(db.pool, ['suggestions', 'open'], (l) => none.push(l));
    expect(none).toEqual([]);
  });
});
