import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderSession, revokeReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader, type Reader } from '../../src/readers/reader-store.js';
import { generateSsoSecret, getSsoSecret, setSsoSecret } from '../../src/readers/sso-secrets.js';
import type { Job } from 'bullmq';
import { createLogger } from '../../src/logger.js';
import type { TrainingJob } from '../../src/queue/training-queue.js';
import { changeStatus } from '../../src/store/moderation-actions.js';
import { createTrainingProcessor } from '../../workers/training-processor.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { addModerator } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 14, item 7: trust rests on identity. Through the real API and worker: a signed-in reader's
 * comments are judged by their own history, bans and trust; a guest typing a reader's, a trusted
 * author's or a moderator's email is a first-timer who inherits nothing; `guests: false` takes readers
 * only. X-Forwarded-For from loopback is believed, so each post can come from its own address (IP rules
 * stay as they were and must not be what decides here).
 */
let db: TestDatabase;
let api: TestApi;
let limited: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();

// No flood window, no link holds: the first-time hold and trust are what these sites test.
const calm = { floodSeconds: 0, holdLinks: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  // A second API on the same queue with intake rate limits on (per email: one a minute).
  limited = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback', flood: {} });
  await addSite(db.pool, 'news', [api.origin, limited.origin], calm);
  await addSite(db.pool, 'members', [api.origin], { ...calm, guests: false });
  await addSite(db.pool, 'fast', [api.origin], { floodSeconds: 600, holdFirstTime: false, holdLinks: 0 });
  await addSite(db.pool, 'ratelimited', [limited.origin], {
    ...calm,
    holdFirstTime: false,
    rateLimitEmail: 1,
    surgeFactor: 0,
  });
  await api.sites.refresh();
  await limited.sites.refresh();
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await limited?.close();
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

/**
 * The host site's SSO: the test signs a token as a newsroom's template would, and the reader is the
 * identity it vouches for. Until POST /api/readers/session is merged, the token is checked here with
 * the same library and the reader and session are made directly (src/readers), as the route does.
 */
async function ssoSignIn(
  site: string,
  claims: { sub: string; name: string; email?: string; url?: string; avatar?: string },
): Promise<{ token: string; reader: Reader }> {
  let secret = await getSsoSecret(db.pool, site);
  if (secret === null) {
    secret = generateSsoSecret();
    await setSsoSecret(db.pool, { siteId: site, secret, actorId: null, actor: 'test' });
  }
  const key = new TextEncoder().encode(secret);
  const jwt = await new SignJWT({ name: claims.name, email: claims.email, url: claims.url, avatar: claims.avatar })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(key);
  const { payload } = await jwtVerify(jwt, key, { algorithms: ['HS256'] });
  const reader = await upsertReader(db.pool, {
    siteId: site,
    via: 'sso',
    identity: `sso:${payload.sub}`,
    name: String(payload.name),
    email: typeof payload.email === 'string' ? payload.email : '',
    url: typeof payload.url === 'string' ? payload.url : '',
    avatar: typeof payload.avatar === 'string' ? payload.avatar : '',
  });
  const session = await createReaderSession(db.pool, reader.id);
  return { token: session.token, reader };
}

let n = 0;
const nextIp = () => `198.51.100.${(n % 250) + 1}`;

/** Posts one comment (a guest's unless a token is given) from its own address; returns the response. */
async function send(
  site: string,
  over: Record<string, unknown> = {},
  opts: { token?: string; ip?: string; via?: TestApi } = {},
): Promise<Response> {
  n += 1;
  return postJson(
    opts.via ?? api,
    { site, page: 'story', author: 'Guest', email: `guest${n}@example.org`, body: `Comment number ${n}.`, ...over },
    {
      origin: (opts.via ?? api).origin,
      'x-forwarded-for': opts.ip ?? nextIp(),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
  );
}

/** Posts and waits for the worker's verdict: status, the reasons' codes, and the stored author columns. */
async function post(
  site: string,
  over: Record<string, unknown> = {},
  opts: { token?: string; ip?: string } = {},
): Promise<{ id: string; status: string; codes: string[]; row: Record<string, unknown>; answer: unknown }> {
  const res = await send(site, over, opts);
  const answer = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(answer)).toBe(202);
  const stored = await waitForStored(db.pool, answer.id);
  const { rows } = await db.pool.query(
    `select author_name, author_email, author_url, reader_id, author_verified, author_staff, author_avatar
       from comments where id = $1`,
    [answer.id],
  );
  return {
    id: answer.id,
    status: stored.status,
    codes: stored.verdict.reasons.map((r) => r.code),
    row: rows[0] as Record<string, unknown>,
    answer,
  };
}

async function decide(site: string, id: string, action: 'approve' | 'spam'): Promise<void> {
  const changes = await changeStatus(db.pool, {
    ids: [id],
    action,
    toStatus: action === 'approve' ? 'approved' : 'spam',
    actor: { id: null, label: 'mod@example.org', siteIds: [site] },
    batchId: randomUUID(),
  });
  expect(changes).toHaveLength(1);
}
const approve = (site: string, id: string) => decide(site, id, 'approve');

/** A moderator's spam decision, learned as the training worker learns it (spam memory reads what it learned). */
async function markSpam(site: string, id: string): Promise<void> {
  await decide(site, id, 'spam');
  await createTrainingProcessor({ db: db.pool, logger: createLogger('silent', 'test') })({
    data: { commentId: id, siteId: site },
  } as Job<TrainingJob>);
}

async function thread(site: string, page = 'story'): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=${page}`, { headers: { origin: api.origin } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: Record<string, unknown>[] }).comments;
}

describe('a signed-in reader is judged by their own history', () => {
  it('first comment held, approved, next one published as verified; a guest with the same email is still held', async () => {
    const { token, reader } = await ssoSignIn('news', {
      sub: 'u-1001',
      name: 'Ada Subscriber',
      email: 'ada@example.org',
      url: 'https://ada.example.org/',
      avatar: 'https://cdn.example.org/ada.png',
    });
    // The body's author, email and website are ignored: the identity's are stored.
    const first = await post(
      'news',
      { author: 'Somebody Else', email: 'else@example.org', url: 'https://else.example.org/' },
      { token },
    );
    expect(first.status).toBe('pending');
    expect(first.codes).toEqual(['FIRST_COMMENT']);
    expect(first.row).toEqual({
      author_name: 'Ada Subscriber',
      author_email: 'ada@example.org',
      author_url: 'https://ada.example.org/',
      reader_id: reader.id,
      author_verified: true,
      author_staff: false,
      author_avatar: 'https://cdn.example.org/ada.png',
    });
    // A reader's token is their key to edit: no editKey for them (a guest gets one).
    expect(first.answer).not.toHaveProperty('editKey');

    await approve('news', first.id);
    const second = await post('news', { body: 'My second comment, published at once.' }, { token });
    expect(second.status).toBe('approved');
    expect(second.codes).toEqual([]);

    const shown = (await thread('news')).find((c) => c.id === second.id);
    expect(shown).toMatchObject({
      author: { name: 'Ada Subscriber', verified: true, avatar: 'https://cdn.example.org/ada.png' },
    });
    expect(shown?.author).not.toHaveProperty('staff');

    // A guest typing Ada's address (any case) inherits none of her approvals.
    const guest = await post('news', { author: 'Ada Subscriber', email: 'Ada@Example.org' });
    expect(guest.status).toBe('pending');
    expect(guest.codes).toEqual(['FIRST_COMMENT']);
    expect(guest.row).toMatchObject({ reader_id: null, author_verified: false, author_avatar: '' });
    expect(guest.answer).toHaveProperty('editKey');
  });

  it("a guest's approvals do not carry over to a reader with that email", async () => {
    const guest = await post('news', { author: 'Bob', email: 'bob@example.org' });
    expect(guest.codes).toEqual(['FIRST_COMMENT']);
    await approve('news', guest.id);
    // The guest is a returning guest now…
    expect((await post('news', { author: 'Bob', email: 'bob@example.org' })).status).toBe('approved');
    // …but the verified Bob is somebody the site has not approved yet.
    const { token } = await ssoSignIn('news', { sub: 'u-bob', name: 'Bob Verified', email: 'bob@example.org' });
    const reader = await post('news', {}, { token });
    expect(reader.status).toBe('pending');
    expect(reader.codes).toEqual(['FIRST_COMMENT']);
  });

  it('a reader without an email comments where guests must give one', async () => {
    await db.pool.query(`update sites set settings = settings || '{"requireEmail": true}' where id = 'news'`);
    await api.sites.refresh();
    try {
      const { token } = await ssoSignIn('news', { sub: 'u-noemail', name: 'No Mail' });
      const res = await post('news', { email: '' }, { token });
      expect(res.status).toBe('pending');
      expect(res.codes).toEqual(['FIRST_COMMENT']);
      expect(res.row).toMatchObject({ author_name: 'No Mail', author_email: '', author_verified: true });
      // A guest without one is refused, as before.
      const guest = await send('news', { email: '' });
      expect(guest.status).toBe(422);
      expect(((await guest.json()) as { error: { errors: { field: string }[] } }).error.errors).toEqual([
        expect.objectContaining({ field: 'email', code: 'REQUIRED' }),
      ]);
    } finally {
      await db.pool.query(`update sites set settings = settings - 'requireEmail' where id = 'news'`);
      await api.sites.refresh();
    }
  });

  it('a website the identity gives that no comment may link (not http(s), too long) is left out, not refused', async () => {
    for (const url of ['javascript:alert(1)', `https://example.org/${'a'.repeat(300)}`]) {
      const { token } = await ssoSignIn('news', { sub: `u-url-${url.length}`, name: 'Linker', url });
      const res = await post('news', { url: 'https://typed.example/' }, { token });
      expect(res.status).toBe('pending');
      expect(res.row).toMatchObject({ author_name: 'Linker', author_url: '' });
    }
  });
});

