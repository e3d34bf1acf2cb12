import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/cli/export-commands.js';
import { importFile } from '../support/import-helpers.js';
import { runPageSettingsCommand } from '../../src/cli/page-settings-commands.js';
import { runPageCloseCommand } from '../../src/cli/page-close-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { updateSite } from '../../src/store/sites.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { seedThread } from '../support/seed-thread.js';
import type { TestDatabase } from '../support/test-db.js';

/*
 * Issue 16, item 1: per-story controls. A page's own settings (from the desk's API, its form or the
 * CLI) are what the worker checks with, what the thread and the form's settings say, and what votes
 * and guest intake follow; every change is validated, CSRF-guarded and audited.
 */

let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let editor: DashboardClient;
let n = 0;
const pageIds: Record<string, number> = {};

async function submit(page: string, body: string, site = 'news'): Promise<Response> {
  n += 1;
  return postJson(
    api,
    { site, page, author: `Reader ${n}`, email: `reader${n}@example.org`, body },
    { origin: api.origin },
  );
}

async function checked(page: string, body: string, site = 'news'): Promise<{ status: string; codes: string[] }> {
  const res = await submit(page, body, site);
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const stored = await waitForStored(db.pool, id);
  return { status: stored.status, codes: stored.verdict.reasons.map((r) => r.code) };
}

async function patch(
  client: DashboardClient,
  id: number | string,
  body: unknown,
  csrf = true,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api.url}/admin/api/pages/${id}`, {
    method: 'PATCH',
    headers: {
      cookie: client.cookie,
      'content-type': 'application/json',
      accept: 'application/json',
      ...(csrf ? { 'x-csrf-token': client.csrf } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function json(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${api.url}${path}`, { headers: { origin: api.origin } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function pageRow(identifier: string): Promise<{ settings: unknown; closed: boolean }> {
  const { rows } = await db.pool.query<{ settings: unknown; closed: boolean }>(
    `select settings, closed from pages where site_id = 'news' and identifier = $1`,
    [identifier],
  );
  return rows[0]!;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 2,
    guestVotes: true,
  });
  await addSite(db.pool, 'other', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  await api.sites.refresh();
  for (const page of ['crime', 'sport', 'court', 'links', 'members', 'quiet', 'cli']) {
    await seedThread(db.pool, 'news', page, [{ at: 0 }], new Date());
    pageIds[page] = (
      await db.pool.query<{ id: number }>(`select id from pages where identifier = $1`, [page])
    ).rows[0]!.id;
  }
  await seedThread(db.pool, 'other', 'elsewhere', [{ at: 0 }], new Date());
  await addModerator(db.pool, 'editor@example.org', 'moderator', ['news']);
  editor = new DashboardClient(api.url);
  await editor.signIn('editor@example.org');
});

afterAll(async () => {
  await pipeline?.close();
});

