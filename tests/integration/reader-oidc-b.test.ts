import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReaderBySession } from '../../src/readers/reader-sessions.js';
import { saveOidcProvider } from '../../src/readers/oidc-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// OpenID Connect sign-in against a real provider (oidc-provider on loopback): the popup's start page,
// the provider's login and consent (driven without a browser), and the callback's hand-off page.
let db: TestDatabase;
let api: TestApi;
let idp: TestOidcProvider;
const prefix = newQueuePrefix();
const ORIGIN = 'https://news.example';

interface HandOff {
  targetOrigin: string;
  message: {
    type: string;
    site?: string;
    token?: string;
    expiresAt?: string;
    reader?: Record<string, unknown>;
    message?: string;
  };
}

function handOffOf(page: string): HandOff | null {
  const m = /<script type="application\/json" id="rd-hand-off">([\s\S]*?)<\/script>/.exec(page);
  return m ? (JSON.parse(m[1]!) as HandOff) : null;
}

/** The popup's first request: the provider's URL and the state cookie. */
async function start(q: Record<string, string> = {}): Promise<{ res: Response; location: string; cookie: string }> {
  const params = new URLSearchParams({ site: 'news', provider: 'idp', origin: ORIGIN, ...q });
  const res = await fetch(`${api.url}/readers/oidc/start?${params}`, { redirect: 'manual' });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('rd_oidc_state=')) ?? '';
  return { res, location: res.headers.get('location') ?? '', cookie: setCookie.split(';')[0]! };
}

