import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient, TEST_PASSWORD } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 16, item 3: a moderator's list of their sessions, "sign out everywhere else" (the other
// sessions really stop working, this one goes on), ending one session, and the password change (the
// current password required, a weak one refused, the other sessions signed out). Each is audited.
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

async function signedIn(email: string, password = TEST_PASSWORD, ua = 'Test browser'): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.page('/admin/sign-in');
  const res = await fetch(`${api.url}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: c.signInCookie,
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': ua,
    },
    body: new URLSearchParams({ _csrf: c.csrf, email, password }).toString(),
  });
  expect(res.status).toBe(303);
  c.cookie = res.headers
    .getSetCookie()
    .find((x) => x.startsWith('rd_session='))!
    .split(';')[0]!;
  await c.page('/admin/me');
  return c;
}

/** Whether the client is still signed in: /admin/me answers 200, not a redirect to sign in. */
async function works(c: DashboardClient): Promise<boolean> {
  return (await c.get('/admin/me')).status === 200;
}

async function actions(email: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ action: string }>(
    `select action from moderation_events where detail ->> 'email' = $1 order by id`,
    [email],
  );
  return rows.map((r) => r.action);
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addModerator(db.pool, 'sam@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'pat@example.org', 'moderator', ['news']);
  await addModerator(db.pool, 'other@example.org', 'moderator', ['news']);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('my sessions', () => {
  it('lists where I am signed in, marks this session, and shows no one else’s', async () => {
    const laptop = await signedIn('sam@example.org', TEST_PASSWORD, 'Laptop Firefox');
    await signedIn('sam@example.org', TEST_PASSWORD, 'Phone Safari');
    await signedIn('other@example.org', TEST_PASSWORD, 'Another person browser');
    const page = await laptop.page('/admin/me/sessions');
    expect(page).toContain('Laptop Firefox');
    expect(page).toContain('Phone Safari');
    expect(page).not.toContain('Another person');
    expect(page.match(/data-session="/g)).toHaveLength(2);
    expect(page).toContain('this session');
    // The list names a session by a hash, never by the id the cookie carries.
    const sid = decodeURIComponent(laptop.cookie.split('=')[1]!).replace(/^s:/, '').split('.')[0]!;
    expect(page).not.toContain(sid);
  });

  it('"sign out everywhere else" ends the other sessions at once and keeps this one; audited', async () => {
    const here = await signedIn('sam@example.org', TEST_PASSWORD, 'Here');
    const there = await signedIn('sam@example.org', TEST_PASSWORD, 'There');
    const third = await signedIn('sam@example.org', TEST_PASSWORD, 'Third');
    const someoneElse = await signedIn('other@example.org');
    expect(await works(there)).toBe(true);
    await here.page('/admin/me/sessions');
    const res = await here.post('/admin/me/sessions/end-others', {});
    expect(res.status).toBe(303);
    expect(await works(here)).toBe(true);
    expect(await works(there)).toBe(false);
    expect(await works(third)).toBe(false);
    expect(await works(someoneElse)).toBe(true);
    // A JSON call from an ended session hears 401, and the list now holds only this session.
    expect((await there.post('/admin/me', {}, { json: true })).status).toBe(401);
    const page = await here.page('/admin/me/sessions');
    expect(page.match(/data-session="/g)).toHaveLength(1);
    expect(await actions('sam@example.org')).toContain('sessions_end');
  });

  it('ends one other session by its row, and only that one', async () => {
    const a = await signedIn('pat@example.org', TEST_PASSWORD, 'Browser A');
    const b = await signedIn('pat@example.org', TEST_PASSWORD, 'Browser B');
    const c = await signedIn('pat@example.org', TEST_PASSWORD, 'Browser C');
    const page = await a.page('/admin/me/sessions');
    const handle = /<tr data-session="([0-9a-f]{16})">\s*<td>[^<]*<\/td>\s*<td>Browser B<\/td>/.exec(page)?.[1];
    expect(handle).toBeDefined();
    expect((await a.post(`/admin/me/sessions/${handle}/end`, {})).status).toBe(303);
    expect(await works(b)).toBe(false);
    expect(await works(a)).toBe(true);
    expect(await works(c)).toBe(true);
    expect(await actions('pat@example.org')).toEqual(['session_end']);
  });
});

describe('changing my password', () => {
  it('needs the current one, refuses a weak one, and signs out my other sessions but not this one', async () => {
    const here = await signedIn('other@example.org');
    const there = await signedIn('other@example.org');
    const wrong = await here.post('/admin/me/password', {
      current: 'not it at all',
      password: 'a new long passphrase',
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('not your current password');
    const weak = await here.post('/admin/me/password', { current: TEST_PASSWORD, password: 'Password2024!' });
    expect(weak.status).toBe(422);
    expect(await weak.text()).toContain('guessers try first');
    expect(await works(there)).toBe(true);
    const ok = await here.post('/admin/me/password', { current: TEST_PASSWORD, password: 'a new long passphrase' });
    expect(ok.status).toBe(303);
    expect(await works(here)).toBe(true);
    expect(await works(there)).toBe(false);
    // The new password signs in; the old one no longer does.
    await signedIn('other@example.org', 'a new long passphrase');
    const old = new DashboardClient(api.url);
    await old.page('/admin/sign-in');
    expect((await old.post('/admin/sign-in', { email: 'other@example.org', password: TEST_PASSWORD })).status).toBe(
      401,
    );
    expect(await actions('other@example.org')).toEqual(['password_change']);
  });
});
