import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuthorModerationCommand } from '../../src/cli/authors/author-moderation-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
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
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * The commenter profile's actions from a terminal (issue 16 left them desk-only): suspend, lift, notes,
 * show, against a real API and worker. The CLI is another process as far as the API knows (it shares
 * only Postgres), so a suspension must reach intake through the API's 2 s suspension list, not a forget().
 */
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const email = 'ann@example.org';
let n = 0;

async function cli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runAuthorModerationCommand(db.pool, args, (l) => lines.push(l));
  return lines;
}

function post(): Promise<Response> {
  n += 1;
  return postJson(
    api,
    { site: 'news', page: 'story', author: 'Ann', email, body: `Comment number ${n}.` },
    { origin: api.origin },
  );
}

/** The code of the answer to Ann's next post, polled until `want` (the API's suspension list lives 2 s). */
async function postUntil(want: number): Promise<{ status: number; code?: string; message?: string }> {
  const deadline = Date.now() + 6000;
  for (;;) {
    const res = await post();
    const body = (await res.json()) as { id?: string; error?: { code: string; message: string } };
    if (res.status === want || Date.now() > deadline)
      return { status: res.status, code: body.error?.code, message: body.error?.message };
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin], { floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'blog', [api.origin], { floodSeconds: 0, holdLinks: 0 });
  await api.sites.refresh();
  const res = await post();
  expect(res.status).toBe(202);
  await waitForStored(db.pool, ((await res.json()) as { id: string }).id);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('reply-desk author suspend / unsuspend', () => {
  it('refuses the author at intake until lifted, audited as the command line', async () => {
    const [line] = await cli(['suspend', 'news', email, '--for', '12h', '--reason', 'Cooling off']);
    expect(line).toMatch(/^guest:ann@example\.org suspended on news until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const refused = await postUntil(403);
    expect(refused).toMatchObject({ status: 403, code: 'SUSPENDED' });
    expect(refused.message).toContain(line!.split(' until ')[1]!.split(':')[0]);

    expect(await cli(['show', 'news', `guest:${email}`])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^suspended\tuntil /),
        expect.stringMatching(/\tcli\tCooling off$/),
      ]),
    );
    expect(await cli(['unsuspend', 'news', email])).toEqual([`guest:${email}: suspension lifted on news`]);
    expect((await postUntil(202)).status).toBe(202);
    expect(await cli(['unsuspend', 'news', email])).toEqual([`guest:${email} was not suspended on news`]);

    const { rows } = await db.pool.query<{ action: string; actor: string }>(
      `select action, actor from moderation_events where action in ('suspend', 'unsuspend') order by id`,
    );
    expect(rows).toEqual([
      { action: 'suspend', actor: 'cli' },
      { action: 'unsuspend', actor: 'cli' },
    ]);
  });

  it.each([
    [['suspend', 'news', email, '--for', '2y'], /--for "2y"/],
    [['suspend', 'news', email, '--for', '400d'], /at most a year/],
    [['suspend', 'news', email], /usage: reply-desk author suspend/],
    [['suspend', 'nope', email, '--for', '1d'], /no site "nope"/],
    [['suspend', 'blog', email, '--for', '1d'], /has no comments on blog/],
    [['suspend', 'news', 'not an author', '--for', '1d'], /is not an author/],
    [['note', 'news', email], /usage: reply-desk author note/],
    [['note', 'news', email, '--remove', 'x'], /is not a note id/],
    [['bogus', 'news', email], /usage: reply-desk author suspend\|unsuspend/],
  ])('%j is refused with a readable line and changes nothing', async (args, message) => {
    const before = await db.pool.query('select count(*)::int as n from author_suspensions');
    await expect(cli(args)).rejects.toThrow(UsageError);
    await expect(cli(args)).rejects.toThrow(message);
    expect((await db.pool.query('select count(*)::int as n from author_suspensions')).rows).toEqual(before.rows);
  });
});

describe('reply-desk author note / show', () => {
  it('adds a private note, shows it, removes it', async () => {
    const [added] = await cli(['note', 'news', email, 'Posts', 'links', 'to', 'a', 'shop.']);
    const id = /^note (\d+) added to guest:ann@example\.org on news$/.exec(added!)?.[1];
    expect(id).toBeDefined();
    const shown = await cli(['show', 'news', email]);
    expect(shown[0]).toBe(`author\tguest:${email}`);
    expect(shown).toContain('names\tAnn');
    expect(shown.find((l) => l.startsWith(`note ${id}\t`))).toMatch(/\tcli\tPosts links to a shop\.$/);
    expect(await cli(['note', 'news', email, '--remove', id!])).toEqual([`note ${id} removed`]);
    expect(await cli(['note', 'news', email, '--remove', id!])).toEqual([`guest:${email} has no note ${id} on news`]);
    expect((await cli(['show', 'news', email])).some((l) => l.startsWith('note '))).toBe(false);
  });
});
