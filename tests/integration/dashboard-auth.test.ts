import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runModeratorCommand } from '../../src/cli/moderator-commands.js';
import { createLivePublisher } from '../../src/queue/live-events.js';
import { addModerator, DashboardClient, TEST_PASSWORD } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, waitFor, type TestApi } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 11, items 4, 8 and 12 (sessions): no session is stored before sign-in, the sign-in form keeps
// its CSRF check without one, the throttle holds against parallel guesses and locks out a network
// rather than the account, and sessions end at sign-out and at a password change, live streams too.
// The API trusts loopback as its proxy, so each request names its reader's address in X-Forwarded-For.
let db: TestDatabase;
let api: TestApi;
let prefix: string;

beforeAll(async () => {
  prefix = newQueuePrefix();
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['news']);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  if (prefix) await deleteQueueKeys(prefix);
});

async function sessionKeys(): Promise<string[]> {
  return api.redis.keys(`${prefix}:session:*`);
}

/** The sign-in form as a browser at `ip` sends it: its CSRF cookie and token, unless told otherwise. */
async function postSignIn(
  form: { cookie: string; token: string },
  fields: { email: string; password: string },
  ip = '203.0.113.10',
): Promise<Response> {
  return fetch(`${api.url}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, 'x-forwarded-for': ip },
    body: new URLSearchParams({ _csrf: form.token, ...fields }).toString(),
  });
}

/** GETs the sign-in page as a fresh visitor at `ip`: its CSRF cookie and the form's token. */
async function signInForm(ip = '203.0.113.10'): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${api.url}/admin/sign-in`, { headers: { 'x-forwarded-for': ip } });
  const html = await res.text();
  const cookie =
    res.headers
      .getSetCookie()
      .find((c) => c.startsWith('rd_signin_csrf='))
      ?.split(';')[0] ?? '';
  const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';
  return { cookie, token };
}

describe('sessions are stored only at sign-in', () => {
  it('50 anonymous GETs of the sign-in page leave no session in Redis and set no session cookie', async () => {
    const before = await sessionKeys();
    const answers = await Promise.all(Array.from({ length: 50 }, () => fetch(`${api.url}/admin/sign-in`)));
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('rd_session='))).toBe(false);
      await res.text();
    }
    // Signed-out visits elsewhere in the dashboard store nothing either.
    await fetch(`${api.url}/admin`, { redirect: 'manual' });
    await fetch(`${api.url}/admin/live`);
    expect(await sessionKeys()).toEqual(before);
  });

  it("a sign-in without the form token (or with another visitor's) is refused; with it, it works and stores one session", async () => {
    const form = await signInForm();
    expect(form.cookie).not.toBe('');
    expect(form.token).not.toBe('');
    const before = (await sessionKeys()).length;

    const noToken = await postSignIn(
      { cookie: form.cookie, token: '' },
      { email: 'mod@example.org', password: TEST_PASSWORD },
    );
    expect(noToken.status).toBe(403);
    expect(noToken.headers.getSetCookie().some((c) => c.startsWith('rd_session='))).toBe(false);
    const noCookie = await postSignIn(
      { cookie: '', token: form.token },
      { email: 'mod@example.org', password: TEST_PASSWORD },
    );
    expect(noCookie.status).toBe(403);
    const other = await signInForm();
    const mixed = await postSignIn(
      { cookie: other.cookie, token: form.token },
      { email: 'mod@example.org', password: TEST_PASSWORD },
    );
    expect(mixed.status).toBe(403);
    // A cookie whose token was changed without the secret.
    const forged = `rd_signin_csrf=${'A'.repeat(43)}.${form.cookie.split('.')[1]}`;
    expect(
      (
        await postSignIn(
          { cookie: forged, token: 'A'.repeat(43) },
          { email: 'mod@example.org', password: TEST_PASSWORD },
        )
      ).status,
    ).toBe(403);
    expect((await sessionKeys()).length).toBe(before);

    const ok = await postSignIn(form, { email: 'mod@example.org', password: TEST_PASSWORD });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    expect(ok.headers.getSetCookie().some((c) => c.startsWith('rd_session='))).toBe(true);
    expect((await sessionKeys()).length).toBe(before + 1);
  });
});