describe('trust only comes with a verified identity', () => {
  it("a trusted author's email typed by a guest is held; the verified reader with that email is exempt", async () => {
    await db.pool.query(`insert into trusted_authors (site_id, email) values ('news', 'columnist@example.org')`);
    // Pre-moderation-worthy text: a watched word would hold anyone not exempt.
    await db.pool.query(`update sites set settings = settings || '{"holdWords": ["sponsored"]}' where id = 'news'`);
    try {
      const guest = await post('news', {
        author: 'The Columnist',
        email: 'columnist@example.org',
        body: 'Totally sponsored words.',
      });
      expect(guest.status).toBe('pending');
      expect(guest.codes).toEqual(['HOLD_WORD', 'FIRST_COMMENT']);

      const { token } = await ssoSignIn('news', {
        sub: 'u-col',
        name: 'The Columnist',
        email: 'columnist@example.org',
      });
      const reader = await post('news', { body: 'Honestly sponsored words.' }, { token });
      expect(reader.status).toBe('approved');
      expect(reader.codes).toEqual([]);
    } finally {
      await db.pool.query(`update sites set settings = settings - 'holdWords' where id = 'news'`);
    }
  });

  it('a reader a moderator trusts (readers.trusted) skips the holds', async () => {
    const { token, reader } = await ssoSignIn('news', { sub: 'u-trusted', name: 'Trusted Reader' });
    await db.pool.query('update readers set trusted = true where id = $1', [reader.id]);
    const res = await post('news', {}, { token });
    expect(res.status).toBe('approved');
    expect(res.codes).toEqual([]);
  });

  it("a moderator's email typed by a guest is held and not staff; the moderator signed in is staff and trusted", async () => {
    await addModerator(db.pool, 'editor@example.org', 'moderator', ['news']);
    const guest = await post('news', { author: 'The Editor', email: 'editor@example.org' });
    expect(guest.status).toBe('pending');
    expect(guest.codes).toEqual(['FIRST_COMMENT']);
    expect(guest.row).toMatchObject({ author_staff: false, author_verified: false });

    const { token } = await ssoSignIn('news', { sub: 'u-editor', name: 'The Editor', email: 'editor@example.org' });
    const staff = await post('news', { body: 'A word from the newsroom.' }, { token });
    expect(staff.status).toBe('approved');
    expect(staff.row).toMatchObject({ author_staff: true, author_verified: true });
    const shown = (await thread('news')).find((c) => c.id === staff.id);
    expect(shown?.author).toEqual({
      name: 'The Editor',
      verified: true,
      staff: true,
      avatar: expect.stringMatching(/\/avatars\/[0-9a-f]{32}\.svg$/),
    });

    // With the badge off the moderator is still trusted, no longer shown as staff.
    await db.pool.query(`update moderators set staff_badge = false where email = 'editor@example.org'`);
    const plain = await post('news', { body: 'Off the record.' }, { token });
    expect(plain.status).toBe('approved');
    expect(plain.row).toMatchObject({ author_staff: false, author_verified: true });
  });
});