const callback = (url: URL | string, cookie?: string): Promise<Response> =>
  fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  idp = await startOidcProvider({
    redirectUri: `${api.url}/readers/oidc/callback`,
    accounts: {
      alice: { name: 'Alice Example', email: 'Alice@Example.org', email_verified: true },
      bob: { preferred_username: 'bobby', email: 'bob@example.org', email_verified: false },
      carol: { email: 'carol.c@example.org', email_verified: true },
    },
  });
  await addSite(db.pool, 'news', [ORIGIN]);
  await addSite(db.pool, 'nooidc', [ORIGIN], { signInMethods: ['sso'] });
  await saveOidcProvider(
    db.pool,
    {
      siteId: 'news',
      id: 'idp',
      name: 'Newsroom ID',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    },
    { actorId: null, actor: 'test' },
  );
  await saveOidcProvider(
    db.pool,
    {
      siteId: 'news',
      id: 'down',
      name: 'Down ID',
      // Nothing listens on port 1.
      issuer: 'http://127.0.0.1:1',
      clientId: 'x',
      clientSecret: 'y',
    },
    { actorId: null, actor: 'test' },
  );
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('OpenID Connect sign-in', () => {
  it('signs in through the provider; the hand-off page carries a working token for the site origin only', async () => {
    const s = await start();
    expect(s.res.status).toBe(303);
    const auth = new URL(s.location);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('scope')).toBe('openid email profile');
    expect(auth.searchParams.get('nonce')).toBeTruthy();
    expect(auth.searchParams.get('redirect_uri')).toBe(`${api.url}/readers/oidc/callback`);
    const setCookie = s.res.headers.getSetCookie().find((c) => c.startsWith('rd_oidc_state='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\/readers\/oidc/);
    expect(s.cookie).toBe(`rd_oidc_state=${auth.searchParams.get('state')}`);

    const back = await idp.signIn(s.location, 'alice');
    const res = await callback(back, s.cookie);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
    const page = await res.text();
    expect(page).toContain('<script src="/assets/reader-hand-off.js"></script>');
    const data = handOffOf(page)!;
    expect(data.targetOrigin).toBe(ORIGIN);
    expect(data.message).toMatchObject({
      type: 'reply-desk:signed-in',
      site: 'news',
      reader: { name: 'Alice Example', via: 'oidc', email: 'alice@example.org', verified: true },
    });
    const reader = await findReaderBySession(db.pool, data.message.token!, 'news');
    expect(reader?.name).toBe('Alice Example');
    const row = await db.pool.query('select identity, email from readers where id = $1', [reader!.id]);
    expect(row.rows[0]).toEqual({ identity: 'oidc:idp:alice', email: 'alice@example.org' });

    // The script the page runs is ours, served from /assets.
    const script = await fetch(`${api.url}/assets/reader-hand-off.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('window.opener.postMessage(data.message, data.targetOrigin)');

    // Replayed: the flow was spent.
    const replay = await callback(back, s.cookie);
    expect(replay.status).toBe(400);
    const replayPage = await replay.text();
    expect(replayPage).not.toContain('rdr_');
    expect(handOffOf(replayPage)).toBeNull();
  });

  it('refuses a callback without the state cookie (another browser), and spends the flow', async () => {
    const s = await start();
    const back = await idp.signIn(s.location, 'alice');
    const res = await callback(back);
    expect(res.status).toBe(400);
    const data = handOffOf(await res.text())!;
    expect(data).toEqual({
      targetOrigin: ORIGIN,
      message: { type: 'reply-desk:sign-in-failed', message: expect.stringContaining('another browser') },
    });
    // The right cookie afterwards finds nothing left.
    expect((await callback(back, s.cookie)).status).toBe(400);
  });

  it('refuses a tampered state, even with a cookie to match it', async () => {
    const s = await start();
    const back = await idp.signIn(s.location, 'alice');
    const state = back.searchParams.get('state')!;
    const forged = new URL(back);
    forged.searchParams.set('state', `${state.slice(0, -2)}xx`);
    const res = await callback(forged, `rd_oidc_state=${forged.searchParams.get('state')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('rdr_');
    // And a cookie that does not match the URL's state.
    const other = await callback(back, 'rd_oidc_state=someone-elses-state');
    expect(other.status).toBe(400);
    expect(handOffOf(await other.text())?.message.type).toBe('reply-desk:sign-in-failed');
  });

  it('refuses an ID token whose nonce is not the flow’s', async () => {
    const s = await start();
    const back = await idp.signIn(s.location, 'alice');
    await db.pool.query(`update reader_oidc_flows set nonce = 'a-nonce-the-provider-never-saw-0123'`);
    const res = await callback(back, s.cookie);
    expect(res.status).toBe(400);
    const data = handOffOf(await res.text())!;
    expect(data.message.type).toBe('reply-desk:sign-in-failed');
    expect(data.message).not.toHaveProperty('token');
  });

  it('keeps an email only when the provider verified it; names fall back to the username or the local part', async () => {
    const bob = await start();
    const bobData = handOffOf(await (await callback(await idp.signIn(bob.location, 'bob'), bob.cookie)).text())!;
    expect(bobData.message.type).toBe('reply-desk:signed-in');
    expect(bobData.message.reader).toMatchObject({ name: 'bobby' });
    expect(bobData.message.reader).not.toHaveProperty('email');
    const bobRow = await db.pool.query(`select email from readers where identity = 'oidc:idp:bob'`);
    expect(bobRow.rows[0].email).toBe('');

    const carol = await start();
    const carolData = handOffOf(
      await (await callback(await idp.signIn(carol.location, 'carol'), carol.cookie)).text(),
    )!;
    expect(carolData.message.reader).toMatchObject({ name: 'carol.c', email: 'carol.c@example.org' });
  });

  it('answers readable pages for a foreign origin, a site without OIDC, an unknown provider and an unreachable one', async () => {
    const foreign = await start({ origin: 'https://evil.example' });
    expect(foreign.res.status).toBe(403);
    expect(foreign.cookie).toBe('');
    expect(handOffOf(await foreign.res.text())).toBeNull();

    const off = await start({ site: 'nooidc' });
    expect(off.res.status).toBe(403);
    const unknown = await start({ provider: 'nope' });
    expect(unknown.res.status).toBe(404);
    const noSite = await start({ site: 'gone' });
    expect(noSite.res.status).toBe(404);

    const down = await start({ provider: 'down' });
    expect(down.res.status).toBe(502);
    expect(down.res.headers.get('content-type')).toContain('text/html');
    expect(handOffOf(await down.res.text())?.message).toEqual({
      type: 'reply-desk:sign-in-failed',
      message: expect.stringContaining('Down ID cannot be reached'),
    });
  });

  it('a callback with no state, or with the provider’s error, is a page, never a 500', async () => {
    expect((await callback(`${api.url}/readers/oidc/callback`)).status).toBe(400);
    const s = await start();
    const state = new URL(s.location).searchParams.get('state')!;
    const cancelled = await callback(`${api.url}/readers/oidc/callback?error=access_denied&state=${state}`, s.cookie);
    expect(cancelled.status).toBe(400);
    expect(handOffOf(await cancelled.text())?.message.message).toBe('Sign-in was cancelled.');
  });

  it('speaks the widget’s language from start to hand-off; before there is a flow, the browser’s', async () => {
    const s = await start({ lang: 'fr' });
    const page = await (await callback(await idp.signIn(s.location, 'carol'), s.cookie)).text();
    expect(page).toContain('<html lang="fr"');
    expect(page).toContain('<h1>Connexion réussie</h1>');
    expect(page).toContain('Vous êtes connecté en tant que carol.c.');
    expect(handOffOf(page)?.message.type).toBe('reply-desk:signed-in');

    // Arabic, right to left, and the failure told to the widget in it too.
    const ar = await start({ lang: 'ar' });
    const state = new URL(ar.location).searchParams.get('state')!;
    const cancelled = await (
      await callback(`${api.url}/readers/oidc/callback?error=access_denied&state=${state}`, ar.cookie)
    ).text();
    expect(cancelled).toContain('dir="rtl"');
    expect(handOffOf(cancelled)?.message.message).toBe('أُلغي تسجيل الدخول.');

    // No flow to ask: a German browser reads German.
    const expired = await fetch(`${api.url}/readers/oidc/callback?state=nope`, {
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('Anmeldung abgelaufen');
    // A language we do not speak: English.
    const xx = await fetch(`${api.url}/readers/oidc/start?site=gone&lang=xx`);
    expect(await xx.text()).toContain('This sign-in link names no site we know.');
  });
});
