import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_RATE_LIMIT, MAX_FLAGS_PER_COMMENT } from '../../src/store/flags.js';
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
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Readers' flags over HTTP against real Postgres, Redis and a worker: one flag per network (an IPv4
// address or an IPv6 /64), the site's threshold sends a published comment back to the queue as
// reported, exactly once. The API believes X-Forwarded-For from loopback, so each flag can come from
// another reader; a second API trusts no proxy, as a service behind one nobody told it about.
let db: TestDatabase;
let api: TestApi;
let untrusted: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
let n = 0;
let lastIp = 0;
/** A fresh reader's address (a network of its own). */
const nextIp = (): string => {
  lastIp += 1;
  return `198.51.${lastIp >> 8}.${lastIp & 255}`;
};

async function comment(site: string): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    { site, page: 'p', author: `Reader ${n}`, email: `r${n}@example.org`, body: `Comment number ${n}` },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

function flag(
  id: string,
  body: unknown,
  ip: string = nextIp(),
  origin: string | null = api.origin,
  via: TestApi = api,
): Promise<Response> {
  return fetch(`${via.url}/api/comments/${id}/flag`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...(origin !== null ? { origin } : {}) },
    body: JSON.stringify(body),
  });
}

async function row(id: string): Promise<{ status: string; flag_count: number; reported_at: Date | null }> {
  const { rows } = await db.pool.query('select status, flag_count, reported_at from comments where id = $1', [id]);
  return rows[0];
}