describe('bans, spam memory and flood per reader', () => {
  it('a banned reader (kind reader) is spam from any address and with any email the host gives', async () => {
    const { token, reader } = await ssoSignIn('news', { sub: 'u-banned', name: 'Troll', email: 'troll@example.org' });
    await db.pool.query(`insert into bans (site_id, kind, value) values ('news', 'reader', $1)`, [String(reader.id)]);
    const one = await post('news', {}, { token, ip: '203.0.113.7' });
    expect(one.status).toBe('spam');
    expect(one.codes).toContain('BANNED');
    // The host changes their address: the ban is on the identity.
    const again = await ssoSignIn('news', { sub: 'u-banned', name: 'Troll', email: 'fresh@example.org' });
    expect(again.reader.id).toBe(reader.id);
    const two = await post('news', {}, { token: again.token, ip: '192.0.2.99' });
    expect(two.status).toBe('spam');
    expect(two.codes).toContain('BANNED');
    // A guest typing the same name and the old email is not banned as a reader (a first-timer, held).
    const guest = await post('news', { author: 'Troll', email: 'troll@example.org' });
    expect(guest.codes).not.toContain('BANNED');
  });

  it("an email ban covers the verified reader with that email; a guest's spam under a reader's email is not theirs", async () => {
    await db.pool.query(`insert into bans (site_id, kind, value) values ('news', 'email', 'spammer@example.org')`);
    const { token } = await ssoSignIn('news', { sub: 'u-spammer', name: 'Spammer', email: 'spammer@example.org' });
    expect((await post('news', {}, { token })).codes).toContain('BANNED');

    // A guest posts as Carol, a moderator marks it spam (the training table is what spam memory reads).
    const { token: carol } = await ssoSignIn('news', { sub: 'u-carol', name: 'Carol', email: 'carol@example.org' });
    const fake = await post('news', { author: 'Carol', email: 'carol@example.org' });
    await markSpam('news', fake.id);
    // Another guest with that email is spam by memory…
    expect((await post('news', { author: 'Carol', email: 'carol@example.org' })).codes).toContain('SPAM_MEMORY');
    // …the verified Carol is not.
    const real = await post('news', {}, { token: carol });
    expect(real.codes).toEqual(['FIRST_COMMENT']);

    // Her own comment marked spam is remembered for her, from any address.
    await markSpam('news', real.id);
    const later = await post('news', {}, { token: carol, ip: '192.0.2.200' });
    expect(later.status).toBe('spam');
    expect(later.codes).toContain('SPAM_MEMORY');
  });

  it('"too fast" counts the reader\'s own comments, from any address; a guest with their email is not them', async () => {
    const { token } = await ssoSignIn('fast', { sub: 'u-quick', name: 'Quick', email: 'quick@example.org' });
    expect((await post('fast', {}, { token })).status).toBe('approved');
    const again = await post('fast', {}, { token });
    expect(again.status).toBe('rejected');
    expect(again.codes).toEqual(['TOO_FAST']);
    // A guest typing the reader's email, from another address, is not flooding as them.
    const guest = await post('fast', { email: 'quick@example.org' });
    expect(guest.status).toBe('approved');
    // Guests are still limited by the email they type.
    const guestAgain = await post('fast', { email: 'quick@example.org' });
    expect(guestAgain.codes).toEqual(['TOO_FAST']);
  });

  it('intake rate limits count per reader, not per the email a guest types', async () => {
    const { token } = await ssoSignIn('ratelimited', { sub: 'u-rl', name: 'Limited', email: 'rl@example.org' });
    expect((await send('ratelimited', {}, { token, via: limited })).status).toBe(202);
    const refused = await send('ratelimited', {}, { token, via: limited });
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/from your account/);
    // A guest typing the reader's email has a counter of their own.
    expect((await send('ratelimited', { email: 'rl@example.org' }, { via: limited })).status).toBe(202);
  });
});

