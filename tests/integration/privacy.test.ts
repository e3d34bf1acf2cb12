import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrivacyCommand } from '../../src/cli/privacy-commands.js';
import { importedCommentId } from '../../src/import/source-mapping.js';
import { hashEmail } from '../../src/store/privacy.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { fixtureDir, importFile } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const now = new Date('2026-01-01T00:00:00Z');
const ann = importedCommentId('blog', 'wordpress', '10/101');
const bobReply = importedCommentId('blog', 'wordpress', '10/102');

async function cli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  expect(await runPrivacyCommand(db.pool, args, (l) => lines.push(l), now)).toBe(0);
  return lines;
}

async function mentions(email: string): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(
    `select (select count(*)::int from comments where lower(author_email) = $1)
          + (select count(*)::int from moderation_events where strpos(lower(detail::text), $1) > 0)
          + (select count(*)::int from trusted_authors where email = $1)
          + (select count(*)::int from bans where value = $1) as n`,
    [email],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'blog', ['https://blog.example']);
  await addSite(db.pool, 'other', ['https://other.example']);
  expect(
    (await importFile(db.pool, ['wordpress', join(fixtureDir, 'wordpress-nasty.xml'), '--site', 'blog'])).code,
  ).toBe(0);
  // What moderators leave about Ann: trust on one site, a ban on another, an edit of her comment.
  await db.pool.query(`insert into trusted_authors (site_id, email) values ('blog', 'ann@example.org')`);
  await db.pool.query(
    `insert into bans (site_id, kind, value, reason) values ('other', 'email', 'ann@example.org', 'rude')`,
  );
  await db.pool.query(
    `insert into moderation_events (actor, action, site_id, detail) values ('cli', 'ban', 'other', '{"ban":"email:ann@example.org"}')`,
  );
  await db.pool.query(
    `insert into comment_edits (comment_id, body_before, body_after) values ($1, 'old text', 'First &')`,
    [ann],
  );
  await db.pool.query(
    `insert into moderation_events (actor, action, site_id, comment_id, detail) values ('cli', 'edit', 'blog', $1, '{"before":"old text","after":"First &"}')`,
    [ann],
  );
  await db.pool.query(`update comments set user_agent = 'Mozilla/5.0 Ann' where id = $1`, [ann]);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('privacy from the CLI', () => {
  it('exports everything stored about an email, whatever its case', async () => {
    const data = JSON.parse((await cli(['export', 'ANN@Example.org'])).join('\n'));
    expect(data.email).toBe('ann@example.org');
    expect(data.comments).toHaveLength(1);
    expect(data.comments[0]).toMatchObject({
      id: ann,
      site: 'blog',
      page: '10',
      status: 'approved',
      authorName: "Ann O'Neil",
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 Ann',
      edits: [{ bodyBefore: 'old text', bodyAfter: 'First &' }],
    });
    expect(data.trustedOn).toEqual([expect.objectContaining({ site: 'blog' })]);
    expect(data.bans).toEqual([expect.objectContaining({ site: 'other', kind: 'email', reason: 'rude' })]);
    expect(data.notes.join(' ')).toMatch(/Flags .* hash/);
    const event = await db.pool.query(`select detail from moderation_events where action = 'privacy_export'`);
    expect(event.rows[0].detail).toEqual({ emailSha256: hashEmail('ann@example.org'), comments: 1 });
  });

  it('erase without --yes only says what it would do', async () => {
    const lines = await cli(['erase', 'ann@example.org']);
    expect(lines[0]).toBe('would erase on every site: 1 comment(s), 1 trusted-author entry, 1 email ban(s)');
    expect((await db.pool.query('select status from comments where id = $1', [ann])).rows[0].status).toBe('approved');
  });

  it('erase --yes leaves nothing that names them, and replies keep their place', async () => {
    const lines = await cli(['erase', 'ann@example.org', '--yes']);
    expect(lines[0]).toMatch(
      /^erased on every site: 1 comment\(s\) .*1 trusted-author entry, 1 email ban\(s\); 2 audit event\(s\) redacted$/,
    );
    expect(await mentions('ann@example.org')).toBe(0);
    const { rows } = await db.pool.query('select * from comments where id = $1', [ann]);
    expect(rows[0]).toMatchObject({
      status: 'deleted',
      author_name: '',
      author_email: '',
      author_url: '',
      body: '',
      body_html: '',
      ip: null,
      user_agent: '',
    });
    expect((await db.pool.query('select parent_id from comments where id = $1', [bobReply])).rows[0].parent_id).toBe(
      ann,
    );
    expect(
      (await db.pool.query('select count(*)::int as n from comment_edits where comment_id = $1', [ann])).rows[0].n,
    ).toBe(0);
    expect(
      (await db.pool.query(`select approved_count from pages where site_id = 'blog' and identifier = '10'`)).rows[0]
        .approved_count,
    ).toBe(6);
    const event = await db.pool.query(`select actor, detail from moderation_events where action = 'privacy_erase'`);
    expect(event.rows).toEqual([
      {
        actor: 'cli',
        detail: { emailSha256: hashEmail('ann@example.org'), comments: 1, trusted: 1, bans: 1, auditEventsRedacted: 2 },
      },
    ]);
    // The audit log is still append-only for everything else.
    await expect(db.pool.query(`update moderation_events set detail = '{}'`)).rejects.toThrow(/append-only/);
    await expect(db.pool.query(`delete from moderation_events`)).rejects.toThrow(/append-only/);
  });
});

