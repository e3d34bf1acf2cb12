import type { ParsedMail } from 'mailparser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findReaderBySession } from '../../src/readers/reader-sessions.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  startWorker,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Email sign-in end to end: the API asks, the real mail worker sends through a local SMTP sink, the
// link's page confirms, and the asking browser's poll collects its session once.
let db: TestDatabase;
let api: TestApi;
let noMail: TestApi;
let worker: { close(): Promise<void> };
let sink: SmtpSink;
const prefix = newQueuePrefix();
const otherPrefix = newQueuePrefix();
const ORIGIN = 'https://blog.example';

function call(base: TestApi, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  });
}

function linkIn(mail: ParsedMail): string {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/readers\/email\/confirm\?t=[A-Za-z0-9_-]+)/.exec(mail.text ?? '');
  if (!m) throw new Error(`no sign-in link in: ${mail.text}`);
  return m[1]!;
}

async function ask(email: string, site = 'blog', name = 'Ann Reader'): Promise<{ request: string; expiresAt: string }> {
  const res = await call(api, '/api/readers/email', { site, email, name });
  expect(res.status).toBe(202);
  return (await res.json()) as { request: string; expiresAt: string };
}

async function confirm(link: string): Promise<Response> {
  const t = new URL(link).searchParams.get('t')!;
  return fetch(`${api.url}/readers/email/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.url },
    body: new URLSearchParams({ t }).toString(),
  });
}

const poll = (request: string, site = 'blog') => call(api, '/api/readers/email/poll', { site, request });

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink();
  api = await startApi({ pool: db.pool, prefix, emailQueue: true, trustProxy: 'loopback' });
  noMail = await startApi({ pool: db.pool, prefix: otherPrefix });
  await addSite(db.pool, 'blog', [ORIGIN]);
  await addSite(db.pool, 'nomail', [ORIGIN], { signInMethods: ['sso', 'oidc'] });
  worker = await startWorker({ pool: db.pool, prefix, notifications: { smtpUrl: sink.url, publicUrl: api.url } });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await noMail?.close();
  await sink?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
  await deleteQueueKeys(otherPrefix);
});

describe('email sign-in', () => {
  it('mails a link whose GET changes nothing; the POST signs in; the poll hands the token once', async () => {
    const asked = await ask('Ann@Example.org');
    expect(asked.request).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(asked.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect((await poll(asked.request)).status).toBe(202);

    const mail = await sink.waitForMail('ann@example.org');
    expect(mail.subject).toBe('Sign in to comment on Site blog');
    // The typed name is not the mail's to carry.
    expect(mail.text).not.toContain('Ann Reader');
    const link = linkIn(mail);

    // A mail scanner's GET: a page with a button, nothing spent, nobody signed in.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<form method="post" action="/readers/email/confirm">');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const again = await fetch(link);
    expect(again.status).toBe(200);
    const before = await db.pool.query(`select count(*)::int as n from readers where site_id = 'blog'`);
    expect(before.rows[0].n).toBe(0);
    const pending = await poll(asked.request);
    expect(pending.status).toBe(202);
    expect(await pending.json()).toEqual({ status: 'pending' });

    const done = await confirm(link);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You are signed in to Site blog; return to the article.');

    const got = await poll(asked.request);
    expect(got.status).toBe(200);
    const session = (await got.json()) as { token: string; expiresAt: string; reader: Record<string, unknown> };
    expect(session.token).toMatch(/^rdr_/);
    expect(session.reader).toMatchObject({
      name: 'Ann Reader',
      via: 'email',
      email: 'ann@example.org',
      verified: true,
    });
    const reader = await findReaderBySession(db.pool, session.token, 'blog');
    expect(reader?.email).toBe('ann@example.org');
    expect(await findReaderBySession(db.pool, session.token, 'nomail')).toBeNull();
    const row = await db.pool.query(`select identity from readers where id = $1`, [reader!.id]);
    expect(row.rows[0].identity).toBe('email:ann@example.org');

    // Once: the second poll gets no token.
    const twice = await poll(asked.request);
    expect(twice.status).toBe(410);
    expect(((await twice.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_EXPIRED');
    // Nor does the request work for another site.
    expect((await poll(asked.request, 'nomail')).status).toBe(410);

    // A link works once.
    const used = await confirm(link);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain('already used');
    expect((await fetch(link)).status).toBe(410);
  });

  it('an expired link is refused, on the page and the poll, and signs nobody in', async () => {
    const asked = await ask('late@example.org');
    const link = linkIn(await sink.waitForMail('late@example.org'));
    await db.pool.query(
      `update reader_email_sign_ins set expires_at = now() - interval '1 second', created_at = now() - interval '16 minutes'
        where email = 'late@example.org'`,
    );
    const page = await fetch(link);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('expired');
    expect((await confirm(link)).status).toBe(410);
    expect((await poll(asked.request)).status).toBe(410);
    const readers = await db.pool.query(`select 1 from readers where email = 'late@example.org'`);
    expect(readers.rowCount).toBe(0);
  });

  it('a made-up link or request gets the readable 410, never a 500', async () => {
    const res = await fetch(`${api.url}/readers/email/confirm?t=${'A'.repeat(43)}`);
    expect(res.status).toBe(410);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${api.url}/readers/email/confirm?t=%3Cscript%3E`)).status).toBe(410);
    expect((await poll('not-a-request')).status).toBe(410);
  });

  it('refuses a foreign origin, a method the site does not offer, and a server without mail', async () => {
    const foreign = await call(
      api,
      '/api/readers/email',
      { site: 'blog', email: 'x@example.org', name: 'X' },
      {
        origin: 'https://evil.example',
      },
    );
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');

    const off = await call(api, '/api/readers/email', { site: 'nomail', email: 'x@example.org', name: 'X' });
    expect(off.status).toBe(403);
    expect(((await off.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_METHOD_OFF');

    const noSmtp = await call(noMail, '/api/readers/email', { site: 'blog', email: 'x@example.org', name: 'X' });
    expect(noSmtp.status).toBe(403);
    expect(((await noSmtp.json()) as { error: { code: string } }).error.code).toBe('SIGN_IN_METHOD_OFF');
  });

  it('bad input is a clear 4xx with the field named', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ site: 'blog', email: 'nope', name: 'X' }, 422, 'INVALID_EMAIL', 'email'],
      [{ site: 'blog', email: 'a@example.org' }, 400, 'REQUIRED', 'name'],
      [{ site: 'blog', email: 'a@example.org', name: 'a\u202eb' }, 422, 'INVALID_CHARACTERS', 'name'],
      [{ site: 'blog', email: ['a@example.org'], name: 'X' }, 400, 'INVALID_TYPE', 'email'],
      [{ site: 'gone', email: 'a@example.org', name: 'X' }, 404, 'UNKNOWN_SITE', 'site'],
    ];
    for (const [body, status, code, field] of cases) {
      const res = await call(api, '/api/readers/email', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code, field } });
    }
  });

  it('limits an address to one mail a minute and five an hour, and a network to twenty an hour', async () => {
    await ask('busy@example.org');
    const second = await call(api, '/api/readers/email', { site: 'blog', email: 'BUSY@example.org', name: 'B' });
    expect(second.status).toBe(429);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(second.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // Five in the hour (moved back past the minute) → the sixth waits for the oldest to leave the hour.
    await db.pool.query(
      `insert into reader_email_sign_ins (site_id, email, name, request_hash, expires_at, created_at)
       select 'blog', 'busy@example.org', 'B', sha256(('busy' || g)::bytea), now(), now() - make_interval(mins => 10 * g)
         from generate_series(1, 4) g`,
    );
    await db.pool.query(
      `update reader_email_sign_ins set created_at = now() - interval '2 minutes' where email = 'busy@example.org' and created_at > now() - interval '1 minute'`,
    );
    const hourly = await call(api, '/api/readers/email', { site: 'blog', email: 'busy@example.org', name: 'B' });
    expect(hourly.status).toBe(429);
    const wait = Number(hourly.headers.get('retry-after'));
    // The oldest of the five is 40 minutes old: some 20 minutes to wait.
    expect(wait).toBeGreaterThan(15 * 60);
    expect(wait).toBeLessThanOrEqual(21 * 60);

    // Twenty from one network (X-Forwarded-For from the trusted loopback proxy), each a new address.
    const from = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 0; i < 20; i++) {
      const res = await call(api, '/api/readers/email', { site: 'blog', email: `n${i}@example.org`, name: 'N' }, from);
      expect(res.status).toBe(202);
    }
    const over = await call(api, '/api/readers/email', { site: 'blog', email: 'n20@example.org', name: 'N' }, from);
    expect(over.status).toBe(429);
    // Another network is not held up by it.
    const elsewhere = await call(
      api,
      '/api/readers/email',
      { site: 'blog', email: 'n21@example.org', name: 'N' },
      {
        'x-forwarded-for': '198.51.100.9',
      },
    );
    expect(elsewhere.status).toBe(202);
    // And the stored network is not the address.
    const nets = await db.pool.query(`select distinct network from reader_email_sign_ins where email like 'n%'`);
    expect(nets.rows.map((r: { network: string }) => r.network).join()).not.toContain('203.0.113');
  });

  it('the poll waits while the mail is on its way and the link is open', async () => {
    const asked = await ask('slow@example.org');
    const res = await waitFor('a pending poll', async () => {
      const r = await poll(asked.request);
      return r.status === 202 ? r : undefined;
    });
    expect(await res.json()).toEqual({ status: 'pending' });
  });

  it('a link opened while Postgres is away gets a readable page with Retry-After, not JSON', async () => {
    // A pool on a port where nothing listens: every query fails as in an outage.
    const deadPool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 500,
    });
    deadPool.on('error', () => {});
    const down = await startApi({ pool: deadPool, prefix: newQueuePrefix() });
    try {
      const res = await fetch(`${down.url}/readers/email/confirm?t=${'a'.repeat(43)}`);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const page = await res.text();
      expect(page).toContain('briefly unavailable');
      expect(page).not.toContain('DATABASE_UNAVAILABLE');
    } finally {
      await down.close();
      await deadPool.end();
    }
  });
});