describe('a site without guests, and tokens that sign nobody in', () => {
  it('guests:false refuses a guest with 401 SIGN_IN_REQUIRED (JSON) and takes a reader', async () => {
    const guest = await send('members');
    expect(guest.status).toBe(401);
    expect(await guest.json()).toEqual({
      error: { code: 'SIGN_IN_REQUIRED', message: 'Please sign in to comment on this site.' },
    });
    const { token } = await ssoSignIn('members', { sub: 'm-1', name: 'Member' });
    const res = await post('members', { author: '', email: '' }, { token });
    expect(res.status).toBe('pending');
    expect(res.row).toMatchObject({ author_name: 'Member', author_verified: true });
  });

  it('guests:false answers the no-JavaScript form with a readable page, not JSON', async () => {
    const res = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: api.origin,
        referer: `${api.origin}/story`,
      },
      body: new URLSearchParams({
        site: 'members',
        comment_post_ID: 'story',
        author: 'Guest',
        email: 'g@example.org',
        comment: 'Hello <b>there</b>',
      }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const page = await res.text();
    expect(page).toContain('Comment Submission Failure');
    expect(page).toContain('signed-in readers only');
    expect(page).toContain(`href="${api.origin}/story"`);
  });

  it("a revoked, unknown or other site's token is 401 READER_SIGNED_OUT, never a guest", async () => {
    const { token } = await ssoSignIn('news', { sub: 'u-gone', name: 'Gone' });
    // Another site's token signs nobody in here.
    const elsewhere = await send('members', {}, { token });
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe('READER_SIGNED_OUT');

    await revokeReaderSession(db.pool, token);
    for (const t of [token, 'rdr_' + 'x'.repeat(43), 'not-a-token']) {
      const res = await send('news', {}, { token: t });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('READER_SIGNED_OUT');
    }
    // Nothing was queued for a signed-out reader.
    const { rows } = await db.pool.query(`select count(*)::int as n from comments where author_name = 'Gone'`);
    expect(rows[0].n).toBe(0);
  });

  it('the thread never shows an email, the reader id or the identity', async () => {
    const { token, reader } = await ssoSignIn('news', {
      sub: 'u-secret-sub',
      name: 'Private Person',
      email: 'private@example.org',
    });
    const first = await post('news', { page: 'private' }, { token });
    await approve('news', first.id);
    const res = await fetch(`${api.url}/api/comments?site=news&page=private`, { headers: { origin: api.origin } });
    const text = await res.text();
    expect(text).toContain('Private Person');
    expect(text).not.toContain('private@example.org');
    expect(text).not.toContain('u-secret-sub');
    const [shown] = (JSON.parse(text) as { comments: Record<string, unknown>[] }).comments;
    // The identicon's URL is an HMAC: neither the email nor the reader's id is in it.
    expect(shown?.author).toEqual({
      name: 'Private Person',
      verified: true,
      avatar: expect.stringMatching(/\/avatars\/[0-9a-f]{32}\.svg$/),
    });
    expect(Object.values(shown ?? {})).not.toContain(String(reader.id));
    // The vote counts (issue 15) are the comment's, not its author's.
    expect(Object.keys(shown ?? {}).sort()).toEqual([
      'author',
      'createdAt',
      'depth',
      'down',
      'html',
      'id',
      'parent',
      'up',
      'website',
    ]);
  });
});
