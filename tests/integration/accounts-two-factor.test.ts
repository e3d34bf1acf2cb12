import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient, TEST_PASSWORD } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { insertHeldComments } from '../support/held-comments.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 16, item 3: two-factor sign-in with TOTP (sql/0042). Enrolment shows a QR code (an SVG data URL
// from `qrcode`) and the secret, and a code from it confirms; sign-in then needs a code after the
// password, each code once; recovery codes work once each; a site's requireTwoFactor makes its people
// enrol before anything else and keeps them from turning it off. Codes are computed here with otplib
// from the secret the enrolment page shows, as an authenticator app would.
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const ids: Record<string, number> = {};
let secret = '';
let recovery: string[] = [];

const now = () => Math.floor(Date.now() / 1000);
const codeAt = (epoch: number, s = secret) => generate({ secret: s, epoch });

async function signedIn(email: string): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email);
  return c;
}

/** The password step; the dashboard answers with the code step for an account with two-factor. */
async function passwordStep(email: string): Promise<{ c: DashboardClient; location: string | null }> {
  const c = new DashboardClient(api.url);
  await c.page('/admin/sign-in');
  const res = await c.post('/admin/sign-in', { email, password: TEST_PASSWORD });
  expect(res.status).toBe(303);
  return { c, location: res.headers.get('location') };
}

async function codeStep(c: DashboardClient, code: string): Promise<Response> {
  await c.page('/admin/sign-in/code');
  return c.post('/admin/sign-in/code', { code });
}

