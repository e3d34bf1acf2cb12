import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRulesBacktest } from '../../src/cli/rules-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { applyRecheck } from '../../src/akismet/akismet-store.js';
import { editCommentBody } from '../../src/store/comment-edits.js';
import { eraseCommenterData } from '../../src/store/privacy.js';
import { loadSite } from '../../src/store/sites.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import { seedThread } from '../support/seed-thread.js';
import type { TestDatabase } from '../support/test-db.js';

/*
 * Issue 17, item 3: a history seeded through the real API and worker, then backtested. The worker
 * stores what the rules read with each verdict, so re-running them under other settings answers
 * exactly: the comments a new hold word would have held, on the pages it would have held them.
 */

let pipeline: TestPipeline;
let db: TestDatabase;
let api: TestApi;
let admin: DashboardClient;
let n = 0;
const ids: Record<string, string[]> = { idiot: [], clean: [], links: [], court: [] };

async function checked(page: string, body: string): Promise<{ id: string; status: string }> {
  n += 1;
  const res = await postJson(
    api,
    { site: 'news', page, author: `Reader ${n}`, email: `reader${n}@example.org`, body },
    { origin: api.origin },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return { id, status: (await waitForStored(db.pool, id)).status };
}

async function backtest(...args: string[]): Promise<Record<string, unknown>> {
  const out: string[] = [];
  await runRulesBacktest(db.pool, ['--site', 'news', '--json', ...args], (line) => out.push(line));
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]!) as Record<string, unknown>;
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 2,
    rateLimitIp: 0,
    rateLimitEmail: 0,
  });
  await api.sites.refresh();
  for (let i = 0; i < 4; i += 1) ids.idiot!.push((await checked('politics', `Only an idiot would say ${i}.`)).id);
  for (let i = 0; i < 3; i += 1) ids.clean!.push((await checked('politics', `A fair point, number ${i}.`)).id);
  for (let i = 0; i < 2; i += 1)
    ids.links!.push((await checked('politics', `See https://a.example/${i} and https://b.example/${i}`)).id);
  // The court page holds "verdict" on its own (issue 16): the site's hold word adds to it there.
  await seedThread(db.pool, 'news', 'court', [], new Date());
  await db.pool.query(`update pages set settings = '{"holdWords":["verdict"]}' where identifier = 'court'`);
  ids.court!.push((await checked('court', 'The verdict: what an idiot.')).id);
  ids.court!.push((await checked('court', 'An idiot of a judge.')).id);
  // Comments stored before verdicts kept their facts (the seeder writes rows as an import would).
  await seedThread(db.pool, 'news', 'politics', [{ at: 0 }, { at: 1 }], new Date(Date.now() - 3_600_000));
  await addModerator(db.pool, 'admin@example.org', 'admin');
  admin = new DashboardClient(api.url);
  await admin.signIn('admin@example.org');
}, 120_000);

afterAll(async () => {
  await pipeline?.close();
});

describe('the worker stores what the rules read', () => {
  it('every checked comment has its facts, without the settings and without the fields the row holds', async () => {
    const { rows } = await db.pool.query<{ status: string; facts: Record<string, unknown> | null }>(
      `select status, check_facts as facts from comments where id = any($1::uuid[])`,
      [Object.values(ids).flat()],
    );
    expect(rows).toHaveLength(11);
    for (const r of rows) {
      expect(r.facts).not.toBeNull();
      expect(r.facts).not.toHaveProperty('settings');
      expect(r.facts!.fields).toEqual({ parentId: null });
      expect(r.facts).toMatchObject({ duplicate: false, trusted: false, authorHasApproved: false });
    }
    expect(rows.filter((r) => r.status === 'approved')).toHaveLength(8);
  });
});