describe('privacy in the dashboard', () => {
  let admin: DashboardClient;

  beforeAll(async () => {
    await addModerator(db.pool, 'admin@desk.example', 'admin');
    await addModerator(db.pool, 'mod@desk.example', 'moderator', ['blog']);
    admin = new DashboardClient(api.url);
    await admin.signIn('admin@desk.example');
  });

  it('is for admins only', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@desk.example');
    expect((await mod.get('/admin/privacy')).status).toBe(403);
    expect((await mod.post('/admin/privacy/export', { email: 'bob@example.org', site: '' })).status).toBe(403);
    const anonymous = await fetch(`${api.url}/admin/privacy`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
  });

  it('downloads the JSON, with CSRF', async () => {
    const page = await admin.page('/admin/privacy');
    expect(page).toContain('Privacy requests');
    expect(
      (await admin.post('/admin/privacy/export', { email: 'bob@example.org', site: 'blog' }, { csrf: false })).status,
    ).toBe(403);
    const res = await admin.post('/admin/privacy/export', { email: 'bob@example.org', site: 'blog' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const data = (await res.json()) as { comments: { authorName: string }[] };
    expect(data.comments.map((c: { authorName: string }) => c.authorName)).toEqual(['Bob']);
    const event = await db.pool.query(
      `select actor from moderation_events where action = 'privacy_export' order by id desc limit 1`,
    );
    expect(event.rows[0].actor).toBe('admin@desk.example');
  });

  it('erases in two steps', async () => {
    await admin.page('/admin/privacy');
    const preview = await admin.post('/admin/privacy/erase', { email: 'bob@example.org', site: '' });
    expect(preview.status).toBe(200);
    const text = await preview.text();
    expect(text).toContain('Erase bob@example.org?');
    expect(text).toContain('1 comment(s)');
    expect(await mentions('bob@example.org')).toBe(1);
    const done = await admin.post('/admin/privacy/erase', { email: 'bob@example.org', site: '', confirm: '1' });
    expect(done.status).toBe(303);
    expect(decodeURIComponent(done.headers.get('location') ?? '')).toMatch(/Erased: 1 comment/);
    expect(await mentions('bob@example.org')).toBe(0);
  });

  it('refuses a missing email with the form again', async () => {
    await admin.page('/admin/privacy');
    const res = await admin.post('/admin/privacy/erase', { email: 'nobody', site: '' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Please enter the commenter’s email address.');
  });
});
