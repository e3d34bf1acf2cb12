import type { AddressInfo } from 'node:net';
import { SignJWT, type JWTPayload } from 'jose';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSsoSecret } from '../../src/readers/sso-secrets.js';
import { insertReplySubscription } from '../../src/store/mail-notices.js';
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
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// A signed-in reader's own account through the real API, worker and a local SMTP sink (issue 14): my
// comments (held ones too, newest first, paged), per-comment and global reply-mail switches, reply
// mails to a verified reader without the guests' confirmation step, the export, and erasure in both
// of the site's modes, queued jobs included.
//
// Comments are posted as guests through the API and stored by the worker; the test then links them
// to the reader (`update comments set reader_id`), standing in for intake with a reader token (helper
// C's change) so this file does not depend on it.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let smtp: SMTPServer;
const prefix = newQueuePrefix();
const SECRET = 'account-secret-account-secret-account-01';
const mails: { to: string[]; mail: ParsedMail }[] = [];

function mailsTo(address: string): ParsedMail[] {
  return mails.filter((m) => m.to.includes(address)).map((m) => m.mail);
}

interface SignedIn {
  token: string;
  id: string;
  email: string;
}

async function signIn(site: string, sub: string, claims: JWTPayload = {}): Promise<SignedIn> {
  const now = Math.floor(Date.now() / 1000);
  const sso = await new SignJWT({ sub, name: `Reader ${sub}`, email: `${sub}@example.org`, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(SECRET));
  const res = await fetch(`${api.url}/api/readers/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: api.origin },
    body: JSON.stringify({ site, sso }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { token: string; reader: { id: string; email?: string } };
  return { token: body.token, id: body.reader.id, email: body.reader.email ?? '' };
}

function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method,
    headers: {
      origin: api.origin,
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

let n = 0;
/** A comment stored by the worker, as a guest: `reader` given, it is then linked to that reader. */
async function comment(
  site: string,
  opts: { reader?: SignedIn; parent?: string; body?: string; email?: string; page?: string } = {},
): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site,
      page: opts.page ?? 'article-1',
      pageUrl: `${api.origin}/${opts.page ?? 'article-1'}`,
      author: opts.reader ? `Reader` : `Guest ${n}`,
      email: opts.email ?? (opts.reader ? opts.reader.email : `guest-${n}@example.org`),
      body: opts.body ?? `Account comment number ${n}`,
      ...(opts.parent ? { parent: opts.parent } : {}),
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const id = ((await res.json()) as { id: string }).id;
  await waitForStored(db.pool, id);
  if (opts.reader)
    await db.pool.query('update comments set reader_id = $2, author_verified = true where id = $1', [
      id,
      opts.reader.id,
    ]);
  return id;
}

interface OwnComment {
  id: string;
  page: string;
  pageUrl: string | null;
  status: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  notifyReplies: boolean;
}

async function myComments(
  r: SignedIn,
  site: string,
  query = '',
): Promise<{ comments: OwnComment[]; nextCursor: string | null }> {
  const res = await call('GET', `/api/readers/me/comments?site=${site}${query}`, r.token);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return (await res.json()) as { comments: OwnComment[]; nextCursor: string | null };
}

beforeAll(async () => {
  db = await createTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  api = await startApi({ pool: db.pool, prefix, replyMail: true });
  const open = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 };
  await addSite(db.pool, 'keep', [api.origin], { ...open, readerErasure: 'anonymize' });
  await addSite(db.pool, 'wipe', [api.origin], { ...open, readerErasure: 'remove' });
  for (const site of ['keep', 'wipe'])
    await setSsoSecret(db.pool, { siteId: site, secret: SECRET, actorId: null, actor: 'test' });
  worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      publicUrl: api.url,
      digestIntervalMs: 60_000,
      digestSweepMs: 200,
      linkTtlSeconds: 3600,
    },
  });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('GET /api/readers/me/comments', () => {
  it("lists the reader's own comments newest first, held and rejected too (spam shows as held), paged by cursor", async () => {
    const me = await signIn('keep', 'lister');
    const other = await signIn('keep', 'other-lister');
    const published = await comment('keep', { reader: me, page: 'list-a' });
    const spam = await comment('keep', { reader: me, page: 'list-b' });
    const held = await comment('keep', { reader: me, page: 'list-a' });
    const rejected = await comment('keep', { reader: me, page: 'list-b' });
    // A guest who typed the reader's address is somebody else: not theirs.
    const guest = await comment('keep', { email: me.email, page: 'list-a' });
    await comment('keep', { reader: other, page: 'list-a' });
    await db.pool.query(`update comments set status = 'spam' where id = $1`, [spam]);
    await db.pool.query(`update comments set status = 'pending' where id = $1`, [held]);
    await db.pool.query(`update comments set status = 'rejected' where id = $1`, [rejected]);

    const first = await myComments(me, 'keep', '&limit=3');
    expect(first.comments.map((c) => c.id)).toEqual([rejected, held, spam]);
    expect(first.comments.map((c) => c.status)).toEqual(['rejected', 'held', 'held']);
    expect(first.nextCursor).not.toBeNull();
    const second = await myComments(me, 'keep', `&limit=3&cursor=${first.nextCursor}`);
    expect(second.comments.map((c) => c.id)).toEqual([published]);
    expect(second.nextCursor).toBeNull();
    const c = second.comments[0]!;
    expect(c).toMatchObject({
      status: 'published',
      page: 'list-a',
      pageUrl: `${api.origin}/list-a`,
      editedAt: null,
      notifyReplies: true,
    });
    expect(c.html).toContain('Account comment number');
    expect(Number.isNaN(Date.parse(c.createdAt))).toBe(false);
    const all = await myComments(me, 'keep');
    expect(all.comments.map((x) => x.id)).not.toContain(guest);
    expect(all.comments).toHaveLength(4);
  });

  it('refuses a bad limit or cursor with 400, and a token of another site with 401', async () => {
    const me = await signIn('keep', 'bad-input');
    for (const [q, code] of [
      ['&limit=0', 'INVALID_LIMIT'],
      ['&limit=201', 'INVALID_LIMIT'],
      ['&limit=abc', 'INVALID_LIMIT'],
      ['&cursor=nope', 'INVALID_CURSOR'],
    ]) {
      const res = await call('GET', `/api/readers/me/comments?site=keep${q}`, me.token);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const res = await call('GET', '/api/readers/me/comments?site=wipe', me.token);
    expect(res.status).toBe(401);
    const missing = await call('GET', '/api/readers/me/comments', me.token);
    expect(missing.status).toBe(400);
  });
});

describe('reply mails for a signed-in reader', () => {
  it('a verified reader is mailed about a reply at once, with no confirmation step; their own reply tells nobody', async () => {
    const me = await signIn('keep', 'mailed');
    const parent = await comment('keep', { reader: me, body: 'Parent by a verified reader' });
    await comment('keep', { parent, reader: me, body: 'Answering myself' });
    const reply = await comment('keep', { parent, body: 'A guest answers' });
    await waitFor('the reply mail', () => mailsTo(me.email).length >= 1, 15_000);
    const mail = mailsTo(me.email)[0]!;
    expect(mail.subject).toContain('replied to your comment');
    expect(mail.text).toContain('A guest answers');
    expect(mail.text).toContain(`#comment-${reply}`);
    // Settle, then: exactly one mail (nothing for the reader's own reply), and never a confirmation.
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(me.email)).toHaveLength(1);
    expect(mailsTo(me.email).some((m) => m.subject?.startsWith('Confirm'))).toBe(false);

    // The mail's one-click unsubscribe mutes this comment, as the switch in "my comments" does.
    const listLine = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribeUrl = /<([^>]+)>/.exec(listLine)?.[1] ?? '';
    const res = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    const listed = (await myComments(me, 'keep')).comments.find((c) => c.id === parent)!;
    expect(listed.notifyReplies).toBe(false);
    await comment('keep', { parent, body: 'Too late for mail' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(me.email)).toHaveLength(1);
  });

  it("a reader's opt-in queues no confirmation mail (their address is verified); a guest's still does", async () => {
    const me = await signIn('keep', 'opted-in');
    const mine = await comment('keep', { reader: me });
    const guest = await comment('keep', { email: 'opting-guest@example.org' });
    await insertReplySubscription(db.pool, { commentId: mine, siteId: 'keep', email: me.email });
    await insertReplySubscription(db.pool, { commentId: guest, siteId: 'keep', email: 'opting-guest@example.org' });
    const owed = await db.pool.query<{ email: string }>(
      `select email from reply_mail_addresses where site_id = 'keep' and email = any($1) order by email`,
      [[me.email, 'opting-guest@example.org']],
    );
    expect(owed.rows.map((r) => r.email)).toEqual(['opting-guest@example.org']);
  });

  it('PATCH /api/readers/me/comments/:id switches one comment; the global switch stops them all', async () => {
    const me = await signIn('keep', 'switcher');
    const stranger = await signIn('keep', 'stranger');
    const muted = await comment('keep', { reader: me, body: 'Muted one' });
    const loud = await comment('keep', { reader: me, body: 'Loud one' });

    const off = await call('PATCH', `/api/readers/me/comments/${muted}`, me.token, {
      site: 'keep',
      notifyReplies: false,
    });
    expect(off.status).toBe(200);
    expect(await off.json()).toEqual({ id: muted, notifyReplies: false });
    // Not theirs, not a comment, not a boolean.
    const foreign = await call('PATCH', `/api/readers/me/comments/${muted}`, stranger.token, {
      site: 'keep',
      notifyReplies: true,
    });
    expect(foreign.status).toBe(404);
    expect(
      (await call('PATCH', '/api/readers/me/comments/xyz', me.token, { site: 'keep', notifyReplies: true })).status,
    ).toBe(404);
    expect((await call('PATCH', `/api/readers/me/comments/${loud}`, me.token, { site: 'keep' })).status).toBe(400);

    await comment('keep', { parent: muted, body: 'Reply to the muted one' });
    await comment('keep', { parent: loud, body: 'Reply to the loud one' });
    await waitFor('the loud reply mail', () => mailsTo(me.email).length >= 1, 15_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mailsTo(me.email).map((m) => m.text ?? '')).toEqual([expect.stringContaining('Reply to the loud one')]);

    // Back on: the muted comment mails again.
    expect(
      (await call('PATCH', `/api/readers/me/comments/${muted}`, me.token, { site: 'keep', notifyReplies: true }))
        .status,
    ).toBe(200);
    await comment('keep', { parent: muted, body: 'Second reply to the once muted one' });
    await waitFor('the unmuted reply mail', () => mailsTo(me.email).length >= 2, 15_000);

    // Globally off: nothing for any comment.
    expect((await call('PATCH', '/api/readers/me', me.token, { site: 'keep', notifyReplies: false })).status).toBe(200);
    expect((await myComments(me, 'keep')).comments.every((c) => !c.notifyReplies)).toBe(true);
    await comment('keep', { parent: loud, body: 'Reply nobody hears of' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(mailsTo(me.email)).toHaveLength(2);
  });
});

describe('GET /api/readers/me/export', () => {
  it('is a JSON download of the profile, every comment and the sessions, without any token', async () => {
    const me = await signIn('keep', 'exporter');
    const second = await signIn('keep', 'exporter');
    const a = await comment('keep', { reader: me, body: 'Exported text one' });
    await db.pool.query(`update comments set status = 'spam' where id = $1`, [a]);
    await comment('keep', { reader: me, body: 'Exported text two' });
    const res = await call('GET', '/api/readers/me/export?site=keep', me.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="reply-desk-keep-my-data\.json"$/);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    expect(text).not.toContain(me.token);
    expect(text).not.toContain(second.token);
    const data = JSON.parse(text) as {
      profile: { id: string; email: string; via: string; name: string };
      comments: { body: string; status: string; page: string; receivedAt: string }[];
      sessions: { createdAt: string; lastUsedAt: string; userAgent: string }[];
    };
    expect(data.profile).toMatchObject({
      id: me.id,
      email: 'exporter@example.org',
      via: 'sso',
      name: 'Reader exporter',
    });
    expect(data.comments.map((c) => [c.body, c.status])).toEqual([
      ['Exported text one', 'held'],
      ['Exported text two', 'published'],
    ]);
    expect(data.comments[0]!.page).toBe('article-1');
    expect(data.sessions).toHaveLength(2);
    expect(Object.keys(data.sessions[0]!).sort()).toEqual(['createdAt', 'expiresAt', 'lastUsedAt', 'userAgent']);
  });
});

describe('DELETE /api/readers/me (erase)', () => {
  it('anonymize: sessions end, the reader is gone, comments keep their text as a deleted user', async () => {
    const me = await signIn('keep', 'eraser', { avatar: 'https://img.example/e.png' });
    const other = await signIn('keep', 'eraser');
    const kept = await comment('keep', { reader: me, page: 'erase-keep', body: 'Words that stay' });
    await db.pool.query(
      `update comments set author_staff = true, author_avatar = 'https://img.example/e.png' where id = $1`,
      [kept],
    );
    await db.pool.query(`insert into reader_reply_mutes (comment_id) values ($1)`, [kept]);
    const res = await call('DELETE', '/api/readers/me?site=keep', me.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: true, comments: 1, mode: 'anonymize' });
    expect((await call('GET', '/api/readers/me?site=keep', me.token)).status).toBe(401);
    expect((await call('GET', '/api/readers/me?site=keep', other.token)).status).toBe(401);
    expect((await db.pool.query('select 1 from readers where id = $1', [me.id])).rowCount).toBe(0);
    expect((await db.pool.query('select 1 from reader_sessions where reader_id = $1', [me.id])).rowCount).toBe(0);
    const row = (
      await db.pool.query(
        `select status, body, author_name, author_email, author_url, author_avatar, author_verified, author_staff, reader_id, ip
           from comments where id = $1`,
        [kept],
      )
    ).rows[0];
    expect(row).toEqual({
      status: 'approved',
      body: 'Words that stay',
      author_name: '',
      author_email: '',
      author_url: '',
      author_avatar: '',
      author_verified: false,
      author_staff: false,
      reader_id: null,
      ip: null,
    });
    // The thread shows the text under nobody's name.
    const thread = (await (
      await fetch(`${api.url}/api/comments?site=keep&page=erase-keep`, { headers: { origin: api.origin } })
    ).json()) as { comments: { id: string; author: { name: string; verified: boolean } }[] };
    const shown = thread.comments.find((c) => c.id === kept)!;
    expect(shown.author).toMatchObject({ name: '', verified: false });
    expect(JSON.stringify(thread)).not.toContain('eraser');
    const event = await db.pool.query(
      `select actor, detail from moderation_events where action = 'privacy_erase' and detail->>'reader' = $1`,
      [me.id],
    );
    expect(event.rows[0]).toMatchObject({ actor: 'readers', detail: { mode: 'anonymize', comments: 1 } });
    expect(JSON.stringify(event.rows[0])).not.toContain('eraser@example.org');
  });

  it("remove: comments become tombstones without text, and the reader's queued submissions are purged", async () => {
    const me = await signIn('wipe', 'remover');
    const gone = await comment('wipe', { reader: me, body: 'Words that go' });
    const reply = await comment('wipe', { parent: gone, body: 'A reply that stays' });
    // A submission of theirs still waiting in the queue would store their comment after the erasure.
    const job = await api.queue.add(
      'submit',
      {
        id: '00000000-0000-4000-8000-000000000001',
        siteId: 'wipe',
        page: 'article-1',
        pageUrl: null,
        pageTitle: null,
        parentId: null,
        author: 'Reader remover',
        email: me.email,
        url: '',
        body: 'Queued words',
        honeypot: '',
        key: null,
        ip: '127.0.0.1',
        userAgent: '',
        referrer: '',
        receivedAt: new Date().toISOString(),
        source: 'json',
        reader: { id: Number(me.id), staff: false, avatar: '' },
      } as never,
      { delay: 3_600_000 },
    );
    const bystander = await api.queue.add('submit', { siteId: 'wipe', email: 'someone@example.org' } as never, {
      delay: 3_600_000,
    });
    const res = await call('DELETE', '/api/readers/me?site=wipe', me.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ erased: true, comments: 1, mode: 'remove' });
    const row = (
      await db.pool.query(
        'select status, body, body_html, author_name, author_email, reader_id from comments where id = $1',
        [gone],
      )
    ).rows[0];
    expect(row).toEqual({
      status: 'deleted',
      body: '',
      body_html: '',
      author_name: '',
      author_email: '',
      reader_id: null,
    });
    expect((await db.pool.query('select status, body from comments where id = $1', [reply])).rows[0]).toEqual({
      status: 'approved',
      body: 'A reply that stays',
    });
    expect(await api.queue.getJob(job.id!)).toBeUndefined();
    expect(await api.queue.getJob(bystander.id!)).toBeDefined();
    await bystander.remove();
  });

  it('a reader of the other site, and a request from a foreign origin, cannot erase', async () => {
    const me = await signIn('keep', 'survivor');
    expect((await call('DELETE', '/api/readers/me?site=wipe', me.token)).status).toBe(401);
    const foreign = await fetch(`${api.url}/api/readers/me?site=keep`, {
      method: 'DELETE',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${me.token}` },
    });
    expect(foreign.status).toBe(403);
    expect((await call('GET', '/api/readers/me?site=keep', me.token)).status).toBe(200);
  });
});