describe("a page's own settings, honoured at check time", () => {
  it('pre-moderation on one page holds there; another page of the same site publishes', async () => {
    expect((await patch(editor, pageIds.crime!, { settings: { moderation: 'pre' } })).status).toBe(200);
    expect(await checked('crime', 'What a story.')).toEqual({ status: 'pending', codes: ['PRE_MODERATION'] });
    expect(await checked('sport', 'What a match.')).toEqual({ status: 'approved', codes: [] });
    // The form's settings for that page say so before anyone writes; the other page's do not.
    expect(await json('/api/sites/news/public?page=crime')).toMatchObject({ reviewed: true });
    expect(await json('/api/sites/news/public?page=sport')).toMatchObject({ reviewed: false });
  });

  it('hold words are added on one page; the same text publishes on another', async () => {
    await patch(editor, pageIds.court!, { settings: { holdWords: ['verdict'] } });
    expect(await checked('court', 'The verdict is a scandal.')).toMatchObject({
      status: 'pending',
      codes: ['HOLD_WORD'],
    });
    expect(await checked('sport', 'The verdict of the referee.')).toEqual({ status: 'approved', codes: [] });
  });

  it('links: a page that turns the rule off publishes what its site would hold', async () => {
    await patch(editor, pageIds.links!, { settings: { holdLinks: 0 } });
    const text = 'See https://a.example and https://b.example and https://c.example';
    expect(await checked('links', text)).toEqual({ status: 'approved', codes: [] });
    expect(await checked('sport', text)).toMatchObject({ status: 'pending', codes: ['TOO_MANY_LINKS'] });
  });

  it('guests: a page for signed-in readers refuses a guest at intake (401), its site still takes them elsewhere', async () => {
    await patch(editor, pageIds.members!, { settings: { guests: false } });
    const refused = await submit('members', 'A guest here?');
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_REQUIRED');
    expect((await submit('sport', 'A guest there.')).status).toBe(202);
    expect(await json('/api/sites/news/public?page=members')).toMatchObject({ guests: false });
  });

  it('guests: the directory knows a site none of whose pages overrides guests (intake then reads no page)', async () => {
    await addSite(db.pool, 'plain-guests', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
    // The worker makes the page on its first comment; it overrides nothing.
    expect(await checked('anything', 'A guest on a plain site.', 'plain-guests')).toEqual({
      status: 'approved',
      codes: [],
    });
    await api.sites.refresh();
    expect((await api.sites.get('plain-guests'))?.pagesOverrideGuests).toBe(false);
    expect((await api.sites.get('news'))?.pagesOverrideGuests).toBe(true);
  });

  it('votes: off on one page refuses votes there and takes the counts out of its thread at once', async () => {
    const vote = (id: string) =>
      fetch(`${api.url}/api/comments/${id}/vote`, {
        method: 'PUT',
        headers: { origin: api.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ value: 1, key: `browser-key-${'x'.repeat(20)}` }),
      });
    const [quietId] = (await json('/api/comments?site=news&page=quiet')).comments as { id: string; up?: number }[];
    expect(quietId).toHaveProperty('up');
    await patch(editor, pageIds.quiet!, { settings: { votes: 'off' } });
    const refused = await vote(quietId!.id);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('VOTES_OFF');
    // The cached thread changed version with the settings: no counts any more.
    const [after] = (await json('/api/comments?site=news&page=quiet')).comments as object[];
    expect(after).not.toHaveProperty('up');
    expect(await json('/api/sites/news/public?page=quiet')).toMatchObject({ votes: 'off' });
    const [sportComment] = (await json('/api/comments?site=news&page=sport')).comments as { id: string }[];
    expect((await vote(sportComment!.id)).status).toBe(200);
  });

  it('null follows the site again', async () => {
    const r = await patch(editor, pageIds.crime!, { settings: { moderation: null } });
    expect(r.json).toMatchObject({ settings: {}, effective: { moderation: 'rules' }, changed: ['moderation'] });
    expect(await checked('crime', 'Now it publishes.')).toEqual({ status: 'approved', codes: [] });
  });
});

