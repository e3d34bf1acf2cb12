import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader } from '../../src/readers/reader-store.js';
import { exportCommenterData } from '../../src/store/privacy.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 16, items 4 and 5, over HTTP with real sessions, Postgres, Redis, the workers and a local SMTP
 * sink: the commenter profile (comments across pages with who decided, flags, bans, notes), notes and
 * their marker on the author's cards, warnings shown once, suspensions refused with their end and
 * ending by themselves, trust, and a reject with a reason that reaches the commenter (status, the
 * statement-of-reasons mail) and its appeal, decided by another moderator.
 */
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let smtp: SmtpSink;
let first: DashboardClient;
let second: DashboardClient;
let other: DashboardClient;
const prefix = newQueuePrefix();
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = await startSmtpSink();
  api = await startApi({ pool: db.pool, prefix });
  worker = await startWorker({ pool: db.pool, prefix, notifications: { smtpUrl: smtp.url, publicUrl: api.url } });
  await addSite(db.pool, 'news', [api.origin], { floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'blog', [api.origin], { floodSeconds: 0, holdLinks: 0 });
  await api.sites.refresh();
  await addModerator(db.pool, 'first@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'second@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'blogger@example.org', 'moderator', ['blog']);
  first = new DashboardClient(api.url);
  second = new DashboardClient(api.url);
  other = new DashboardClient(api.url);
  await first.signIn('first@example.org');
  await second.signIn('second@example.org');
  await other.signIn('blogger@example.org');
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await smtp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

/** Posts a guest's comment (or a reader's, with a token) and waits until the worker stored it. */
async function post(
  over: Record<string, unknown> = {},
  token?: string,
): Promise<{ id: string; status: string; editKey?: string }> {
  n += 1;
  const res = await postJson(
    api,
    { site: 'news', page: 'story-a', author: 'Guest', email: `guest${n}@example.org`, body: `Comment ${n}.`, ...over },
    { origin: api.origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  );
  const answer = (await res.json()) as { id: string; editKey?: string };
  expect(res.status, JSON.stringify(answer)).toBe(202);
  const stored = await waitForStored(db.pool, answer.id);
  return { id: answer.id, status: stored.status, editKey: answer.editKey };
}

/** A signed-in SSO reader of news, as a sign-in would leave them: the row and a session token. */
async function signIn(identity: string, name: string, email: string) {
  const reader = await upsertReader(db.pool, { siteId: 'news', via: 'sso', identity, name, email });
  return { reader, token: (await createReaderSession(db.pool, reader.id)).token };
}

async function decide(client: DashboardClient, id: string, action: string, extra: Record<string, string> = {}) {
  const res = await client.post(`/admin/comments/${id}/status`, { action, ...extra }, { json: true });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function profile(client: DashboardClient, author: string, site = 'news') {
  const res = await client.get(`/admin/profile?${new URLSearchParams({ site, author }).toString()}`, {
    accept: 'application/json',
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & { comments: Record<string, unknown>[] },
  };
}

async function auditOf(
  action: string,
): Promise<{ actor: string; detail: Record<string, unknown>; comment_id: string | null }[]> {
  const { rows } = await db.pool.query(
    'select actor, detail, comment_id from moderation_events where action = $1 order by id',
    [action],
  );
  return rows;
}

async function card(id: string, client = first): Promise<string> {
  const page = await client.page(`/admin?tab=pending&q=${id}`);
  const start = page.indexOf(`<article class="rd-card" id="card-${id}"`);
  expect(start, `card ${id}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</article>', start));
}

describe('the commenter profile', () => {
  it('lists the author’s comments across pages with status and decider, flags received, bans and notes', async () => {
    const email = 'regular@example.org';
    const a = await post({ email, author: 'Regular', page: 'story-a', body: 'On story A.' });
    const b = await post({ email, author: 'Regular', page: 'story-b', body: 'On story B.' });
    const c = await post({ email, author: 'Regular', page: 'story-c', body: 'On story C.' });
    // Another guest's comment on the same page is not theirs.
    await post({ email: 'someone-else@example.org', page: 'story-a' });
    expect(a.status).toBe('pending');
    expect((await decide(first, a.id, 'approve')).status).toBe(200);
    expect((await decide(second, b.id, 'reject')).status).toBe(200);
    const flag = await fetch(`${api.url}/api/comments/${a.id}/flag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.origin },
      body: JSON.stringify({ reason: 'abuse', key: 'browser-key-1' }),
    });
    expect(flag.status).toBeLessThan(300);
    expect(
      (await first.post('/admin/bans', { site: 'news', kind: 'email', email, reason: 'repeat' }, { json: true }))
        .status,
    ).toBe(200);
    const note = await first.post(
      '/admin/profile/notes',
      { site: 'news', author: `guest:${email}`, body: 'Second warning in a week.' },
      { json: true },
    );
    expect(note.status).toBe(200);

    const p = await profile(second, `guest:${email}`);
    expect(p.status).toBe(200);
    const byId = new Map(p.body.comments.map((x) => [x.id, x]));
    expect([...byId.keys()].sort()).toEqual([a.id, b.id, c.id].sort());
    expect(byId.get(a.id)).toMatchObject({
      status: 'approved',
      decided: { by: 'first' },
      flags: 1,
      page: { identifier: 'story-a' },
    });
    expect(byId.get(b.id)).toMatchObject({
      status: 'rejected',
      decided: { by: 'second' },
      page: { identifier: 'story-b' },
    });
    expect(byId.get(c.id)).toMatchObject({ status: 'pending', decided: null });
    expect(p.body.flags).toEqual([{ reason: 'abuse', count: 1 }]);
    expect(p.body.bans).toMatchObject([{ kind: 'email', value: email, reason: 'repeat' }]);
    expect(p.body.notes).toMatchObject([{ body: 'Second warning in a week.', by: 'first' }]);
    expect(p.body.counts).toMatchObject({ approved: 1, rejected: 1, pending: 1 });

    // The page says the same, with the actions.
    const page = await second.page(
      `/admin/profile?${new URLSearchParams({ site: 'news', author: `guest:${email}` }).toString()}`,
    );
    expect(page).toContain('Second warning in a week.');
    expect(page).toContain('action="/admin/profile/suspend"');
    expect(page).toContain('action="/admin/profile/warn"');
    expect(page).toContain('action="/admin/bans"');
    expect(page).toContain('action="/admin/trusted"');
  });

  it('is the moderator’s own sites only, and nobody’s for an author with no comment there', async () => {
    expect((await profile(other, 'guest:regular@example.org')).status).toBe(403);
    expect((await profile(first, 'guest:nobody@example.org')).status).toBe(404);
    expect((await profile(first, 'not-a-key')).status).toBe(404);
    const note = (client: DashboardClient, author: string, site = 'news') =>
      client.post('/admin/profile/notes', { site, author, body: 'x' }, { json: true });
    expect((await note(first, 'guest:nobody@example.org')).status).toBe(404);
    expect((await note(first, 'reader:999999')).status).toBe(404);
    expect((await note(other, 'guest:regular@example.org')).status).toBe(403);
  });

  it('a note is audited when added and removed, and marks every card of that author in the queue', async () => {
    const email = 'marked@example.org';
    const one = await post({ email, page: 'story-a' });
    const two = await post({ email, page: 'story-d' });
    const stranger = await post({ email: 'unmarked@example.org' });
    expect(await card(one.id)).not.toContain('rd-note-marker');
    const added = await first.post(
      '/admin/profile/notes',
      { site: 'news', author: `guest:${email}`, body: 'Posts the same link everywhere.' },
      { json: true },
    );
    const { id } = (await added.json()) as { id: number };
    for (const c of [one.id, two.id]) expect(await card(c)).toMatch(/class="rd-badge rd-note-marker"[^>]*>\s*1 note/);
    expect(await card(stranger.id)).not.toContain('rd-note-marker');
    expect(await card(one.id)).toContain(`href="/admin/profile?site=news&amp;author=guest%3Amarked%40example.org"`);
    const removed = await first.post(
      '/admin/profile/notes/delete',
      { site: 'news', author: `guest:${email}`, id: String(id) },
      { json: true },
    );
    expect(removed.status).toBe(200);
    expect(await card(one.id)).not.toContain('rd-note-marker');
    // Twice is a 404: it is gone.
    expect(
      (
        await first.post(
          '/admin/profile/notes/delete',
          { site: 'news', author: `guest:${email}`, id: String(id) },
          { json: true },
        )
      ).status,
    ).toBe(404);
    const adds = (await auditOf('note_add')).filter((e) => e.detail.author === `guest:${email}`);
    const removes = (await auditOf('note_remove')).filter((e) => e.detail.author === `guest:${email}`);
    expect(adds).toMatchObject([{ actor: 'first@example.org', detail: { note: 'Posts the same link everywhere.' } }]);
    expect(removes).toMatchObject([{ actor: 'first@example.org', detail: { noteId: id } }]);
  });
});

