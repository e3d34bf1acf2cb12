import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader, type Reader, type VerifiedIdentity } from '../../src/readers/reader-store.js';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

/** Every author carries an avatar now (issue 15): our own identicon, unless the site turns on Gravatar. */
const AVATAR = /\/avatars\/[0-9a-f]{32}\.svg$/;

/*
 * Issue 14, items 7 and 8, the desk's side: cards say who wrote a comment (a verified reader or a
 * guest), a moderator bans or trusts a reader from their card, turns their Staff badge off and on, and
 * replies from a card as staff. Over HTTP with a real session and CSRF tokens, Postgres and a worker.
 */
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let mod: DashboardClient;
let n = 0;

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  // No flood window, no link holds: who wrote it is what these tests are about.
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'blog', [api.origin], { holdFirstTime: true, floodSeconds: 0, holdLinks: 0 });
  await api.sites.refresh();
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'blogger@example.org', 'moderator', ['blog']);
  mod = new DashboardClient(api.url);
  await mod.signIn('mod@example.org');
});

afterAll(async () => {
  await pipeline?.close();
});

/** A reader signed in as a sign-in method would leave them: the reader row and a session token. */
async function signIn(v: Partial<VerifiedIdentity> & { identity: string }): Promise<{ reader: Reader; token: string }> {
  const reader = await upsertReader(db.pool, { siteId: 'news', via: 'sso', name: 'Reader', email: '', ...v });
  const { token } = await createReaderSession(db.pool, reader.id);
  return { reader, token };
}

/** Posts a comment (a guest's unless a token is given) from its own address and waits for the worker. */
async function post(
  over: Record<string, unknown> = {},
  token?: string,
): Promise<{ id: string; status: string; codes: string[] }> {
  n += 1;
  const res = await postJson(
    api,
    { site: 'news', page: 'story', author: 'Guest', email: `guest${n}@example.org`, body: `Comment ${n}.`, ...over },
    { origin: api.origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  );
  const answer = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(answer)).toBe(202);
  const stored = await waitForStored(db.pool, answer.id);
  return { id: answer.id, status: stored.status, codes: stored.verdict.reasons.map((r) => r.code) };
}