describe('GET/PATCH /admin/api/pages/:id', () => {
  it('answers the page, its overrides and what applies', async () => {
    const res = await editor.get(`/admin/api/pages/${pageIds.court}`, { accept: 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: pageIds.court,
      site: 'news',
      page: 'court',
      closed: false,
      settings: { holdWords: ['verdict'] },
      effective: { moderation: 'rules', holdLinks: 2, holdWords: ['verdict'], guests: true, votes: 'up' },
      staffed: { staffed: true },
    });
  });

  it.each([
    ['a bad value', { settings: { moderation: 'later' } }, 'INVALID_SETTING', 'settings.moderation'],
    ['a number out of range', { settings: { holdLinks: -1 } }, 'INVALID_SETTING', 'settings.holdLinks'],
    ['a setting pages cannot override', { settings: { spamWords: ['x'] } }, 'UNKNOWN_SETTING', 'settings.spamWords'],
    ['settings that are not an object', { settings: 'pre' }, 'INVALID_SETTING', 'settings'],
    ['a key the body cannot have', { colour: 'red' }, 'UNKNOWN_SETTING', 'colour'],
    ['closed that is not true or false', { closed: 'yes' }, 'INVALID_SETTING', 'closed'],
  ])('refuses %s with 422 and the field, changing nothing', async (_name, body, code, field) => {
    const before = await pageRow('court');
    const r = await patch(editor, pageIds.court!, body);
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: { code, field } });
    expect(await pageRow('court')).toEqual(before);
  });

  it('one bad key refuses the whole change (nothing half-applied)', async () => {
    const r = await patch(editor, pageIds.court!, { closed: true, settings: { votes: 'off', holdLinks: 'many' } });
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({ error: { field: 'settings.holdLinks' } });
    expect(await pageRow('court')).toEqual({ settings: { holdWords: ['verdict'] }, closed: false });
  });

  it('refuses without the CSRF token (403) and when signed out (401)', async () => {
    const r = await patch(editor, pageIds.court!, { settings: { votes: 'off' } }, false);
    expect(r).toMatchObject({ status: 403, json: { error: { code: 'CSRF_INVALID' } } });
    const out = await fetch(`${api.url}/admin/api/pages/${pageIds.court}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ settings: { votes: 'off' } }),
    });
    expect(out.status).toBe(401);
    expect((await pageRow('court')).settings).toEqual({ holdWords: ['verdict'] });
  });

  it("404 for no such page, 403 for a page of another's site", async () => {
    expect(await patch(editor, 999_999, { settings: {} })).toMatchObject({
      status: 404,
      json: { error: { code: 'UNKNOWN_PAGE' } },
    });
    expect((await patch(editor, 'abc', { settings: {} })).status).toBe(404);
    const { rows } = await db.pool.query<{ id: number }>(`select id from pages where site_id = 'other'`);
    expect(await patch(editor, rows[0]!.id, { settings: { moderation: 'pre' } })).toMatchObject({
      status: 403,
      json: { error: { code: 'FORBIDDEN' } },
    });
  });

  it('closes and reopens with the settings, and audits each change with its before and after', async () => {
    const r = await patch(editor, pageIds.court!, { closed: true, settings: { votes: 'updown' } });
    expect(r.json).toMatchObject({ closed: true, changed: ['votes', 'closed'] });
    expect(await json('/api/comments?site=news&page=court')).toMatchObject({ closed: true, closedReason: 'by-hand' });
    const { rows } = await db.pool.query<{ actor: string; detail: unknown }>(
      `select actor, detail from moderation_events where action = 'page_settings' order by id desc limit 1`,
    );
    expect(rows[0]).toEqual({
      actor: 'editor@example.org',
      detail: { page: 'court', before: { votes: null }, after: { votes: 'updown' } },
    });
    await patch(editor, pageIds.court!, { closed: false });
    expect((await json('/api/comments?site=news&page=court')).closed).toBe(false);
  });
});

describe('the page settings form', () => {
  it('is reached from a queue card by site and page, saves, and refuses a bad value with 422', async () => {
    const go = await editor.get('/admin/pages/settings?site=news&page=sport');
    expect(go.status).toBe(303);
    expect(go.headers.get('location')).toBe(`/admin/pages/${pageIds.sport}`);
    const page = await editor.page(`/admin/pages/${pageIds.sport}`);
    expect(page).toContain('Save page settings');
    const saved = await editor.post(`/admin/pages/${pageIds.sport}`, { moderation: 'pre', holdLinks: '', votes: '' });
    expect(saved.status).toBe(303);
    expect((await pageRow('sport')).settings).toEqual({ moderation: 'pre' });
    const bad = await editor.post(`/admin/pages/${pageIds.sport}`, { moderation: 'pre', holdLinks: 'lots' });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Enter a whole number');
    await editor.post(`/admin/pages/${pageIds.sport}`, { moderation: '' });
    expect((await pageRow('sport')).settings).toEqual({});
  });

  it("the Pages list filters the pages with settings of their own and links each page's settings", async () => {
    const list = await editor.page('/admin/pages?site=news&view=overridden');
    expect(list).toContain('data-page="court"');
    expect(list).toContain('data-page="members"');
    expect(list).not.toContain('data-page="sport"');
    expect(list).toContain(`href="/admin/pages/${pageIds.court}"`);
  });
});

describe('reply-desk page update / show / close / open', () => {
  it('sets and clears overrides, prints them, and audits as the command line', async () => {
    const lines: string[] = [];
    const print = (l: string) => lines.push(l);
    await runPageSettingsCommand(
      db.pool,
      ['update', 'news', 'cli', '--settings', '{"moderation":"pre","holdLinks":1}'],
      print,
    );
    await runPageSettingsCommand(db.pool, ['update', 'news', 'cli', '--settings', '{"holdLinks":null}'], print);
    await runPageCloseCommand(db.pool, ['close', 'news', 'cli'], print);
    await runPageSettingsCommand(db.pool, ['show', 'news', 'cli'], print);
    expect(lines).toEqual([
      'changed moderation, holdLinks\nnews\tcli\topen\t{"moderation":"pre","holdLinks":1}',
      'changed holdLinks\nnews\tcli\topen\t{"moderation":"pre"}',
      'page news cli: now closed',
      'news\tcli\tclosed\t{"moderation":"pre"}',
    ]);
    const { rows } = await db.pool.query<{ actor: string }>(
      `select actor from moderation_events where action = 'page_settings' and detail->>'page' = 'cli'`,
    );
    expect(rows.map((r) => r.actor)).toEqual(['cli', 'cli']);
    await runPageCloseCommand(db.pool, ['open', 'news', 'cli'], print);
  });

  it.each([
    ['a bad value', ['update', 'news', 'cli', '--settings', '{"moderation":"later"}'], /settings\.moderation/],
    ['not JSON', ['update', 'news', 'cli', '--settings', '{moderation'], /JSON object/],
    ['no such page', ['update', 'news', 'nowhere', '--settings', '{}'], /no page/],
    ['no --settings', ['update', 'news', 'cli'], /usage/],
  ])('refuses %s', async (_name, args, message) => {
    const attempt = runPageSettingsCommand(db.pool, args, () => {});
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(runPageSettingsCommand(db.pool, args, () => {})).rejects.toThrow(message);
  });
});

describe('the site directory sees site changes made here', () => {
  it('a page setting needs no site refresh (read with the page, at check time)', async () => {
    await updateSite(db.pool, 'news', {
      settings: { holdFirstTime: false, floodSeconds: 0, holdLinks: 2, guestVotes: true },
    });
    expect((await patch(editor, pageIds.sport!, { settings: { moderation: 'pre' } })).status).toBe(200);
    expect(await checked('sport', 'Held at once.')).toEqual({ status: 'pending', codes: ['PRE_MODERATION'] });
  });
});

describe("export and import keep a page's own settings", () => {
  it('the JSON export carries them (only for pages that have any) and an import restores them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rd-page-settings-'));
    try {
      const file = join(dir, 'news.json');
      const code = await runExportCommand(
        db.pool,
        ['--site', 'news', '--format', 'json', '--out', file],
        new PassThrough(),
        () => {},
        new Date(),
      );
      expect(code).toBe(0);
      const doc = JSON.parse(await readFile(file, 'utf8')) as { pages: { identifier: string; settings?: unknown }[] };
      expect(doc.pages.find((p) => p.identifier === 'court')?.settings).toEqual({
        holdWords: ['verdict'],
        votes: 'updown',
      });
      expect(doc.pages.find((p) => p.identifier === 'links')).not.toHaveProperty('settings', {});
      await addSite(db.pool, 'copy', [api.origin]);
      expect((await importFile(db.pool, ['json', file, '--site', 'copy'])).code).toBe(0);
      const { rows } = await db.pool.query<{ identifier: string; settings: unknown }>(
        `select identifier, settings from pages where site_id = 'copy' and identifier in ('court', 'crime') order by identifier`,
      );
      expect(rows).toEqual([
        { identifier: 'court', settings: { holdWords: ['verdict'], votes: 'updown' } },
        { identifier: 'crime', settings: {} },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