describe('warnings', () => {
  it('a signed-in reader is shown a warning once, then it is marked seen', async () => {
    const { reader, token } = await signIn('sso:warned', 'Warned', 'warned@example.org');
    await post({ body: 'I am signed in.' }, token);
    const res = await first.post(
      '/admin/profile/warn',
      { site: 'news', author: `reader:${reader.id}`, message: 'Please keep it civil.' },
      { json: true },
    );
    expect(res.status).toBe(200);
    const ask = (path: string) =>
      fetch(`${api.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: api.origin, authorization: `Bearer ${token}` },
        body: JSON.stringify({ site: 'news' }),
      });
    const listed = (await (await ask('/api/warnings')).json()) as { warnings: { id: string; message: string }[] };
    expect(listed.warnings).toMatchObject([{ message: 'Please keep it civil.' }]);
    expect((await ask(`/api/warnings/${listed.warnings[0]!.id}/seen`)).status).toBe(200);
    expect(((await (await ask('/api/warnings')).json()) as { warnings: unknown[] }).warnings).toEqual([]);
    expect((await ask(`/api/warnings/${listed.warnings[0]!.id}/seen`)).status).toBe(404);
    const p = await profile(first, `reader:${reader.id}`);
    expect(p.body.warnings).toMatchObject([{ message: 'Please keep it civil.', seenAt: expect.any(String) }]);
    expect(await auditOf('warn')).toMatchObject([
      { actor: 'first@example.org', detail: { author: `reader:${reader.id}`, message: 'Please keep it civil.' } },
    ]);
  });

  it('a reader’s own export lists their warnings and suspensions; erasing the account removes them', async () => {
    const { reader, token } = await signIn('sso:exporter', 'Exporter', '');
    await post({ body: 'Mine.' }, token);
    const author = `reader:${reader.id}`;
    await first.post('/admin/profile/warn', { site: 'news', author, message: 'Careful.' }, { json: true });
    await first.post(
      '/admin/profile/suspend',
      { site: 'news', author, amount: '1', unit: 'hours', reason: 'Cool-off' },
      { json: true },
    );
    await first.post('/admin/profile/notes', { site: 'news', author, body: 'Private.' }, { json: true });
    const headers = { origin: api.origin, authorization: `Bearer ${token}` };
    const exported = (await (await fetch(`${api.url}/api/readers/me/export?site=news`, { headers })).json()) as Record<
      string,
      unknown
    >;
    expect(exported.warnings).toMatchObject([{ message: 'Careful.' }]);
    expect(exported.suspensions).toMatchObject([{ reason: 'Cool-off' }]);
    expect(JSON.stringify(exported)).not.toContain('Private.');
    // A suspended reader is refused too, by identity.
    const refused = await postJson(api, { site: 'news', page: 'story-a', body: 'Still here.' }, headers);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SUSPENDED');
    expect((await fetch(`${api.url}/api/readers/me?site=news`, { method: 'DELETE', headers })).status).toBe(200);
    for (const table of ['author_notes', 'author_warnings', 'author_suspensions']) {
      const { rows } = await db.pool.query(`select count(*)::int as n from ${table} where author_key = $1`, [author]);
      expect(rows[0].n, table).toBe(0);
    }
  });

  it('a guest proves who they are with a comment’s edit key, never with a typed email', async () => {
    const email = 'warned-guest@example.org';
    const mine = await post({ email });
    expect(mine.editKey).toBeTruthy();
    await first.post(
      '/admin/profile/warn',
      { site: 'news', author: `guest:${email}`, message: 'No links to shops, please.' },
      { json: true },
    );
    const ask = (body: Record<string, unknown>) =>
      fetch(`${api.url}/api/warnings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: api.origin },
        body: JSON.stringify({ site: 'news', ...body }),
      });
    const ok = (await (await ask({ comment: mine.id, key: mine.editKey })).json()) as {
      warnings: { message: string }[];
    };
    expect(ok.warnings).toMatchObject([{ message: 'No links to shops, please.' }]);
    const wrong = await ask({ comment: mine.id, key: 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('NOT_YOUR_COMMENT');
    expect((await ask({ email })).status).toBe(403);
  });
});

