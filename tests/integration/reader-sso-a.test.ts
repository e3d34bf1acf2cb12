import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { setSsoSecret } from '../../src/readers/sso-secrets.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  TEST_REDIS_URL,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Host-site SSO through the real API (issue 14): the host's HS256 token for a reader session, the
// session bound to its site, sign out (one browser, everywhere), and the CLI that sets the secret
// without ever showing it again.
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const NEWS_SECRET = 'news-secret-news-secret-news-secret-0001';
const BLOG_SECRET = 'blog-secret-blog-secret-blog-secret-0002';

async function ssoToken(secret: string, claims: JWTPayload = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: 'user-1',
    name: 'Ada Reader',
    email: 'Ada@Example.org',
    exp: now + 3600,
    iat: now,
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

function call(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; origin?: string | null; type?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (opts.origin !== null) headers.origin = opts.origin ?? api.origin;
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  return fetch(`${api.url}${path}`, {
    method,
    headers,
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
}

async function signIn(site: string, sso: string): Promise<Response> {
  return call('POST', '/api/readers/session', { body: { site, sso } });
}

async function errorOf(res: Response): Promise<{ code: string; field?: string; message: string }> {
  return ((await res.json()) as { error: { code: string; field?: string; message: string } }).error;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin]);
  await addSite(db.pool, 'blog', [api.origin]);
  await addSite(db.pool, 'nosso', [api.origin]);
  await addSite(db.pool, 'ssooff', [api.origin], { signInMethods: ['email'] });
  await addSite(db.pool, 'elsewhere', ['https://elsewhere.example']);
  for (const [site, secret] of [
    ['news', NEWS_SECRET],
    ['blog', BLOG_SECRET],
    ['ssooff', NEWS_SECRET],
    ['elsewhere', NEWS_SECRET],
  ] as const)
    await setSsoSecret(db.pool, { siteId: site, secret, actorId: null, actor: 'test' });
  await api.sites.refresh();
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('POST /api/readers/session (host-site SSO)', () => {
  it('a good token signs the reader in: 200 {token, expiresAt, reader}, and GET /api/readers/me names them', async () => {
    const res = await signIn('news', await ssoToken(NEWS_SECRET, { avatar: 'https://img.example/ada.png' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { token: string; expiresAt: string; reader: Record<string, unknown> };
    expect(body.token).toMatch(/^rdr_[A-Za-z0-9_-]{43}$/);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(body.reader).toMatchObject({
      name: 'Ada Reader',
      verified: true,
      via: 'sso',
      email: 'ada@example.org',
      avatar: 'https://img.example/ada.png',
      notifyReplies: true,
    });
    expect(body.reader.staff).toBeUndefined();

    const me = await call('GET', '/api/readers/me?site=news', { token: body.token });
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(((await me.json()) as { reader: unknown }).reader).toEqual(body.reader);
    // The identity is the host's sub, kept for the site: never shown.
    const row = await db.pool.query('select identity, site_id from readers where id = $1', [body.reader.id]);
    expect(row.rows[0]).toEqual({ identity: 'sso:user-1', site_id: 'news' });
    expect(JSON.stringify(body)).not.toContain('user-1');
  });

  it('the same sub signs in as the same reader, with what the host says now', async () => {
    const a = (await (await signIn('news', await ssoToken(NEWS_SECRET, { sub: 'same' }))).json()) as {
      reader: { id: string };
    };
    const res = await signIn('news', await ssoToken(NEWS_SECRET, { sub: 'same', name: 'Renamed', email: undefined }));
    const b = (await res.json()) as { reader: { id: string; name: string; email?: string } };
    expect(b.reader.id).toBe(a.reader.id);
    expect(b.reader.name).toBe('Renamed');
    expect(b.reader.email).toBeUndefined();
  });

  it('a token signed with another secret is 401 SSO_INVALID; so is one with alg none', async () => {
    const res = await signIn('news', await ssoToken(BLOG_SECRET));
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ code: 'SSO_INVALID', field: 'sso' });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none' })}.${b64({ sub: 'x', name: 'X', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
    const r2 = await signIn('news', none);
    expect(r2.status).toBe(401);
    expect((await errorOf(r2)).code).toBe('SSO_INVALID');
    expect(await db.pool.query(`select 1 from readers where identity = 'sso:x'`)).toMatchObject({ rowCount: 0 });
  });

  it('an expired token is 401 SSO_EXPIRED', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await signIn('news', await ssoToken(NEWS_SECRET, { exp: now - 120, iat: now - 3600 }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('SSO_EXPIRED');
  });

  it('a token whose aud is another site is refused on this one', async () => {
    const res = await signIn('news', await ssoToken(NEWS_SECRET, { aud: 'blog' }));
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('SSO_INVALID');
  });

  it('a site without an SSO secret, or with sso not in signInMethods, is 403 SIGN_IN_METHOD_OFF', async () => {
    for (const site of ['nosso', 'ssooff']) {
      const res = await signIn(site, await ssoToken(NEWS_SECRET));
      expect(res.status, site).toBe(403);
      expect((await errorOf(res)).code).toBe('SIGN_IN_METHOD_OFF');
    }
  });

  it('a page of another origin cannot sign in to the site: 403 ORIGIN_NOT_ALLOWED', async () => {
    const res = await signIn('elsewhere', await ssoToken(NEWS_SECRET));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('ORIGIN_NOT_ALLOWED');
  });

  it('bad requests get a clear error, never a 500', async () => {
    const cases: [Parameters<typeof call>[2], number, string, string?][] = [
      [{ body: 'site=news', type: 'application/x-www-form-urlencoded' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ body: '[1]' }, 400, 'INVALID_BODY'],
      [{ body: '{"site":' }, 400, 'INVALID_JSON'],
      [{ body: { sso: 'x' } }, 400, 'REQUIRED', 'site'],
      [{ body: { site: 'news' } }, 400, 'REQUIRED', 'sso'],
      [{ body: { site: 'news', sso: 42 } }, 400, 'INVALID_TYPE', 'sso'],
      [{ body: { site: ['news'], sso: 'x' } }, 400, 'INVALID_TYPE', 'site'],
      [{ body: { site: 'nope', sso: 'x' } }, 403, 'UNKNOWN_SITE', 'site'],
      [{ body: { site: 'news', sso: 'not.a.token' } }, 401, 'SSO_INVALID', 'sso'],
    ];
    for (const [opts, status, code, field] of cases) {
      const res = await call('POST', '/api/readers/session', opts);
      expect(res.status, JSON.stringify(opts)).toBe(status);
      // A form post gets the service's HTML error page (src/http/error-handler.ts), as on every route.
      if (opts?.type !== undefined) continue;
      const err = await errorOf(res);
      expect(err.code).toBe(code);
      if (field) expect(err.field).toBe(field);
    }
  });
});

describe('reader sessions', () => {
  it('a host page may send the token cross-origin: the preflight allows DELETE, PATCH and Authorization', async () => {
    for (const method of ['DELETE', 'PATCH']) {
      const res = await fetch(`${api.url}/api/readers/me?site=news`, {
        method: 'OPTIONS',
        headers: {
          origin: api.origin,
          'access-control-request-method': method,
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(res.status, method).toBeLessThan(300);
      expect(res.headers.get('access-control-allow-origin')).toBe(api.origin);
      expect(res.headers.get('access-control-allow-methods')).toContain(method);
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    }
  });

  async function session(site: string, secret: string, sub: string): Promise<string> {
    const res = await signIn(site, await ssoToken(secret, { sub }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  }

  it('a token of site news used on site blog is 401 READER_SIGNED_OUT (sessions are bound to a site)', async () => {
    const token = await session('news', NEWS_SECRET, 'bound');
    const res = await call('GET', '/api/readers/me?site=blog', { token });
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('READER_SIGNED_OUT');
    expect((await call('GET', '/api/readers/me?site=news', { token })).status).toBe(200);
  });

  it('no token, a made-up token or a malformed header: 401 READER_SIGNED_OUT', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer rdr_' + 'A'.repeat(43) },
      { authorization: 'Basic abc' },
    ]) {
      const res = await fetch(`${api.url}/api/readers/me?site=news`, { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect((await errorOf(res)).code).toBe('READER_SIGNED_OUT');
    }
  });

  it('sign out ends this browser only; the token stops working', async () => {
    const one = await session('news', NEWS_SECRET, 'leaver');
    const two = await session('news', NEWS_SECRET, 'leaver');
    const out = await call('DELETE', '/api/readers/session?site=news', { token: one });
    expect(out.status).toBe(204);
    expect((await call('GET', '/api/readers/me?site=news', { token: one })).status).toBe(401);
    expect((await call('GET', '/api/readers/me?site=news', { token: two })).status).toBe(200);
    // Signed out already: a second sign out is told so.
    expect((await call('DELETE', '/api/readers/session?site=news', { token: one })).status).toBe(401);
  });

  it('sign out everywhere ends every session of the reader, and nobody else’s', async () => {
    const a = await session('news', NEWS_SECRET, 'everywhere');
    const b = await session('news', NEWS_SECRET, 'everywhere');
    const other = await session('news', NEWS_SECRET, 'bystander');
    const bad = await call('DELETE', '/api/readers/session?site=news&everywhere=maybe', { token: a });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).field).toBe('everywhere');
    expect((await call('DELETE', '/api/readers/session?site=news&everywhere=true', { token: a })).status).toBe(204);
    expect((await call('GET', '/api/readers/me?site=news', { token: a })).status).toBe(401);
    expect((await call('GET', '/api/readers/me?site=news', { token: b })).status).toBe(401);
    expect((await call('GET', '/api/readers/me?site=news', { token: other })).status).toBe(200);
  });

  it('PATCH /api/readers/me: notifyReplies switches; an SSO reader cannot rename themselves (422 NAME_FROM_PROVIDER)', async () => {
    const token = await session('news', NEWS_SECRET, 'patcher');
    const off = await call('PATCH', '/api/readers/me', { token, body: { site: 'news', notifyReplies: false } });
    expect(off.status).toBe(200);
    expect(((await off.json()) as { reader: { notifyReplies: boolean } }).reader.notifyReplies).toBe(false);
    const me = (await (await call('GET', '/api/readers/me?site=news', { token })).json()) as {
      reader: { notifyReplies: boolean };
    };
    expect(me.reader.notifyReplies).toBe(false);
    const rename = await call('PATCH', '/api/readers/me', { token, body: { site: 'news', name: 'Someone Else' } });
    expect(rename.status).toBe(422);
    expect(await errorOf(rename)).toMatchObject({ code: 'NAME_FROM_PROVIDER', field: 'name' });
    const wrong = await call('PATCH', '/api/readers/me', { token, body: { site: 'news', notifyReplies: 'yes' } });
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toMatchObject({ code: 'INVALID_TYPE', field: 'notifyReplies' });
  });

  it('an email reader may pick their name, checked like the comment form’s', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into readers (site_id, via, identity, name, email) values ('news', 'email', 'email:eve@example.org', 'eve', 'eve@example.org') returning id`,
    );
    const { createReaderSession } = await import('../../src/readers/reader-sessions.js');
    const { token } = await createReaderSession(db.pool, Number(rows[0]!.id));
    const ok = await call('PATCH', '/api/readers/me', { token, body: { site: 'news', name: '  Eve Writer ' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { reader: { name: string } }).reader.name).toBe('Eve Writer');
    for (const [name, code] of [
      ['   ', 'REQUIRED'],
      ['x'.repeat(101), 'TOO_LONG'],
      ['Evil\u202Egnp', 'INVALID_CHARACTERS'],
    ]) {
      const res = await call('PATCH', '/api/readers/me', { token, body: { site: 'news', name } });
      expect(res.status, name).toBe(422);
      expect(await errorOf(res)).toMatchObject({ code, field: 'name' });
    }
  });
});

describe('reply-desk site update --sso-secret', () => {
  function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/cli.ts'), ...args], {
        cwd: projectRoot,
        // The most talkative logs: whatever the CLI logs is checked for the secret too.
        env: {
          ...process.env,
          LOG_LEVEL: 'trace',
          DATABASE_URL: db.url,
          REDIS_URL: TEST_REDIS_URL,
          QUEUE_PREFIX: prefix,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (err += String(d)));
      child.on('close', (code) => resolve({ code, out, err }));
    });
  }

  it('generate prints the new secret once, to stdout; show, list, the JSON export and the audit log never hold it', async () => {
    await addSite(db.pool, 'cli-site', [api.origin]);
    const gen = await cli('site', 'update', 'cli-site', '--sso-secret', 'generate');
    expect(gen.code).toBe(0);
    const secret = gen.out.trim().split('\n').pop()!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(gen.out.split(secret)).toHaveLength(2);
    expect(gen.err).not.toContain(secret);
    const stored = await db.pool.query(`select secret from site_sso_secrets where site_id = 'cli-site'`);
    expect(stored.rows[0]?.secret).toBe(secret);

    // It works: a token signed with it signs a reader in.
    expect((await signIn('cli-site', await ssoToken(secret))).status).toBe(200);

    const show = await cli('site', 'show', 'cli-site');
    expect(show.code).toBe(0);
    expect(show.out).toContain('sso secret: set');
    const list = await cli('site', 'list');
    const exported = await cli('export', '--site', 'cli-site');
    expect(exported.code).toBe(0);
    expect(exported.out).toContain('"cli-site"');
    for (const r of [show, list, exported]) {
      expect(r.out).not.toContain(secret);
      expect(r.err).not.toContain(secret);
    }
    const events = await db.pool.query(
      `select detail::text as d from moderation_events where site_id = 'cli-site' and action = 'sso_secret_set'`,
    );
    expect(events.rows.map((r) => r.d)).toEqual(['{"removed": false}']);
    // Each CLI run starts a TypeScript process (a few seconds on a loaded machine).
  }, 120_000);

  it('a typed secret must have 32 characters; none removes it, and SSO is off', async () => {
    const short = await cli('site', 'update', 'cli-site', '--sso-secret', 'too-short');
    expect(short.code).toBe(2);
    expect(short.err).toContain('at least 32');
    const typed = 'typed-secret-typed-secret-typed-secret-1';
    const set = await cli('site', 'update', 'cli-site', '--sso-secret', typed);
    expect(set.code).toBe(0);
    expect(set.out + set.err).not.toContain(typed);
    expect((await signIn('cli-site', await ssoToken(typed))).status).toBe(200);
    const none = await cli('site', 'update', 'cli-site', '--sso-secret', 'none');
    expect(none.code).toBe(0);
    expect((await cli('site', 'show', 'cli-site')).out).toContain('sso secret: none');
    const res = await signIn('cli-site', await ssoToken(typed));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe('SIGN_IN_METHOD_OFF');
    // Each CLI run starts a TypeScript process (a few seconds on a loaded machine).
  }, 120_000);
});