/** One card's HTML as the queue renders it (found by its id in the search box). */
async function card(id: string, tab = 'pending', client = mod): Promise<string> {
  const page = await client.page(`/admin?tab=${tab}&q=${id}`);
  const start = page.indexOf(`<article class="rd-card" id="card-${id}"`);
  expect(start, `card ${id} on the ${tab} tab`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</article>', start));
}

async function events(action: string): Promise<{ actor: string; site_id: string; detail: unknown }[]> {
  const { rows } = await db.pool.query(
    'select actor, site_id, detail from moderation_events where action = $1 order by id',
    [action],
  );
  return rows;
}

describe('cards say who wrote a comment', () => {
  it('a verified reader says how; a guest is a guest, whatever email they type', async () => {
    const { reader, token } = await signIn({ identity: 'sso:u-ada', name: 'Ada Reader', email: 'ada@example.org' });
    const mine = await post({ body: 'Signed in and waiting.' }, token);
    const typed = await post({ author: 'Ada Reader', email: 'ada@example.org', body: 'Typed her address.' });
    const verified = await card(mine.id);
    expect(verified).toContain('Verified via SSO');
    expect(verified).toContain(`data-author="reader:${reader.id}"`);
    expect(verified).not.toContain('>Guest<');
    const guest = await card(typed.id);
    expect(guest).toContain('>Guest</span>');
    expect(guest).not.toContain('Verified via');
    expect(guest).toContain('data-author="guest:ada@example.org"');

    // Email sign-in and an OpenID provider by name.
    await db.pool.query(
      `insert into reader_oidc_providers (site_id, id, name, issuer, client_id) values ('news', 'newsroom', 'Newsroom ID', 'https://id.example.org', 'c')`,
    );
    const byMail = await signIn({ via: 'email', identity: 'email:mail@example.org', email: 'mail@example.org' });
    const byOidc = await signIn({ via: 'oidc', identity: 'oidc:newsroom:42', name: 'Oidc Reader' });
    expect(await card((await post({}, byMail.token)).id)).toContain('Verified via email');
    expect(await card((await post({}, byOidc.token)).id)).toContain('Verified via Newsroom ID');
  });

  it("history counts the reader's own comments and the guest email's guest comments, never both", async () => {
    const { token } = await signIn({ identity: 'sso:u-hist', name: 'Hal', email: 'hal@example.org' });
    const first = await post({}, token);
    await post({}, token);
    // Two guests typing Hal's address: the reader's history must not count them, nor they his.
    const guest = await post({ author: 'Hal', email: 'hal@example.org' });
    await post({ author: 'Hal', email: 'hal@example.org' });
    await post({ author: 'Hal', email: 'hal@example.org' });
    expect(await card(first.id)).toContain('0 approved · 2 pending · 0 rejected · 0 spam');
    expect(await card(guest.id)).toContain('0 approved · 3 pending · 0 rejected · 0 spam');
  });

  it('an edited comment says so and keeps its earlier versions, escaped', async () => {
    const c = await post({ body: 'First <b>draft</b> & more.' });
    const res = await mod.post(`/admin/comments/${c.id}/edit`, { body: 'Second text.' }, { json: true });
    expect(res.status).toBe(200);
    await mod.post(`/admin/comments/${c.id}/edit`, { body: 'Third text.' }, { json: true });
    const html = await card(c.id);
    expect(html).toContain('<span class="rd-edited">edited</span>');
    expect(html).toContain('Earlier versions (2)');
    const first = html.indexOf('First &lt;b&gt;draft&lt;/b&gt; &amp; more.');
    expect(first).toBeGreaterThan(-1);
    expect(html.indexOf('Second text.', html.indexOf('rd-earlier'))).toBeGreaterThan(first);
    expect(html).not.toContain('<b>draft</b>');
    // An unedited card has neither.
    const plain = await card((await post()).id);
    expect(plain).not.toContain('rd-edited');
    expect(plain).not.toContain('Earlier versions');
  });
});

describe('banning and trusting a reader from the card', () => {
  it("a banned reader's next comment is spam whatever email they give; the ban is listed by name and lifted", async () => {
    const { reader, token } = await signIn({
      identity: 'sso:u-troll',
      name: 'Troll Reader',
      email: 'troll@example.org',
    });
    const held = await post({}, token);
    const html = await card(held.id);
    expect(html).toContain('Ban reader Troll Reader');
    expect(html).toContain('name="kind" value="reader"');

    const ban = await mod.post(
      '/admin/bans',
      { site: 'news', kind: 'reader', reader: String(reader.id), rejectPending: '1' },
      { json: true },
    );
    expect(ban.status).toBe(200);
    const answer = (await ban.json()) as { banned: string; rejected: number; batchId: string };
    expect(answer).toMatchObject({ banned: `reader:${reader.id}`, rejected: 1 });
    expect((await db.pool.query('select status from comments where id = $1', [held.id])).rows[0].status).toBe(
      'rejected',
    );
    expect((await events('ban')).at(-1)).toMatchObject({
      actor: 'mod@example.org',
      detail: { kind: 'reader', value: String(reader.id), name: 'Troll Reader' },
    });

    // The host gives them another address: still banned, as a reader.
    const again = await upsertReader(db.pool, {
      siteId: 'news',
      via: 'sso',
      identity: 'sso:u-troll',
      name: 'Troll Reader',
      email: 'fresh@example.org',
    });
    expect(again.id).toBe(reader.id);
    const next = await post({ body: 'Back again.' }, token);
    expect(next.status).toBe('spam');
    expect(next.codes).toContain('BANNED');

    const bans = await mod.page('/admin/bans');
    expect(bans).toContain('<b class="rd-ban-reader">Troll Reader</b>');

    // Undo brings the rejected comment back; lifting the ban lets the reader's comments be checked again.
    const undo = await mod.post('/admin/undo', { batch: answer.batchId }, { json: true });
    expect(await undo.json()).toMatchObject({ restored: [{ id: held.id, status: 'pending' }] });
    const lift = await mod.post(
      '/admin/bans/delete',
      { site: 'news', kind: 'reader', value: String(reader.id) },
      { json: true },
    );
    expect(lift.status).toBe(200);
    const after = await post({ body: 'Behaving now.' }, token);
    expect(after.codes).not.toContain('BANNED');
  });

  it('refuses a reader ban of a reader of another site, or of nobody', async () => {
    const other = await upsertReader(db.pool, {
      siteId: 'blog',
      via: 'sso',
      identity: 'sso:b-1',
      name: 'Blog Reader',
      email: '',
    });
    for (const value of [String(other.id), '999999', 'abc']) {
      const res = await mod.post('/admin/bans', { site: 'news', kind: 'reader', reader: value }, { json: true });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_VALUE');
    }
    expect(
      (await db.pool.query(`select 1 from bans where kind = 'reader' and value = $1`, [String(other.id)])).rowCount,
    ).toBe(0);
  });

  it('a trusted reader skips a hold word; untrusted, they are held again; both audited', async () => {
    await db.pool.query(`update sites set settings = settings || '{"holdWords": ["sponsored"]}' where id = 'news'`);
    try {
      const { reader, token } = await signIn({ identity: 'sso:u-col', name: 'Col Umnist' });
      const held = await post({ body: 'A sponsored word.' }, token);
      expect(held.status).toBe('pending');
      expect(await card(held.id)).toContain(`action="/admin/readers/${reader.id}/trust"`);

      const trust = await mod.post(`/admin/readers/${reader.id}/trust`, {}, { json: true });
      expect(await trust.json()).toEqual({ reader: String(reader.id), trusted: true, changed: true });
      expect((await db.pool.query('select trusted from readers where id = $1', [reader.id])).rows[0].trusted).toBe(
        true,
      );
      const published = await post({ body: 'Another sponsored word.' }, token);
      expect(published.status).toBe('approved');
      expect(published.codes).toEqual([]);
      const html = await card(held.id);
      expect(html).toContain('<span class="rd-badge">trusted</span>');
      expect(html).toContain(`action="/admin/readers/${reader.id}/untrust"`);
      expect(await mod.page('/admin/bans')).toContain('Col Umnist <small>reader');

      // Trusting twice changes nothing and records nothing.
      expect(await (await mod.post(`/admin/readers/${reader.id}/trust`, {}, { json: true })).json()).toMatchObject({
        changed: false,
      });
      const untrust = await mod.post(`/admin/readers/${reader.id}/untrust`, {}, { json: true });
      expect(await untrust.json()).toMatchObject({ trusted: false, changed: true });
      expect((await post({ body: 'A sponsored word again.' }, token)).status).toBe('pending');
      expect(await events('reader_trust')).toEqual([
        { actor: 'mod@example.org', site_id: 'news', detail: { reader: String(reader.id), name: 'Col Umnist' } },
      ]);
      expect(await events('reader_untrust')).toHaveLength(1);
    } finally {
      await db.pool.query(`update sites set settings = settings - 'holdWords' where id = 'news'`);
    }
  });

  it("a moderator cannot trust another site's reader, and trust needs the CSRF token", async () => {
    const other = await upsertReader(db.pool, {
      siteId: 'blog',
      via: 'sso',
      identity: 'sso:b-2',
      name: 'Blog Two',
      email: '',
    });
    expect((await mod.post(`/admin/readers/${other.id}/trust`, {}, { json: true })).status).toBe(403);
    expect((await mod.post('/admin/readers/999999/trust', {}, { json: true })).status).toBe(404);
    const { reader } = await signIn({ identity: 'sso:u-csrf', name: 'No Token' });
    const forged = await mod.post(`/admin/readers/${reader.id}/trust`, {}, { json: true, csrf: false });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('CSRF_INVALID');
    expect((await db.pool.query('select trusted from readers where id = $1', [reader.id])).rows[0].trusted).toBe(false);
  });
});

async function thread(page = 'story'): Promise<{ id: string; author: Record<string, unknown> }[]> {
  const res = await fetch(`${api.url}/api/comments?site=news&page=${page}&limit=200`, {
    headers: { origin: api.origin },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: { id: string; author: Record<string, unknown> }[] }).comments;
}

async function threadVersion(page = 'story'): Promise<number> {
  const { rows } = await db.pool.query(`select thread_version from pages where site_id = 'news' and identifier = $1`, [
    page,
  ]);
  return Number(rows[0].thread_version);
}

describe("the moderator's Staff badge", () => {
  it('turning it off and on changes author_staff on their comments, and the (cached) thread with it', async () => {
    // The moderator signed in as a reader with their own address: trusted, and staff.
    const { token } = await signIn({ identity: 'sso:u-mod', name: 'The Moderator', email: 'mod@example.org' });
    const c = await post({ page: 'staff-story', body: 'A word from the desk.' }, token);
    expect(c.status).toBe('approved');
    expect((await thread('staff-story')).find((x) => x.id === c.id)?.author).toEqual({
      name: 'The Moderator',
      verified: true,
      staff: true,
      avatar: expect.stringMatching(AVATAR),
    });
    expect(await mod.page('/admin/me')).toMatch(/name="staffBadge" value="1"\s+checked/);
    const before = await threadVersion('staff-story');

    const off = await mod.post('/admin/me', { notifyHeld: '1' });
    expect(off.status).toBe(303);
    expect(decodeURIComponent(off.headers.get('location') ?? '')).toContain('Your Staff badge is off.');
    expect(
      (await db.pool.query('select staff_badge from moderators where email = $1', ['mod@example.org'])).rows[0],
    ).toEqual({ staff_badge: false });
    expect((await db.pool.query('select author_staff from comments where id = $1', [c.id])).rows[0]).toEqual({
      author_staff: false,
    });
    expect(await threadVersion('staff-story')).toBeGreaterThan(before);
    expect((await thread('staff-story')).find((x) => x.id === c.id)?.author).toEqual({
      name: 'The Moderator',
      verified: true,
      avatar: expect.stringMatching(AVATAR),
    });
    expect(await mod.page('/admin/me')).not.toMatch(/name="staffBadge" value="1"\s+checked/);
    // Held-comment mails were left as the form said.
    expect(
      (await db.pool.query('select notify_held from moderators where email = $1', ['mod@example.org'])).rows[0],
    ).toEqual({ notify_held: true });

    await mod.post('/admin/me', { notifyHeld: '1', staffBadge: '1' });
    expect((await thread('staff-story')).find((x) => x.id === c.id)?.author).toMatchObject({ staff: true });
  });

  it("leaves other people's comments alone, and a guest typing the moderator's address is never staff", async () => {
    const guest = await post({ page: 'staff-story', author: 'Fake Mod', email: 'mod@example.org' });
    const { token } = await signIn({ identity: 'sso:u-other', name: 'Other', email: 'other@example.org' });
    await db.pool.query(`update readers set trusted = true where identity = 'sso:u-other'`);
    const other = await post({ page: 'staff-story' }, token);
    await mod.post('/admin/me', { staffBadge: '1' });
    const { rows } = await db.pool.query('select id, author_staff from comments where id = any($1::uuid[])', [
      [guest.id, other.id],
    ]);
    expect(rows.map((r) => r.author_staff)).toEqual([false, false]);
  });
});

/** A guest's comment on `page`, approved by the moderator: something to reply to. */
async function published(page: string): Promise<string> {
  const c = await post({ page, body: `Published on ${page} (${n}).` });
  const res = await mod.post(`/admin/comments/${c.id}/status`, { action: 'approve' }, { json: true });
  expect(res.status).toBe(200);
  return c.id;
}

/** admin.js's reply call: JSON with the CSRF token in its header. */
async function reply(
  id: string,
  body: unknown,
  opts: { client?: DashboardClient; csrf?: boolean } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const client = opts.client ?? mod;
  const res = await fetch(`${api.url}/admin/api/comments/${id}/reply`, {
    method: 'POST',
    headers: {
      cookie: client.cookie,
      accept: 'application/json',
      'content-type': 'application/json',
      ...(opts.csrf === false ? {} : { 'x-csrf-token': client.csrf }),
    },
    body: JSON.stringify({ body }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const codeOf = (r: { json: Record<string, unknown> }): unknown => (r.json.error as { code?: string } | undefined)?.code;

describe('replying from the card as staff', () => {
  it('publishes at once as the moderator’s email reader, with the Staff badge, in the public thread', async () => {
    const parent = await published('reply-story');
    expect(await card(parent, 'approved')).toContain(`action="/admin/api/comments/${parent}/reply"`);
    const versionBefore = await threadVersion('reply-story');
    // The thread is read (and cached) before the reply: the reply must show on the next read anyway.
    expect((await thread('reply-story')).map((c) => c.id)).toEqual([parent]);

    const res = await reply(parent, 'Thanks, **fixed** now. <script>alert(1)</script>');
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json).toMatchObject({
      parent,
      status: 'approved',
      author: { name: 'mod', verified: true, staff: true },
    });
    const id = String(res.json.id);
    expect(await threadVersion('reply-story')).toBeGreaterThan(versionBefore);
    const shown = (await thread('reply-story')).find((c) => c.id === id) as Record<string, unknown> | undefined;
    expect(shown).toMatchObject({ parent, depth: 1, author: { name: 'mod', verified: true, staff: true } });
    expect(String(shown?.html)).toContain('<strong>fixed</strong>');
    expect(String(shown?.html)).not.toContain('<script>');

    const { rows } = await db.pool.query(
      `select r.via, r.identity, r.name, r.email, c.status, c.author_verified, c.author_staff, c.verdict
         from comments c join readers r on r.id = c.reader_id where c.id = $1`,
      [id],
    );
    expect(rows[0]).toEqual({
      via: 'email',
      identity: 'email:mod@example.org',
      name: 'mod',
      email: 'mod@example.org',
      status: 'approved',
      author_verified: true,
      author_staff: true,
      verdict: { status: 'approved', score: 0, reasons: [] },
    });

    // The same reply again is refused; another reply reuses the same reader.
    expect(codeOf(await reply(parent, 'Thanks, **fixed** now. <script>alert(1)</script>'))).toBe('NOT_REPLYABLE');
    const second = await reply(parent, 'One more thing.');
    expect(second.status).toBe(201);
    expect((await db.pool.query(`select 1 from readers where identity = 'email:mod@example.org'`)).rowCount).toBe(1);
  });

  it('with the badge off the reply is verified but not staff', async () => {
    const parent = await published('reply-nobadge');
    await mod.post('/admin/me', {});
    try {
      const res = await reply(parent, 'Speaking for myself.');
      expect(res.status).toBe(201);
      expect(res.json.author).toEqual({ name: 'mod', verified: true });
      expect((await thread('reply-nobadge')).find((c) => c.id === res.json.id)?.author).toEqual({
        name: 'mod',
        verified: true,
        avatar: expect.stringMatching(AVATAR),
      });
    } finally {
      await mod.post('/admin/me', { staffBadge: '1' });
    }
  });

  it('refuses a comment that is not published, or on a closed page, with 409 NOT_REPLYABLE', async () => {
    const pending = await post({ page: 'reply-refused' });
    expect(pending.status).toBe('pending');
    const held = await reply(pending.id, 'Too early.');
    expect(held.status).toBe(409);
    expect(held.json).toEqual({
      error: { code: 'NOT_REPLYABLE', message: 'Only a published comment takes a reply.' },
    });
    // No Reply form on a card that takes none.
    expect(await card(pending.id)).not.toContain('/reply"');

    const parent = await published('reply-closed');
    const close = await mod.post('/admin/pages/close', { site: 'news', page: 'reply-closed' }, { json: true });
    expect(close.status).toBe(200);
    const closed = await reply(parent, 'Too late.');
    expect(closed.status).toBe(409);
    expect(codeOf(closed)).toBe('NOT_REPLYABLE');
    expect(await card(parent, 'approved')).not.toContain('/reply"');
    expect(
      (await db.pool.query(`select 1 from comments where parent_id = any($1::uuid[])`, [[pending.id, parent]]))
        .rowCount,
    ).toBe(0);
  });

  it('needs the CSRF token and a session, and a moderator of another site gets 403', async () => {
    const parent = await published('reply-guarded');
    const forged = await reply(parent, 'No token.', { csrf: false });
    expect(forged.status).toBe(403);
    expect(codeOf(forged)).toBe('CSRF_INVALID');

    const anon = new DashboardClient(api.url);
    const signedOut = await reply(parent, 'Who am I?', { client: anon, csrf: false });
    expect(signedOut.status).toBe(401);
    expect(codeOf(signedOut)).toBe('SIGNED_OUT');

    const blogger = new DashboardClient(api.url);
    await blogger.signIn('blogger@example.org');
    const foreign = await reply(parent, 'Not my site.', { client: blogger });
    expect(foreign.status).toBe(403);
    expect(codeOf(foreign)).toBe('FORBIDDEN');

    expect((await reply('00000000-0000-4000-8000-000000000000', 'Nobody.')).status).toBe(404);
    expect((await reply('not-a-uuid', 'Nobody.')).status).toBe(404);
    const empty = await reply(parent, '   ');
    expect(empty.status).toBe(422);
    expect(codeOf(empty)).toBe('REQUIRED');
    const wrongType = await reply(parent, { html: '<b>x</b>' });
    expect(wrongType.status).toBe(422);
    expect((await db.pool.query('select 1 from comments where parent_id = $1', [parent])).rowCount).toBe(0);
  });

  it('works without the script: the card’s form posts and comes back to the queue', async () => {
    const parent = await published('reply-form');
    const res = await mod.post(`/admin/api/comments/${parent}/reply`, { body: 'From the plain form.' });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location') ?? '', api.url).searchParams.get('notice')).toBe(
      'Reply published as mod.',
    );
    expect((await thread('reply-form')).map((c) => (c as { html?: string }).html)).toEqual([
      expect.any(String),
      '<p>From the plain form.</p>',
    ]);
  });
});