describe('suspensions', () => {
  it('refuses the author’s comments with SUSPENDED and the end time, on the API and the no-JS form, and ends by itself', async () => {
    const email = 'suspended@example.org';
    await post({ email });
    const before = Date.now();
    const res = await first.post(
      '/admin/profile/suspend',
      { site: 'news', author: `guest:${email}`, amount: '2', unit: 'hours', reason: 'Flooding the thread' },
      { json: true },
    );
    expect(res.status).toBe(200);
    const { until } = (await res.json()) as { until: string };
    expect(Date.parse(until) - before).toBeGreaterThan(2 * 3600_000 - 60_000);
    const end = `${until.replace('T', ' ').slice(0, 16)} UTC`;

    const refused = await postJson(
      api,
      { site: 'news', page: 'story-a', author: 'S', email, body: 'Let me in.' },
      { origin: api.origin },
    );
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string; field?: string } };
    expect(body.error).toMatchObject({ code: 'SUSPENDED', field: 'email' });
    expect(body.error.message).toContain(end);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(7000);
    // Typed email in another case is the same guest.
    expect(
      (
        await postJson(
          api,
          { site: 'news', page: 'story-a', author: 'S', email: email.toUpperCase(), body: 'Again.' },
          { origin: api.origin },
        )
      ).status,
    ).toBe(403);

    const form = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.origin },
      body: new URLSearchParams({
        site: 'news',
        comment_post_ID: 'story-a',
        author: 'S',
        email,
        comment: 'From the form.',
      }).toString(),
    });
    expect(form.status).toBe(403);
    const pageText = await form.text();
    expect(pageText).toContain('<html');
    expect(pageText).toContain(end);

    // Another site is not affected.
    expect(
      (await postJson(api, { site: 'blog', page: 'p', author: 'S', email, body: 'Elsewhere.' }, { origin: api.origin }))
        .status,
    ).toBe(202);
    expect((await profile(first, `guest:${email}`)).body.suspendedUntil).toBe(until);

    // The end comes by itself: nothing runs at that time, intake compares with the clock.
    await db.pool.query(`update author_suspensions set ends_at = now() + interval '1 second' where author_key = $1`, [
      `guest:${email}`,
    ]);
    const accepted = await waitFor(
      'the suspension to end',
      async () => {
        const r = await postJson(
          api,
          { site: 'news', page: 'story-a', author: 'S', email, body: `Back ${Date.now()}.` },
          { origin: api.origin },
        );
        return r.status === 202 ? r : undefined;
      },
      10_000,
      500,
    );
    expect(accepted.status).toBe(202);
    expect((await auditOf('suspend')).filter((e) => e.detail.author === `guest:${email}`)).toMatchObject([
      { actor: 'first@example.org', detail: { author: `guest:${email}`, until, reason: 'Flooding the thread' } },
    ]);
  });

  it('a suspension lifted early lets the author post at once; a bad length is refused', async () => {
    const email = 'lifted@example.org';
    await post({ email });
    expect(
      (
        await first.post(
          '/admin/profile/suspend',
          { site: 'news', author: `guest:${email}`, amount: '3', unit: 'days' },
          { json: true },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await postJson(
          api,
          { site: 'news', page: 'story-a', author: 'L', email, body: 'Nope.' },
          { origin: api.origin },
        )
      ).status,
    ).toBe(403);
    const lifted = await first.post(
      '/admin/profile/unsuspend',
      { site: 'news', author: `guest:${email}` },
      { json: true },
    );
    expect(await lifted.json()).toEqual({ lifted: 1 });
    expect(
      (await postJson(api, { site: 'news', page: 'story-a', author: 'L', email, body: 'Yes.' }, { origin: api.origin }))
        .status,
    ).toBe(202);
    expect(await auditOf('unsuspend')).toMatchObject([{ detail: { author: `guest:${email}` } }]);
    for (const [amount, unit] of [
      ['0', 'hours'],
      ['400', 'days'],
      ['2', 'weeks'],
      ['x', 'hours'],
    ]) {
      const bad = await first.post(
        '/admin/profile/suspend',
        { site: 'news', author: `guest:${email}`, amount: amount!, unit: unit! },
        { json: true },
      );
      expect(bad.status, `${amount} ${unit}`).toBe(422);
    }
  });
});