/** Enrols the signed-in client; returns the secret shown and the recovery codes. */
async function enrol(c: DashboardClient): Promise<{ secret: string; codes: string[] }> {
  await c.page('/admin/me/two-factor');
  expect((await c.post('/admin/me/two-factor/start', {})).status).toBe(303);
  const page = await c.page('/admin/me/two-factor');
  const shown = /id="rd-totp-secret"[^>]*>([A-Z2-7]+)</.exec(page)?.[1];
  if (!shown) throw new Error('no secret on the enrolment page');
  const done = await c.post('/admin/me/two-factor/confirm', { code: await codeAt(now(), shown) });
  expect(done.status).toBe(200);
  const codes = [...(await done.text()).matchAll(/<li><code>([0-9a-z-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret: shown, codes };
}

async function actions(email: string): Promise<{ action: string; detail: Record<string, unknown> }[]> {
  const { rows } = await db.pool.query<{ action: string; detail: Record<string, unknown> }>(
    `select action, detail from moderation_events where detail ->> 'email' = $1 and action <> 'account_update' order by id`,
    [email],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'secure', [api.origin], { requireTwoFactor: true });
  await addSite(db.pool, 'late', [api.origin]);
  await insertHeldComments(db.pool, 'secure', 'p', 1);
  ids.admin = await addModerator(db.pool, 'admin@example.org', 'admin');
  ids.ann = await addModerator(db.pool, 'ann@example.org', 'moderator', ['news']);
  ids.sec = await addModerator(db.pool, 'sec@example.org', 'moderator', ['secure']);
  ids.late = await addModerator(db.pool, 'late@example.org', 'moderator', ['late']);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('enrolling', () => {
  it('shows a QR code as an SVG data URL and the secret; a wrong code is refused, a right one turns it on', async () => {
    const c = await signedIn('ann@example.org');
    await c.page('/admin/me/two-factor');
    expect((await c.post('/admin/me/two-factor/start', {})).status).toBe(303);
    const page = await c.page('/admin/me/two-factor');
    const src = /<img[^>]*class="rd-qr"[^>]*src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(
      page.replace(/\s+/g, ' '),
    )?.[1];
    expect(src).toBeDefined();
    expect(Buffer.from(src!, 'base64').toString('utf8')).toMatch(/<svg[\s\S]*<\/svg>/);
    secret = /id="rd-totp-secret"[^>]*>([A-Z2-7]+)</.exec(page)![1]!;
    expect(secret.length).toBeGreaterThanOrEqual(26); // 16+ bytes in base32
    // The secret is sealed at rest, never stored as shown.
    const { rows } = await db.pool.query<{ secret_sealed: string }>(
      'select secret_sealed from moderator_two_factor where moderator_id = $1',
      [ids.ann],
    );
    expect(rows[0]!.secret_sealed).not.toContain(secret);
    expect(rows[0]!.secret_sealed).toMatch(/^v1\./);

    const wrong = await c.post('/admin/me/two-factor/confirm', { code: '000000' });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('not right');
    const right = await c.post('/admin/me/two-factor/confirm', { code: await codeAt(now() - 30) });
    expect(right.status).toBe(200);
    recovery = [...(await right.text()).matchAll(/<li><code>([0-9a-z-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    expect(await c.page('/admin/me/two-factor')).toContain('10 recovery codes left');
    expect((await actions('ann@example.org')).map((e) => e.action)).toEqual(['two_factor_enable']);
  });
});

describe('signing in with two-factor', () => {
  it('needs the code after the password: until then nothing opens; a wrong code is refused', async () => {
    const { c, location } = await passwordStep('ann@example.org');
    expect(location).toBe('/admin/sign-in/code');
    const before = await c.get('/admin');
    expect(before.status).toBe(303);
    expect(before.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    expect((await c.get('/admin/me', { accept: 'application/json' })).status).toBe(401);
    const wrong = await codeStep(c, '123456' === (await codeAt(now())) ? '654321' : '123456');
    expect(wrong.status).toBe(401);
    const ok = await codeStep(c, await codeAt(now()));
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    expect((await c.get('/admin')).status).toBe(200);
  });

  it('a code signs in once: the same code again is refused, the next one works', async () => {
    const code = await codeAt(now() + 30); // the next step (accepted: one step of clock drift)
    const first = await passwordStep('ann@example.org');
    expect((await codeStep(first.c, code)).status).toBe(303);
    const second = await passwordStep('ann@example.org');
    expect((await codeStep(second.c, code)).status).toBe(401);
    // A code of an earlier step than the last one used is refused too.
    expect((await codeStep(second.c, await codeAt(now()))).status).toBe(401);
  });

  it('a code from far outside the window is refused', async () => {
    const { c } = await passwordStep('ann@example.org');
    expect((await codeStep(c, await codeAt(now() + 600))).status).toBe(401);
  });

  it('a recovery code signs in once, typed in any case and without dashes; the page then says how many are left', async () => {
    const code = recovery[0]!;
    const first = await passwordStep('ann@example.org');
    const res = await codeStep(first.c, code.replace(/-/g, '').toUpperCase());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/me\/two-factor\?notice=/);
    expect(await first.c.page(res.headers.get('location')!)).toContain('9 left');
    const again = await passwordStep('ann@example.org');
    expect((await codeStep(again.c, code)).status).toBe(401);
    const used = (await actions('ann@example.org')).filter((e) => e.action === 'recovery_code_use');
    expect(used).toEqual([{ action: 'recovery_code_use', detail: { email: 'ann@example.org', left: 9 } }]);
  });

  it('new recovery codes need the password and end the old ones', async () => {
    const c = await passwordStep('ann@example.org');
    expect((await codeStep(c.c, recovery[1]!)).status).toBe(303);
    await c.c.page('/admin/me/two-factor');
    expect((await c.c.post('/admin/me/two-factor/recovery-codes', { password: 'wrong password!' })).status).toBe(422);
    const renewed = await c.c.post('/admin/me/two-factor/recovery-codes', { password: TEST_PASSWORD });
    expect(renewed.status).toBe(200);
    const fresh = [...(await renewed.text()).matchAll(/<li><code>([0-9a-z-]{14})<\/code><\/li>/g)].map((m) => m[1]!);
    expect(fresh).toHaveLength(10);
    const old = await passwordStep('ann@example.org');
    expect((await codeStep(old.c, recovery[2]!)).status).toBe(401);
    expect((await codeStep(old.c, fresh[0]!)).status).toBe(303);
    recovery = fresh.slice(1);
    expect((await actions('ann@example.org')).map((e) => e.action)).toContain('recovery_codes_new');
  });

  it('turning it off needs the password; then the password alone signs in', async () => {
    const { c } = await passwordStep('ann@example.org');
    expect((await codeStep(c, recovery[0]!)).status).toBe(303);
    await c.page('/admin/me/two-factor');
    expect((await c.post('/admin/me/two-factor/disable', { password: 'not my password' })).status).toBe(422);
    expect((await c.post('/admin/me/two-factor/disable', { password: TEST_PASSWORD })).status).toBe(303);
    const { location } = await passwordStep('ann@example.org');
    expect(location).toBe('/admin');
    expect((await actions('ann@example.org')).at(-1)).toEqual({
      action: 'two_factor_disable',
      detail: { email: 'ann@example.org' },
    });
  });
});

describe("a site's requireTwoFactor", () => {
  it('sends its people to enrol first: pages redirect there, calls hear 403 TWO_FACTOR_REQUIRED', async () => {
    const { c: s, location } = await passwordStep('sec@example.org');
    expect(location).toBe('/admin');
    const page = await s.get('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/me/two-factor');
    await s.page('/admin/me/two-factor');
    const { rows } = await db.pool.query<{ id: string }>(`select id from comments where site_id = 'secure'`);
    const call = await s.post(`/admin/comments/${rows[0]!.id}/status`, { action: 'approve' }, { json: true });
    expect(call.status).toBe(403);
    expect(((await call.json()) as { error: { code: string } }).error.code).toBe('TWO_FACTOR_REQUIRED');
    expect(await s.page('/admin/me/two-factor')).toContain('requires two-factor');
    // Enrolling opens the desk.
    await enrol(s);
    expect((await s.get('/admin')).status).toBe(200);
  });

  it('keeps them from turning it off; an admin resets it for a lost phone, and they must enrol again', async () => {
    // Half-way through signing in (the password given, the code not yet) when the admin resets it.
    const { c, location } = await passwordStep('sec@example.org');
    expect(location).toBe('/admin/sign-in/code');
    // Admins have every site, so the secure site's rule is theirs too: the admin enrols first.
    const a = await signedIn('admin@example.org');
    expect((await a.get(`/admin/moderators/${ids.sec}`)).headers.get('location')).toBe('/admin/me/two-factor');
    await enrol(a);
    expect(await a.page(`/admin/moderators/${ids.sec}`)).toContain('Reset two-factor');
    expect((await a.post(`/admin/moderators/${ids.sec}/two-factor/reset`, {})).status).toBe(303);
    const reset = (await actions('sec@example.org')).at(-1);
    expect(reset).toEqual({ action: 'two_factor_disable', detail: { email: 'sec@example.org', reset: true } });
    // The pending sign-in asks for a code no more; a new sign-in goes straight in, to enrol again.
    expect((await c.get('/admin/sign-in/code')).headers.get('location')).toBe('/admin/sign-in');
    const again = await passwordStep('sec@example.org');
    expect(again.location).toBe('/admin');
    expect((await again.c.get('/admin')).headers.get('location')).toBe('/admin/me/two-factor');
    const { codes } = await enrol(again.c);
    expect(codes).toHaveLength(10);
    await again.c.page('/admin/me/two-factor');
    const off = await again.c.post('/admin/me/two-factor/disable', { password: TEST_PASSWORD }, { json: true });
    expect(off.status).toBe(403);
    expect(((await off.json()) as { error: { code: string } }).error.code).toBe('TWO_FACTOR_REQUIRED');
  });

  it('reaches an account already signed in at its next click once an admin turns it on', async () => {
    const c = await signedIn('late@example.org');
    expect((await c.get('/admin')).status).toBe(200);
    await db.pool.query(`update sites set settings = settings || '{"requireTwoFactor": true}' where id = 'late'`);
    const next = await c.get('/admin');
    expect(next.status).toBe(303);
    expect(next.headers.get('location')).toBe('/admin/me/two-factor');
  });
});
