import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader } from '../../src/readers/reader-store.js';
import { voteScore } from '../../src/domain/vote-score.js';
import { VOTE_RATE_LIMIT } from '../../src/store/conversation/votes.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 15, items 1 and 2: readers' votes, counted on the comment row, and the "top" order. Real
// Postgres and Redis, the API over HTTP; comments are seeded straight into the table (published).
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
let readerCount = 0;

interface VoteAnswer {
  up: number;
  down: number;
  mine: number;
}
interface ThreadAnswer {
  comments: { id: string; parent: string | null; up?: number; down?: number }[];
  nextCursor: string | null;
  sort: string;
}

async function reader(site: string): Promise<{ id: number; token: string }> {
  readerCount += 1;
  const r = await upsertReader(db.pool, {
    siteId: site,
    via: 'sso',
    identity: `sso:voter-${readerCount}`,
    name: `Voter ${readerCount}`,
    email: `voter${readerCount}@example.org`,
  });
  return { id: r.id, token: (await createReaderSession(db.pool, r.id)).token };
}

function vote(
  id: string,
  body: unknown,
  opts: { token?: string; ip?: string; origin?: string } = {},
): Promise<Response> {
  return fetch(`${api.url}/api/comments/${id}/vote`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      origin: opts.origin ?? api.origin,
      'x-forwarded-for': opts.ip ?? '203.0.113.1',
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

async function voted(res: Response): Promise<VoteAnswer> {
  expect(res.status).toBe(200);
  return (await res.json()) as VoteAnswer;
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

async function thread(site: string, page: string, query = ''): Promise<ThreadAnswer> {
  const res = await fetch(`${api.url}/api/comments?site=${site}&page=${page}${query}`, {
    headers: { origin: api.origin },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ThreadAnswer;
}

/** The counts on the row, and the sum of the vote rows: they must always agree. */
async function stored(id: string): Promise<{ up: number; down: number; rowsUp: number; rowsDown: number }> {
  const { rows } = await db.pool.query<{ up: number; down: number; rows_up: number; rows_down: number }>(
    `select votes_up as up, votes_down as down,
            (select count(*) from comment_votes where comment_id = $1 and value = 1)::int as rows_up,
            (select count(*) from comment_votes where comment_id = $1 and value = -1)::int as rows_down
       from comments where id = $1`,
    [id],
  );
  const r = rows[0]!;
  return { up: r.up, down: r.down, rowsUp: r.rows_up, rowsDown: r.rows_down };
}

const key = (): string => randomBytes(18).toString('base64url');

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: 'loopback' });
  await addSite(db.pool, 'votes', [api.origin], { votes: 'updown', guestVotes: true });
  await addSite(db.pool, 'uponly', [api.origin]);
  await addSite(db.pool, 'novotes', [api.origin], { votes: 'off' });
  await addSite(db.pool, 'topsite', [api.origin], { defaultSort: 'top' });
  await api.sites.refresh();
}, 60_000);

afterAll(async () => {
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

describe('a reader votes', () => {
  it('up, down, back to none: the answer, the row and the thread agree at every step', async () => {
    const [c] = await seedThread(db.pool, 'votes', 'one', [{ at: 0 }]);
    const r = await reader('votes');
    expect(await voted(await vote(c!, { value: 1 }, { token: r.token }))).toEqual({ up: 1, down: 0, mine: 1 });
    // The same vote again changes nothing.
    expect(await voted(await vote(c!, { value: 1 }, { token: r.token }))).toEqual({ up: 1, down: 0, mine: 1 });
    expect((await thread('votes', 'one')).comments[0]).toMatchObject({ id: c, up: 1, down: 0 });
    expect(await voted(await vote(c!, { value: -1 }, { token: r.token }))).toEqual({ up: 0, down: 1, mine: -1 });
    expect((await thread('votes', 'one')).comments[0]).toMatchObject({ up: 0, down: 1 });
    const mine = await fetch(`${api.url}/api/readers/me/votes?site=votes&page=one`, {
      headers: { origin: api.origin, authorization: `Bearer ${r.token}` },
    });
    expect(await mine.json()).toEqual({ votes: { [c!]: -1 } });
    expect(await voted(await vote(c!, { value: 0 }, { token: r.token }))).toEqual({ up: 0, down: 0, mine: 0 });
    expect(await stored(c!)).toEqual({ up: 0, down: 0, rowsUp: 0, rowsDown: 0 });
    expect((await thread('votes', 'one')).comments[0]).toMatchObject({ up: 0, down: 0 });
  });

  it('counts once per reader, from any address; concurrent votes are all counted, exactly', async () => {
    const [c] = await seedThread(db.pool, 'votes', 'many', [{ at: 0 }]);
    const readers = await Promise.all(Array.from({ length: 20 }, () => reader('votes')));
    const answers = await Promise.all(
      readers.map((r, i) => vote(c!, { value: 1 }, { token: r.token, ip: `198.51.100.${i}` })),
    );
    expect(answers.map((a) => a.status)).toEqual(readers.map(() => 200));
    // The first reader again, from another address: still one vote.
    await voted(await vote(c!, { value: 1 }, { token: readers[0]!.token, ip: '192.0.2.77' }));
    expect(await stored(c!)).toEqual({ up: 20, down: 0, rowsUp: 20, rowsDown: 0 });
  });

  it("no vote on one's own comment", async () => {
    const [c] = await seedThread(db.pool, 'votes', 'own', [{ at: 0 }]);
    const r = await reader('votes');
    await db.pool.query('update comments set reader_id = $2 where id = $1', [c, r.id]);
    const res = await vote(c!, { value: 1 }, { token: r.token });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('OWN_COMMENT');
    expect(await stored(c!)).toMatchObject({ up: 0, rowsUp: 0 });
  });

  it('a removed comment takes no votes and its thread entry goes; a comment not published yet is not found', async () => {
    const [c, held] = await seedThread(db.pool, 'votes', 'removed', [{ at: 0 }, { at: 1, status: 'pending' }]);
    const r = await reader('votes');
    await voted(await vote(c!, { value: 1 }, { token: r.token }));
    await db.pool.query(`update comments set status = 'rejected' where id = $1`, [c]);
    const other = await reader('votes');
    const res = await vote(c!, { value: 1 }, { token: other.token });
    expect(res.status).toBe(404);
    expect((await thread('votes', 'removed')).comments).toEqual([]);
    expect((await vote(held!, { value: 1 }, { token: other.token })).status).toBe(404);
  });

  it('a reader may vote at most VOTE_RATE_LIMIT times a minute (429 with Retry-After)', async () => {
    const ids = await seedThread(
      db.pool,
      'votes',
      'rate',
      Array.from({ length: VOTE_RATE_LIMIT + 1 }, (_, i) => ({ at: i })),
    );
    const r = await reader('votes');
    for (const id of ids.slice(0, VOTE_RATE_LIMIT)) await voted(await vote(id, { value: 1 }, { token: r.token }));
    const res = await vote(ids[VOTE_RATE_LIMIT]!, { value: 1 }, { token: r.token });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await errorCode(res)).toBe('RATE_LIMITED');
  }, 60_000);
});

describe('a guest votes', () => {
  it('once per browser key and once per network (IPv4 address, IPv6 /64)', async () => {
    const [c] = await seedThread(db.pool, 'votes', 'guests', [{ at: 0 }]);
    const k1 = key();
    expect(await voted(await vote(c!, { value: 1, key: k1 }, { ip: '2001:db8:1:1::10' }))).toMatchObject({ up: 1 });
    // The same key again, even from elsewhere: the same vote.
    expect(await voted(await vote(c!, { value: 1, key: k1 }, { ip: '2001:db8:9:9::1' }))).toMatchObject({ up: 1 });
    // A fresh key from the same /64: one network, one vote.
    const sameNet = await vote(c!, { value: 1, key: key() }, { ip: '2001:db8:1:1::20' });
    expect(sameNet.status).toBe(409);
    expect(await errorCode(sameNet)).toBe('ALREADY_VOTED');
    // Another /64 and another key: counted.
    expect(await voted(await vote(c!, { value: -1, key: key() }, { ip: '2001:db8:1:2::10' }))).toMatchObject({
      up: 1,
      down: 1,
    });
    const noKey = await vote(c!, { value: 1 }, { ip: '192.0.2.1' });
    expect(noKey.status).toBe(422);
    expect(await errorCode(noKey)).toBe('INVALID_KEY');
    expect(await stored(c!)).toEqual({ up: 1, down: 1, rowsUp: 1, rowsDown: 1 });
  });

  it("not from the network the guest's own comment was sent from", async () => {
    const [c] = await seedThread(db.pool, 'votes', 'guest-own', [{ at: 0 }]);
    await db.pool.query(`update comments set ip = '203.0.113.50' where id = $1`, [c]);
    const res = await vote(c!, { value: 1, key: key() }, { ip: '203.0.113.50' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('OWN_COMMENT');
  });
});

describe("the site's voting policy", () => {
  it('guests need guestVotes; down votes need updown; votes off takes none and the thread shows no counts', async () => {
    const [up] = await seedThread(db.pool, 'uponly', 'p', [{ at: 0 }]);
    const [off] = await seedThread(db.pool, 'novotes', 'p', [{ at: 0 }]);
    const guest = await vote(up!, { value: 1, key: key() });
    expect(guest.status).toBe(401);
    expect(await errorCode(guest)).toBe('SIGN_IN_REQUIRED');
    const r = await reader('uponly');
    const down = await vote(up!, { value: -1 }, { token: r.token });
    expect(down.status).toBe(403);
    expect(await errorCode(down)).toBe('VOTES_OFF');
    await voted(await vote(up!, { value: 1 }, { token: r.token }));
    const o = await reader('novotes');
    const res = await vote(off!, { value: 1 }, { token: o.token });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('VOTES_OFF');
    expect((await thread('novotes', 'p')).comments[0]).not.toHaveProperty('up');
  });

  it("bad input gets its own error: a value that is not 1/-1/0, another reader's site token, a foreign page", async () => {
    const [c] = await seedThread(db.pool, 'votes', 'bad', [{ at: 0 }]);
    const r = await reader('votes');
    for (const value of [2, '1', null, true]) {
      const res = await vote(c!, { value }, { token: r.token });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'INVALID_VOTE', field: 'value' } });
    }
    const other = await reader('uponly');
    const wrongSite = await vote(c!, { value: 1 }, { token: other.token });
    expect(wrongSite.status).toBe(401);
    expect(await errorCode(wrongSite)).toBe('READER_SIGNED_OUT');
    const foreign = await vote(c!, { value: 1 }, { token: r.token, origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await vote('not-a-uuid', { value: 1 }, { token: r.token })).status).toBe(404);
  });
});

describe('sort=top', () => {
  /** Sets a comment's counts (and score) as votes would have. */
  async function setVotes(id: string, up: number, down: number): Promise<void> {
    await db.pool.query('update comments set votes_up = $2, votes_down = $3, top_score = $4 where id = $1', [
      id,
      up,
      down,
      voteScore(up, down),
    ]);
  }

  it('ranks conversations by the Wilson bound (40/2 above 1/0), replies under their parent, a cursor that holds while votes move', async () => {
    const [one, forty, none, half, reply] = await seedThread(db.pool, 'votes', 'top', [
      { at: 0 },
      { at: 1000 },
      { at: 3000 },
      { at: 2000 },
      { at: 4000, parent: undefined },
    ]);
    await db.pool.query('update comments set parent_id = $2, depth = 1 where id = $1', [reply, one]);
    await setVotes(one!, 1, 0);
    await setVotes(forty!, 40, 2);
    await setVotes(half!, 5, 5);
    await setVotes(reply!, 50, 0);
    const all = await thread('votes', 'top', '&sort=top');
    expect(all.sort).toBe('top');
    // A reply never leaves its conversation, however it is voted.
    expect(all.comments.map((c) => c.id)).toEqual([forty, half, one, reply, none]);

    const first = await thread('votes', 'top', '&sort=top&limit=2');
    expect(first.comments.map((c) => c.id)).toEqual([forty, half]);
    // Votes arrive between the pages: the first page's conversations climb or stay, one below the cursor rises
    // past another below it. The next page is the rest of the ranking below the cursor, as it stands now.
    await setVotes(forty!, 60, 2);
    await setVotes(none!, 1, 0);
    const second = await thread('votes', 'top', `&sort=top&limit=2&cursor=${first.nextCursor}`);
    // Equal scores: newest first.
    expect(second.comments.map((c) => c.id)).toEqual([none, one, reply]);
    expect(second.nextCursor).toBeNull();

    // The older order= still works; a top cursor is not a place in another order.
    expect((await thread('votes', 'top', '&order=oldest')).comments[0]!.id).toBe(one);
    const mixed = await fetch(`${api.url}/api/comments?site=votes&page=top&sort=newest&cursor=${first.nextCursor}`);
    expect(mixed.status).toBe(400);
    expect(await errorCode(mixed)).toBe('INVALID_CURSOR');
    const bogus = await fetch(`${api.url}/api/comments?site=votes&page=top&sort=best`);
    expect(await bogus.json()).toMatchObject({ error: { code: 'INVALID_ORDER', field: 'sort' } });
  });

  it("a site's defaultSort is the order when a request names none", async () => {
    const [a, b] = await seedThread(db.pool, 'topsite', 'p', [{ at: 0 }, { at: 1 }]);
    await setVotes(a!, 3, 0);
    const t = await thread('topsite', 'p');
    expect(t.sort).toBe('top');
    expect(t.comments.map((c) => c.id)).toEqual([a, b]);
    expect((await thread('topsite', 'p', '&sort=newest')).comments.map((c) => c.id)).toEqual([b, a]);
  });
});

describe("a reader's votes and their account", () => {
  it('the export lists them; erasing the account keeps the counts but ties no vote to anyone', async () => {
    const [c] = await seedThread(db.pool, 'votes', 'account', [{ at: 0 }]);
    const r = await reader('votes');
    await voted(await vote(c!, { value: -1 }, { token: r.token }));
    const auth = { origin: api.origin, authorization: `Bearer ${r.token}` };
    const exported = (await (await fetch(`${api.url}/api/readers/me/export?site=votes`, { headers: auth })).json()) as {
      votes: { comment: string; page: string; value: number }[];
    };
    expect(exported.votes).toEqual([expect.objectContaining({ comment: c, page: 'account', value: -1 })]);
    expect((await fetch(`${api.url}/api/readers/me?site=votes`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect(await stored(c!)).toEqual({ up: 0, down: 1, rowsUp: 0, rowsDown: 1 });
    const { rows } = await db.pool.query<{ voter: string; network: string; reader_id: string | null }>(
      'select voter, network, reader_id from comment_votes where comment_id = $1',
      [c],
    );
    expect(rows).toEqual([{ voter: expect.stringMatching(/^x:[0-9a-f]{32}$/), network: '', reader_id: null }]);
  });
});
