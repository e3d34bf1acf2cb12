import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_HTML_BYTES, REPLIES_PER_CONVERSATION } from '../../src/store/comments.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread, type SeedComment } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

interface Answer {
  comments: { id: string; parent: string | null; html: string; moreReplies?: string }[];
  nextCursor: string | null;
  total?: number;
}

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();
const REPLIES = 700;
const big = { root: randomUUID(), replies: [] as string[] };
const small = { root: randomUUID(), replies: [] as string[] };

async function get(query: string): Promise<{ status: number; bytes: number; body: Answer }> {
  const res = await fetch(`${api.url}/api/comments?site=long&${query}`);
  const text = await res.text();
  return { status: res.status, bytes: Buffer.byteLength(text), body: JSON.parse(text) as Answer };
}

/** Follows `moreReplies` with replies= pages to the end; every reply of the conversation, as received. */
async function allReplies(
  page: string,
  root: Answer['comments'][number],
  shown: string[],
  limit: number,
): Promise<string[]> {
  const seen = [...shown];
  let cursor = root.moreReplies ?? null;
  while (cursor !== null) {
    const r = await get(`page=${page}&replies=${root.id}&cursor=${cursor}&limit=${limit}`);
    expect(r.status).toBe(200);
    expect(r.body.comments.length).toBeLessThanOrEqual(limit);
    seen.push(...r.body.comments.map((c) => c.id));
    cursor = r.body.nextCursor;
  }
  return seen;
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'long', [api.origin]);
  await api.sites.refresh();
  // The big conversation is the newest root; every other reply answers the reply before it (depth 2),
  // and a held reply sits among them. The small one is older, with three replies.
  const seed: SeedComment[] = [
    { id: small.root, at: 0 },
    ...[0, 1, 2].map((i) => ({ id: (small.replies[i] = randomUUID()), parent: small.root, depth: 1, at: 10 + i })),
    { id: big.root, at: 1000 },
  ];
  for (let i = 0; i < REPLIES; i++) {
    const id = randomUUID();
    const parent = i % 2 === 1 ? (big.replies[i - 1] as string) : big.root;
    seed.push({ id, parent, depth: i % 2 === 1 ? 2 : 1, at: 2000 + i });
    big.replies.push(id);
  }
  seed.push({ parent: big.root, depth: 1, at: 2000 + REPLIES + 1, status: 'pending' });
  await seedThread(db.pool, 'long', 'busy', seed);
});

afterAll(async () => {
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('replies are paged within a conversation', () => {
  it('newest first with limit=1 answers one conversation and its first replies, not all 700', async () => {
    const r = await get('page=busy&order=newest&limit=1');
    expect(r.status).toBe(200);
    const [root, ...replies] = r.body.comments;
    expect(root?.id).toBe(big.root);
    expect(replies.map((c) => c.id)).toEqual(big.replies.slice(0, REPLIES_PER_CONVERSATION));
    expect(typeof root?.moreReplies).toBe('string');
    expect(r.body.nextCursor).not.toBeNull();
    expect(r.body.total).toBe(REPLIES + 4 + 1);
    // Before: 701 comments. Now a handful of small ones.
    expect(r.bytes).toBeLessThan(8 * 1024);
  });

  it('every reply is reachable by paging its conversation, in the order written, none twice, held ones never', async () => {
    for (const limit of [1, 7, 200]) {
      const first = await get('page=busy&order=newest&limit=1');
      const [root, ...shown] = first.body.comments;
      const seen = await allReplies(
        'busy',
        root!,
        shown.map((c) => c.id),
        limit,
      );
      expect(seen).toEqual(big.replies);
    }
  });

  it('a conversation with few replies carries them all and no moreReplies; the next page follows on', async () => {
    const first = await get('page=busy&order=newest&limit=1');
    const next = await get(`page=busy&order=newest&limit=1&cursor=${first.body.nextCursor}`);
    expect(next.body.comments.map((c) => c.id)).toEqual([small.root, ...small.replies]);
    expect(next.body.comments[0]?.moreReplies).toBeUndefined();
    expect(next.body.nextCursor).toBeNull();
  });

  it('a replies page of a comment that is not a root of this page is empty', async () => {
    expect((await get(`page=other&replies=${big.root}`)).body.comments).toEqual([]);
    expect((await get(`page=busy&replies=${randomUUID()}`)).body.comments).toEqual([]);
    const bad = await get('page=busy&replies=not-an-id');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'INVALID_REPLIES', field: 'replies' } });
  });

  it('a reply published after a replies page was read shows on the next read of it (the cache follows the version)', async () => {
    const first = await get('page=busy&order=newest&limit=1');
    const all = await allReplies(
      'busy',
      first.body.comments[0]!,
      first.body.comments.slice(1).map((c) => c.id),
      200,
    );
    expect(all).toHaveLength(REPLIES);
    const late = randomUUID();
    await seedThread(db.pool, 'long', 'busy', [{ id: late, parent: big.root, depth: 1, at: 10_000 }]);
    const again = await get('page=busy&order=newest&limit=1');
    expect(
      await allReplies(
        'busy',
        again.body.comments[0]!,
        again.body.comments.slice(1).map((c) => c.id),
        200,
      ),
    ).toEqual([...big.replies, late]);
  });

  it('an answer stops at its byte budget with a cursor, in both orders, and paging still reaches every comment once', async () => {
    // 40 comments of ~100 KB each: 4 MB for limit=200 before; each answer now stays near the budget.
    const html = `<p>${'x'.repeat(100_000)}</p>`;
    const roots = await seedThread(
      db.pool,
      'long',
      'heavy',
      Array.from({ length: 40 }, (_, i) => ({ html, at: i })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(`page=heavy&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.bytes).toBeLessThan(MAX_ANSWER_HTML_BYTES + 200_000);
      expect(r.body.comments.length).toBeGreaterThan(0);
      seen.push(...r.body.comments.map((c) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(roots);
    const newest: string[] = [];
    cursor = null;
    do {
      const r = await get(`page=heavy&order=newest&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.bytes).toBeLessThan(MAX_ANSWER_HTML_BYTES + 200_000);
      newest.push(...r.body.comments.map((c) => c.id));
      cursor = r.body.nextCursor;
    } while (cursor !== null);
    expect(newest).toEqual([...roots].reverse());
  });
});