describe('reply-desk rules backtest', () => {
  it('a hold word added: exactly the published comments that carry it, approved->pending, each page with its own overrides', async () => {
    const result = await backtest('--settings', '{"holdWords":["idiot"]}', '--days', '30');
    // 4 on politics, 1 on court ("An idiot of a judge."); the court comment with "verdict" was held already.
    expect(result).toMatchObject({
      comments: 11,
      changed: 5,
      transitions: { 'approved->pending': 5 },
      notBacktestable: 2,
      drift: 0,
    });
    expect(new Set(result.sample as string[])).toEqual(new Set([...ids.idiot!, ids.court![1]!]));
    expect(Object.keys(result).sort()).toEqual(
      ['changed', 'comments', 'drift', 'notBacktestable', 'sample', 'transitions'].sort(),
    );
  });

  it('the links rule off publishes what it held; pre-moderation holds every published one', async () => {
    expect(await backtest('--settings', '{"holdLinks":0}')).toMatchObject({
      changed: 2,
      transitions: { 'pending->approved': 2 },
    });
    expect(await backtest('--settings', '{"moderation":"pre"}')).toMatchObject({
      changed: 8,
      transitions: { 'approved->pending': 8 },
    });
  });

  it('--page tries a page’s own overrides on that page only', async () => {
    expect(await backtest('--page', 'court', '--settings', '{"holdWords":null}')).toEqual({
      comments: 2,
      changed: 1,
      transitions: { 'pending->approved': 1 },
      sample: [ids.court![0]],
      notBacktestable: 0,
      drift: 0,
    });
  });

  it('--days counts only the window; a comment received before it is left out', async () => {
    await db.pool.query(`update comments set received_at = now() - interval '40 days' where id = $1`, [ids.idiot![0]]);
    expect(await backtest('--settings', '{"holdWords":["idiot"]}', '--days', '30')).toMatchObject({
      comments: 10,
      changed: 4,
    });
    expect(await backtest('--settings', '{"holdWords":["idiot"]}', '--days', '60')).toMatchObject({
      comments: 11,
      changed: 5,
    });
  });

  it('a comment a moderator edited since is not backtestable: its verdict was about the old text', async () => {
    const id = ids.clean![0]!;
    expect(
      await editCommentBody(db.pool, {
        id,
        body: 'An idiot wrote this.',
        actor: { id: null, label: 'test', siteIds: ['news'] },
      }),
    ).toBe(true);
    expect(await backtest('--settings', '{"holdWords":["idiot"]}', '--days', '60')).toMatchObject({
      comments: 10,
      notBacktestable: 3,
      changed: 5,
    });
  });

  it('an erased commenter’s comment keeps no facts: it is counted as not backtestable', async () => {
    const { rows } = await db.pool.query<{ email: string }>(
      'select author_email as email from comments where id = $1',
      [ids.clean![1]],
    );
    await eraseCommenterData(db.pool, rows[0]!.email, 'news', { id: null, label: 'test' });
    const { rows: after } = await db.pool.query<{ facts: unknown }>(
      'select check_facts as facts from comments where id = $1',
      [ids.clean![1]],
    );
    expect(after[0]!.facts).toBeNull();
    expect(await backtest('--settings', '{"holdWords":["idiot"]}', '--days', '60')).toMatchObject({
      comments: 9,
      notBacktestable: 4,
      changed: 5,
    });
  });

  it('an Akismet recheck’s answer lands in the facts too, so the backtest re-runs the verdict it applied', async () => {
    const id = ids.links![1]!;
    const { rows } = await db.pool.query<{ verdict: { score: number; reasons: unknown[] } }>(
      'select verdict from comments where id = $1',
      [id],
    );
    const verdict = { status: 'pending' as const, score: rows[0]!.verdict.score, reasons: [] };
    expect(
      (await applyRecheck(db.pool, { commentId: id, verdict, result: 'ham', detail: 'checked later' })).applied,
    ).toBe(true);
    const facts = await db.pool.query<{ akismet: unknown }>(
      `select check_facts->'akismet' as akismet from comments where id = $1`,
      [id],
    );
    expect(facts.rows[0]!.akismet).toEqual({ result: 'ham', detail: 'checked later' });
  });

  it.each<[string, string[], RegExp]>([
    ['JSON that is not JSON', ['--settings', '{holdWords:'], /--settings must be a JSON object/],
    ['a value the schema refuses', ['--settings', '{"holdLinks":-1}'], /invalid settings: holdLinks/],
    ['a misspelt setting', ['--settings', '{"holdWord":["x"]}'], /There is no site setting "holdWord"/],
    ['a window of 0 days', ['--settings', '{}', '--days', '0'], /--days must be/],
    ['a page override pages cannot set', ['--page', 'court', '--settings', '{"spamWords":["x"]}'], /cannot override/],
    ['no settings', [], /usage: reply-desk rules backtest/],
  ])('refuses %s with a clear error', async (_name, args, message) => {
    await expect(runRulesBacktest(db.pool, ['--site', 'news', ...args], () => {})).rejects.toThrow(UsageError);
    await expect(runRulesBacktest(db.pool, ['--site', 'news', ...args], () => {})).rejects.toThrow(message);
  });
});