describe('trust from the profile', () => {
  it('a trusted reader’s next comments skip the first-time hold (a guest’s typed email never does)', async () => {
    const { reader, token } = await signIn('sso:newcomer', 'Newcomer', 'newcomer@example.org');
    expect((await post({ body: 'My first.' }, token)).status).toBe('pending');
    const page = await first.page(
      `/admin/profile?${new URLSearchParams({ site: 'news', author: `reader:${reader.id}` }).toString()}`,
    );
    expect(page).toContain(`action="/admin/readers/${reader.id}/trust"`);
    expect((await first.post(`/admin/readers/${reader.id}/trust`, {}, { json: true })).status).toBe(200);
    expect((await post({ body: 'My second.' }, token)).status).toBe('approved');
    expect((await profile(first, `reader:${reader.id}`)).body.reader).toMatchObject({ trusted: true });
  });
});

describe('reasons that reach the commenter, and appeals', () => {
  it('a reject with a reason shows on the status page and mails the statement of reasons with an appeal link', async () => {
    const email = 'removed@example.org';
    const c = await post({ email, author: 'Removed Author', body: 'You are all idiots.' });
    const bad = await decide(first, c.id, 'reject', { reason: 'no_such_reason' });
    expect(bad.status).toBe(422);
    expect((bad.body.error as { code: string }).code).toBe('UNKNOWN_DECISION_REASON');
    const ok = await decide(first, c.id, 'reject', { reason: 'abusive', note: 'Insults are not an argument.' });
    expect(ok.body).toMatchObject({ status: 'rejected', changed: 1 });

    const status = (await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      status: 'rejected',
      decision: {
        reason: 'abusive',
        label: 'Abusive or hateful',
        rule: expect.stringContaining('no personal attacks'),
        note: 'Insults are not an argument.',
        appeal: null,
      },
    });

    const mail = await smtp.waitForMail(email);
    expect(mail.subject).toBe('Your comment on Site news was removed');
    const text = mail.text ?? '';
    expect(text).toContain('You are all idiots.');
    expect(text).toContain('Why: Abusive or hateful');
    expect(text).toContain('The rule it breaks: Community rules: no personal attacks');
    expect(text).toContain('Insults are not an argument.');
    expect(text).toContain('decided by a person');
    const link = new RegExp(`${api.url.replace(/[.:/]/g, '\\$&')}/mail/appeal\\?token=[A-Za-z0-9_.-]+`).exec(text)?.[0];
    expect(link).toBeTruthy();
    const audit = (await auditOf('reject')).find((e) => e.comment_id === c.id);
    expect(audit?.detail).toEqual({ reason: 'abusive', note: 'Insults are not an argument.' });

    // The appeal page shows the decision; posting opens a case in the Appeals tab.
    const shown = await fetch(link!);
    expect(shown.status).toBe(200);
    const shownText = await shown.text();
    expect(shownText).toContain('Abusive or hateful');
    expect(shownText).toContain('Insults are not an argument.');
    const token = new URL(link!).searchParams.get('token')!;
    const appeal = await fetch(`${api.url}/mail/appeal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, statement: 'It was a joke among friends.' }).toString(),
    });
    expect(appeal.status).toBe(201);
    // The same link again opens nothing new.
    const again = await fetch(`${api.url}/mail/appeal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, statement: 'Again.' }).toString(),
    });
    expect(again.status).toBe(200);
    expect(await auditOf('appeal_open')).toMatchObject([
      { actor: 'readers', comment_id: c.id, detail: { statement: 'It was a joke among friends.' } },
    ]);
    expect(
      ((await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as { decision: { appeal: string } }).decision
        .appeal,
    ).toBe('open');

    const tab = await second.page('/admin/appeals');
    expect(tab).toContain('It was a joke among friends.');
    expect(tab).toContain(`data-id="${c.id}"`);
    expect(await second.page('/admin')).toMatch(/Appeals <span class="rd-count" data-tab="appeals">1</);
    const { appeals } = (await (await second.get('/admin/appeals', { accept: 'application/json' })).json()) as {
      appeals: { id: number; commentId: string }[];
    };
    const appealId = appeals.find((a) => a.commentId === c.id)!.id;

    // The moderator who decided may not decide the appeal; another may, and reinstates it.
    const own = await first.post(`/admin/appeals/${appealId}`, { outcome: 'reinstate' }, { json: true });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { error: { code: string } }).error.code).toBe('SAME_MODERATOR');
    expect(await first.page('/admin/appeals')).toContain('This decision is yours');
    const granted = await second.post(
      `/admin/appeals/${appealId}`,
      { outcome: 'reinstate', note: 'Fair enough.' },
      { json: true },
    );
    expect(await granted.json()).toEqual({ appeal: appealId, outcome: 'reinstate', published: true });
    expect((await db.pool.query('select status from comments where id = $1', [c.id])).rows[0].status).toBe('approved');
    const decidedTwice = await second.post(`/admin/appeals/${appealId}`, { outcome: 'uphold' }, { json: true });
    expect(((await decidedTwice.json()) as { error: { code: string } }).error.code).toBe('APPEAL_DECIDED');
    expect(await auditOf('appeal_reinstate')).toMatchObject([
      { actor: 'second@example.org', comment_id: c.id, detail: { appealId, note: 'Fair enough.' } },
    ]);
    // Published again: the status no longer carries a removal, and the link has nothing left to appeal.
    expect(
      ((await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as Record<string, unknown>).decision,
    ).toBeUndefined();
  });

  it('an upheld decision leaves the comment removed; spam with a reason is told too', async () => {
    const email = 'upheld@example.org';
    const c = await post({ email, body: 'Buy cheap watches at my shop.' });
    await decide(second, c.id, 'spam', { reason: 'spam' });
    const status = (await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'rejected', decision: { reason: 'spam', label: 'Spam or advertising' } });
    const mail = await smtp.waitForMail(email);
    const link = /http:\/\/[^\s]+\/mail\/appeal\?token=[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0];
    const token = new URL(link).searchParams.get('token')!;
    await fetch(`${api.url}/mail/appeal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, statement: 'Not spam.' }).toString(),
    });
    const { appeals } = (await (await first.get('/admin/appeals', { accept: 'application/json' })).json()) as {
      appeals: { id: number; commentId: string }[];
    };
    const appealId = appeals.find((a) => a.commentId === c.id)!.id;
    expect((await first.post(`/admin/appeals/${appealId}`, { outcome: 'uphold' }, { json: true })).status).toBe(200);
    expect((await db.pool.query('select status from comments where id = $1', [c.id])).rows[0].status).toBe('spam');
    expect(await auditOf('appeal_uphold')).toMatchObject([{ actor: 'first@example.org', comment_id: c.id }]);
    // A moderator of another site sees none of it.
    const theirs = (await (await other.get('/admin/appeals', { accept: 'application/json' })).json()) as {
      appeals: unknown[];
    };
    expect(theirs.appeals).toEqual([]);
  });

  it('a reject without a reason mails nothing (and a moderator never decides twice)', async () => {
    const email = 'silent@example.org';
    const c = await post({ email });
    await decide(first, c.id, 'reject');
    const marker = await post({ email: 'marker@example.org' });
    await decide(first, marker.id, 'reject', { reason: 'off_topic' });
    await smtp.waitForMail('marker@example.org');
    expect(smtp.mailsTo(email)).toEqual([]);
    expect(
      ((await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as Record<string, unknown>).decision,
    ).toBeUndefined();
  });

  it('a reasoned reject undone and rejected again without a reason no longer tells the old reason', async () => {
    const c = await post({ email: 'undone@example.org' });
    const first_ = await decide(first, c.id, 'reject', { reason: 'legal' });
    const status = async () =>
      (await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as Record<string, unknown>;
    expect(await status()).toMatchObject({ decision: { reason: 'legal' } });
    expect((await first.post('/admin/undo', { batch: String(first_.body.batchId) }, { json: true })).status).toBe(200);
    expect(await status()).toMatchObject({ status: 'held' });
    await decide(first, c.id, 'reject');
    const after = await status();
    expect(after.status).toBe('rejected');
    expect(after.decision).toBeUndefined();
  });

  it('the privacy export holds the reasons, appeals, warnings and suspensions', async () => {
    const email = 'exported@example.org';
    const c = await post({ email });
    await decide(first, c.id, 'reject', { reason: 'personal_data', note: 'That is a phone number.' });
    await first.post(
      '/admin/profile/warn',
      { site: 'news', author: `guest:${email}`, message: 'Mind others’ privacy.' },
      { json: true },
    );
    await first.post(
      '/admin/profile/suspend',
      { site: 'news', author: `guest:${email}`, amount: '1', unit: 'days', reason: 'Doxxing' },
      { json: true },
    );
    const mail = await smtp.waitForMail(email);
    const token = new URL(
      /http:\/\/[^\s]+\/mail\/appeal\?token=[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0],
    ).searchParams.get('token')!;
    await fetch(`${api.url}/mail/appeal`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, statement: 'It was my own number.' }).toString(),
    });
    const data = await exportCommenterData(db.pool, email, 'news', new Date());
    expect(data.decisions).toMatchObject([
      {
        comment: c.id,
        action: 'reject',
        reason: 'Personal data',
        note: 'That is a phone number.',
        statementSentAt: expect.any(Date),
      },
    ]);
    expect(data.appeals).toMatchObject([{ comment: c.id, statement: 'It was my own number.', status: 'open' }]);
    expect(data.warnings).toMatchObject([{ site: 'news', message: 'Mind others’ privacy.', seenAt: null }]);
    expect(data.suspensions).toMatchObject([{ site: 'news', reason: 'Doxxing', liftedAt: null }]);
  });
});