async function onThread(site: string, id: string): Promise<boolean> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=p`);
  const { comments } = (await res.json()) as { comments: { id: string }[] };
  return comments.some((c) => c.id === id);
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  untrusted = await startApi({ pool: db.pool, prefix, trustProxy: '' });
  worker = await startWorker({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 0,
    flagThreshold: 2,
  });
  await addSite(db.pool, 'busy', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 0,
    flagThreshold: 3,
  });
  await addSite(db.pool, 'strict', [api.origin], { moderation: 'pre', floodSeconds: 0 });
  await addSite(db.pool, 'crowded', [api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdLinks: 0,
    flagThreshold: 100,
  });
  await addModerator(db.pool, 'admin@example.org', 'admin');
});

afterAll(async () => {
  await worker?.close();
  await untrusted?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('flagging a published comment', () => {
  it('when flags reach the threshold, the comment leaves the public thread and waits in the reported tab', async () => {
    const id = await comment('news');
    expect((await row(id)).status).toBe('approved');

    const first = await flag(id, { reason: 'abuse', key: 'reader-one' });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ flagged: true });
    expect(first.headers.get('access-control-allow-origin')).toBe(api.origin);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1, reported_at: null });
    expect(await onThread('news', id)).toBe(true);

    expect((await flag(id, { reason: 'spam', key: 'reader-two' })).status).toBe(202);
    const after = await row(id);
    expect(after).toMatchObject({ status: 'pending', flag_count: 2 });
    expect(after.reported_at).toBeInstanceOf(Date);
    expect(await onThread('news', id)).toBe(false);

    const { rows: events } = await db.pool.query(
      'select actor, actor_id, action, from_status, to_status, detail from moderation_events where comment_id = $1',
      [id],
    );
    expect(events).toEqual([
      {
        actor: 'readers',
        actor_id: null,
        action: 'report',
        from_status: 'approved',
        to_status: 'pending',
        detail: { flags: 2, threshold: 2, reasons: { abuse: 1, spam: 1 } },
      },
    ]);

    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    const reported = await c.page('/admin?tab=reported');
    expect(reported).toContain(`id="card-${id}"`);
    expect(reported).toMatch(/abuse ×1/);
    expect(await c.page('/admin?tab=pending')).not.toContain(`id="card-${id}"`);
  });

  it('counts one flag per network: a repeat, fresh browser keys from one IP, or another address of one IPv6 /64 answer 202 and change nothing; neither IP nor key is stored', async () => {
    const id = await comment('busy');
    for (let i = 0; i < 3; i++)
      expect((await flag(id, { reason: 'off_topic', key: 'same-browser' }, '203.0.113.5')).status).toBe(202);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1 });
    // One client picking a new key per request is still one reader: three requests cannot unpublish.
    for (const key of ['k1', 'k2', 'k3'])
      expect((await flag(id, { reason: 'spam', key }, '203.0.113.5')).status).toBe(202);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1 });
    expect((await flag(id, { reason: 'other' }, '2001:db8:5:6::1')).status).toBe(202);
    expect((await flag(id, { reason: 'other', key: 'k9' }, '2001:db8:5:6::2')).status).toBe(202);
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 2 });
    const { rows } = await db.pool.query<{ reporter: string; network: string }>(
      'select reporter, network from flags where comment_id = $1',
      [id],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.reporter).toMatch(/^[0-9a-f]{64}$/);
      expect(r.network).toMatch(/^[0-9a-f]{64}$/);
      expect(`${r.reporter} ${r.network}`).not.toMatch(/same-browser|203\.0\.113|2001:db8/);
    }
    // Keyed: trying every IPv4 address against a plain hash would give the address back.
    const plain = createHash('sha256').update('network\n203.0.113.5').digest('hex');
    expect(rows.map((r) => r.network)).not.toContain(plain);
  });

  it('behind a proxy that is not trusted, every reader is one network: fresh keys and forged X-Forwarded-For never unpublish a comment', async () => {
    const id = await comment('busy');
    for (let i = 0; i < 5; i++) {
      expect(
        (await flag(id, { reason: 'abuse', key: `fresh-${i}` }, `192.0.2.${i + 1}`, api.origin, untrusted)).status,
      ).toBe(202);
    }
    expect(await row(id)).toMatchObject({ status: 'approved', flag_count: 1 });
    expect(await onThread('busy', id)).toBe(true);
  });

  it(`a network gives at most ${FLAG_RATE_LIMIT} flags an hour: the next gets 429 RATE_LIMITED with Retry-After and stores nothing; another network still flags`, async () => {
    const ids = await Promise.all(Array.from({ length: FLAG_RATE_LIMIT + 1 }, () => comment('busy')));
    // Addresses of one /64 are one network.
    for (let i = 0; i < FLAG_RATE_LIMIT; i++)
      expect((await flag(ids[i]!, { reason: 'spam' }, `2001:db8:77:1::${i + 1}`)).status).toBe(202);
    const refused = await flag(ids[FLAG_RATE_LIMIT]!, { reason: 'spam' }, '2001:db8:77:1::ff');
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await row(ids[FLAG_RATE_LIMIT]!)).flag_count).toBe(0);
    expect((await flag(ids[FLAG_RATE_LIMIT]!, { reason: 'spam' }, '2001:db8:77:2::1')).status).toBe(202);
    expect((await row(ids[FLAG_RATE_LIMIT]!)).flag_count).toBe(1);
  });

  it(`a comment keeps at most ${MAX_FLAGS_PER_COMMENT} flag rows, however many networks flag it`, async () => {
    const id = await comment('crowded');
    for (let i = 0; i < MAX_FLAGS_PER_COMMENT + 5; i++) expect((await flag(id, { reason: 'spam' })).status).toBe(202);
    const { rows } = await db.pool.query('select count(*)::int as n from flags where comment_id = $1', [id]);
    expect(rows[0].n).toBe(MAX_FLAGS_PER_COMMENT);
    expect(await row(id)).toMatchObject({ status: 'pending', flag_count: MAX_FLAGS_PER_COMMENT });
  });

  it('when many readers flag at once, the comment is reported exactly once', async () => {
    const id = await comment('busy');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => flag(id, { reason: 'spam', key: `crowd-${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    expect(await row(id)).toMatchObject({ status: 'pending', flag_count: 12 });
    const { rows } = await db.pool.query(
      `select count(*)::int as n from moderation_events where comment_id = $1 and action = 'report'`,
      [id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('after a moderator approves a reported comment, it takes threshold new readers to report it again', async () => {
    const id = await comment('news');
    await flag(id, { reason: 'spam', key: 'x1' });
    await flag(id, { reason: 'spam', key: 'x2' });
    expect((await row(id)).status).toBe('pending');
    const c = new DashboardClient(api.url);
    await c.signIn('admin@example.org');
    expect((await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'approved', reported_at: null });
    await flag(id, { reason: 'spam', key: 'x3' });
    expect((await row(id)).status).toBe('approved');
    await flag(id, { reason: 'spam', key: 'x4' });
    expect((await row(id)).status).toBe('pending');
  });
});

describe('refused flags', () => {
  it('answers 404 for an unknown comment, a malformed id and a comment that is not published', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const res = await flag(id, { reason: 'spam', key: 'k' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    const held = await comment('strict');
    expect((await row(held)).status).toBe('pending');
    expect((await flag(held, { reason: 'spam', key: 'k' })).status).toBe(404);
    expect(await row(held)).toMatchObject({ flag_count: 0, reported_at: null });
  });

  it('answers 403 to a page on a foreign origin, and counts nothing', async () => {
    const id = await comment('news');
    const res = await flag(id, { reason: 'spam', key: 'k' }, nextIp(), 'https://evil.example');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect((await row(id)).flag_count).toBe(0);
  });

  it.each([
    [{ reason: 'boring' }, 'INVALID_REASON', 'reason'],
    [{}, 'INVALID_REASON', 'reason'],
    [{ reason: 'spam', key: 42 }, 'INVALID_KEY', 'key'],
    [{ reason: 'spam', key: 'k'.repeat(201) }, 'INVALID_KEY', 'key'],
  ])('answers 422 to %j', async (body, code, field) => {
    const id = await comment('news');
    const res = await flag(id, body);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code, field } });
    expect((await row(id)).flag_count).toBe(0);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const id = await comment('news');
    const res = await fetch(`${api.url}/api/comments/${id}/flag`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'spam',
    });
    expect(res.status).toBe(415);
  });
});