describe('the desk’s backtest routes', () => {
  async function apiBacktest(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${api.url}/admin/api/sites/news/backtest`, {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-csrf-token': admin.csrf,
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('POST /admin/api/sites/:id/backtest answers as the CLI does; bad settings are a 422 naming the field', async () => {
    const ok = await apiBacktest({ settings: { holdLinks: 0 }, days: 60 });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ days: 60, changed: 2, transitions: { 'pending->approved': 2 } });
    const bad = await apiBacktest({ settings: { holdLinks: 'two' } });
    expect(bad.status).toBe(422);
    expect(bad.json).toMatchObject({ error: { code: 'INVALID_SETTING', field: 'settings.holdLinks' } });
    expect((await apiBacktest({ settings: {}, days: 'forever' })).status).toBe(422);
  });

  it('the settings form’s "Preview changes" shows what the form would do and saves nothing', async () => {
    const form = await admin.page('/admin/sites/news');
    expect(form).toContain('formaction="/admin/sites/news/backtest"');
    const before = await loadSite(db.pool, 'news');
    const res = await admin.post('/admin/sites/news/backtest', {
      name: 'Site news',
      origins: api.origin,
      moderation: 'rules',
      holdWords: 'idiot',
      holdLinks: '2',
      floodSeconds: '0',
      rateLimitIp: '0',
      rateLimitEmail: '0',
      backtestDays: '60',
      requireName: '1',
      requireEmail: '1',
    });
    const page = await res.text();
    expect(res.status, page).toBe(200);
    expect(page).toContain('<b>5</b> would have had another verdict');
    expect(page).toMatch(/data-from="approved" data-to="pending"><td>published<\/td><td>held<\/td><td>5<\/td>/);
    expect(page.match(/class="rd-backtest-card"/g)).toHaveLength(5);
    // The form comes back as entered, ready to save.
    expect(page).toMatch(/<textarea id="f-holdWords" name="holdWords" rows="5">idiot<\/textarea>/);
    expect(await loadSite(db.pool, 'news')).toEqual(before);
    const refused = await admin.post('/admin/sites/news/backtest', { name: 'Site news', holdLinks: 'lots' });
    expect(refused.status).toBe(422);
  });

  it('a page’s "Preview changes" covers that page only', async () => {
    const { rows } = await db.pool.query<{ id: number }>(`select id from pages where identifier = 'court'`);
    const res = await admin.post(`/admin/pages/${rows[0]!.id}/backtest`, { holdWords: '', backtestDays: '30' });
    const page = await res.text();
    expect(res.status, page).toBe(200);
    expect(page).toContain('Of the <b>2</b> comments of the last 30 days, <b>1</b> would have had another verdict.');
    expect(page).toContain(`data-id="${ids.court![0]}"`);
  });
});