describe('the sign-in throttle', () => {
  it('150 parallel wrong guesses get at most 5 password checks; the owner signs in from another network', async () => {
    await addModerator(db.pool, 'raced@example.org', 'moderator', ['news']);
    const form = await signInForm('198.51.100.7');
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        postSignIn(form, { email: 'raced@example.org', password: `guess number ${i}` }, '198.51.100.7'),
      ),
    );
    const statuses = answers.map((r) => r.status);
    // 401 is a guess whose password was checked; 429 one refused before any check.
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBe(150 - checked);
    // Even the right password waits, from the guessing address…
    expect(
      (await postSignIn(form, { email: 'raced@example.org', password: TEST_PASSWORD }, '198.51.100.7')).status,
    ).toBe(429);

    // …but the account is not locked for its owner at home.
    const owner = await signInForm('192.0.2.44');
    const res = await postSignIn(owner, { email: 'raced@example.org', password: TEST_PASSWORD }, '192.0.2.44');
    expect(res.status).toBe(303);
  });

  it('addresses in one IPv6 /64 share a limit; another /64 has its own', async () => {
    await addModerator(db.pool, 'six@example.org', 'moderator', ['news']);
    const form = await signInForm('2001:db8:aa:1::1');
    for (let i = 1; i <= 5; i++) {
      const res = await postSignIn(
        form,
        { email: 'six@example.org', password: `wrong ${i}` },
        `2001:db8:aa:1::${i.toString(16)}`,
      );
      expect(res.status).toBe(401);
    }
    // A sixth address of the same /64 (written longhand, too) is already limited.
    expect(
      (await postSignIn(form, { email: 'six@example.org', password: 'wrong 6' }, '2001:db8:aa:1:ffff:1:2:3')).status,
    ).toBe(429);
    expect(
      (await postSignIn(form, { email: 'six@example.org', password: 'wrong 7' }, '2001:0db8:00aa:0001::99')).status,
    ).toBe(429);
    // The neighbouring /64 is someone else.
    expect((await postSignIn(form, { email: 'six@example.org', password: 'wrong 8' }, '2001:db8:aa:2::1')).status).toBe(
      401,
    );
  });

  it('one network guessing many accounts is stopped after 20 tries over all of them', async () => {
    const form = await signInForm('198.51.100.99');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      statuses.push(
        (await postSignIn(form, { email: `nobody${i}@example.org`, password: 'whatever' }, '198.51.100.99')).status,
      );
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
  });
});

describe('sessions end', () => {
  it("when the moderator's password is reset from the command line, every session of theirs is signed out", async () => {
    await addModerator(db.pool, 'reset@example.org', 'moderator', ['news']);
    const laptop = new DashboardClient(api.url);
    const phone = new DashboardClient(api.url);
    await laptop.signIn('reset@example.org');
    await phone.signIn('reset@example.org');
    expect((await laptop.get('/admin')).status).toBe(200);

    await runModeratorCommand(
      db.pool,
      ['add', 'reset@example.org', '--site', 'news'],
      () => {},
      async () => 'a brand new password',
    );

    for (const c of [laptop, phone]) {
      const res = await c.get('/admin');
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    }
    // The new password signs in afresh.
    const again = new DashboardClient(api.url);
    await again.signIn('reset@example.org', 'a brand new password');
    expect((await again.get('/admin')).status).toBe(200);
  });

  it('an open live stream stops delivering once its session signs out', async () => {
    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    const res = await mod.get('/admin/live', { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    const publish = createLivePublisher(api.redis, prefix);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let ended = false;
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) {
          ended = true;
          return;
        }
        text += decoder.decode(value, { stream: true });
      }
    })();
    try {
      await waitFor('the stream to be ready', () => text.includes('event: ready'));
      await publish({ id: '00000000-0000-4000-8000-000000000001', siteId: 'news', status: 'pending' });
      await waitFor('the first event', () => text.includes('00000000-0000-4000-8000-000000000001'));

      const out = await mod.post('/admin/sign-out', {});
      expect(out.status).toBe(303);
      await publish({ id: '00000000-0000-4000-8000-000000000002', siteId: 'news', status: 'pending' });
      await waitFor('the stream to end', () => ended, 5000);
      expect(text).not.toContain('00000000-0000-4000-8000-000000000002');
    } finally {
      await reader.cancel().catch(() => {});
    }
  });
});
