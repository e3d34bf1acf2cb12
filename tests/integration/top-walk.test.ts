import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * sort=top walks every approved comment of the page in score order (sql/0051) and keeps those that
 * stand as conversations: a comment without a parent, or a reply whose parent is no longer public.
 * Replies of a public parent are skipped on the walk, however many of them outrank the next
 * conversation (the walk asks again past a batch of nothing but replies), and the cursor goes on from
 * the last conversation shown.
 */

let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'walk', [api.origin]);
  await api.sites.refresh();
}, 60_000);

afterAll(async () => {
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

async function topPage(cursor: string | null, limit: number) {
  const res = await fetch(
    `${api.url}/api/comments?site=walk&page=walk-1&sort=top&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { comments: { id: string; parent: string | null }[]; nextCursor: string | null };
}

describe('sort=top past many high-scored replies', () => {
  it('finds the conversations below 150 better-scored replies, an orphaned reply among them, and pages on', async () => {
    const root = randomUUID();
    const gone = randomUUID();
    const seed = [
      { id: root, at: 0 },
      { id: gone, at: 1, status: 'rejected' },
      ...Array.from({ length: 150 }, (_, i) => ({ parent: root, depth: 1, at: 10 + i })),
      { parent: gone, depth: 1, at: 500 },
      { at: 600 },
      { at: 700 },
      { at: 800 },
    ];
    const ids = await seedThread(db.pool, 'walk', 'walk-1', seed);
    const replies = ids.slice(2, 152);
    const [orphan, a, b, c] = ids.slice(152) as [string, string, string, string];
    // Replies outrank everything; then the orphan (its parent rejected: it stands alone); then a > b > c > root.
    await db.pool.query('update comments set top_score = 0.9 where id = any($1::uuid[])', [replies]);
    await db.pool.query('update comments set top_score = 0.8 where id = $1', [orphan]);
    for (const [id, score] of [
      [a, 0.5],
      [b, 0.4],
      [c, 0.3],
    ] as const)
      await db.pool.query('update comments set top_score = $2 where id = $1', [id, score]);
    await db.pool.query('update pages set thread_version = thread_version + 1 where identifier = $1', ['walk-1']);

    const first = await topPage(null, 2);
    const rootsOf = (p: { comments: { id: string; parent: string | null }[] }) =>
      p.comments.filter((x) => !replies.includes(x.id)).map((x) => x.id);
    expect(rootsOf(first)).toEqual([orphan, a]);
    expect(first.nextCursor).not.toBeNull();
    const second = await topPage(first.nextCursor, 2);
    expect(rootsOf(second)).toEqual([b, c]);
    const third = await topPage(second.nextCursor, 2);
    // The root comes last (score 0), with its first replies under it.
    expect(third.comments[0]!.id).toBe(root);
    expect(third.comments.slice(1).every((x) => x.parent === root)).toBe(true);
    expect(third.nextCursor).toBeNull();
  });
});
