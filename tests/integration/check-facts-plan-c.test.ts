import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertReader } from '../../src/readers/reader-store.js';
import { checkFactsSql } from '../../src/store/batched/check-facts.js';
import { addSite } from '../support/harness.js';
import { planScans, type PlanNode } from '../support/query-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * The worker's facts statement (src/store/batched/check-facts.ts) runs for every comment: keyed per
 * reader or per guest email (issue 14), each lookup must stay on an index of `comments`, never a
 * scan of the table, whichever kind of author the batch holds.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'big', ['https://big.example']);
  const readers: number[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await upsertReader(db.pool, {
      siteId: 'big',
      via: 'sso',
      identity: `sso:user-${i}`,
      name: `Reader ${i}`,
      email: `reader${i}@example.org`,
    });
    readers.push(r.id);
  }
  await db.pool.query(`insert into pages (site_id, identifier) values ('big', 'p')`);
  // 20,000 comments, a quarter of them readers', the rest guests' with 2,000 emails.
  await db.pool.query(
    `insert into comments (id, site_id, page_id, author_name, author_email, body, body_html, status, verdict,
                           content_hash, ip, received_at, reader_id, author_verified)
     select gen_random_uuid(), 'big', (select id from pages where identifier = 'p'), 'A ' || g,
            case when g % 4 = 0 then 'reader' || (g % 50) || '@example.org' else 'guest' || (g % 2000) || '@example.org' end,
            'Body ' || g, '<p>Body ' || g || '</p>', case when g % 3 = 0 then 'pending' else 'approved' end,
            '{"status":"approved","score":0,"reasons":[]}', sha256(('c' || g)::bytea),
            ('10.' || (g % 200) || '.' || (g % 250) || '.1')::inet, now() - make_interval(secs => g),
            case when g % 4 = 0 then ($1::bigint[])[(g % 50) + 1] else null end, g % 4 = 0
       from generate_series(1, 20000) g`,
    [readers],
  );
  await db.pool.query('analyze');
});

afterAll(async () => {
  await db?.drop();
});

it('reads comments through indexes for readers and guests alike', async () => {
  const { rows: r } = await db.pool.query<{ id: number }>('select id from readers order by id limit 1');
  const readerId = r[0]!.id;
  const qs = [
    { email: 'reader0@example.org', readerId },
    { email: 'guest7@example.org', readerId: null },
  ];
  const hash = (s: string) => createHash('sha256').update(s).digest();
  const values = [
    qs.map(() => 'big'),
    qs.map(() => 'p'),
    qs.map(() => null),
    qs.map(() => null),
    ['0190a0b0-0000-7000-8000-000000000001', '0190a0b0-0000-7000-8000-000000000002'],
    qs.map(() => null),
    qs.map((_, i) => hash(`new ${i}`)),
    qs.map((q) => q.email),
    qs.map(() => '10.1.1.1'),
    qs.map(() => new Date()),
    qs.map(() => 'example.org'),
    qs.map(() => '10.1.1.1'),
    qs.map((q) => q.readerId),
  ];
  const { rows } = await db.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${checkFactsSql}`,
    values,
  );
  const plan = rows[0]!['QUERY PLAN'][0].Plan;
  // Small tables (sites, pages, bans, readers, moderators) may be scanned; comments never.
  const all = planScans(plan);
  expect(all.filter((t) => t.endsWith(' comments'))).toEqual([]);
  // A reader's history is read on their own index, a guest's on the email's.
  expect(all.some((t) => t.endsWith(' comments_reader_idx'))).toBe(true);
  expect(all.some((t) => t.endsWith(' comments_site_email_idx'))).toBe(true);
  // And the statement still answers: one row per submission, each with its own reader's facts.
  const { rows: facts } = await db.pool.query<{ ord: string; author_has_approved: boolean; trusted: boolean }>(
    checkFactsSql,
    values,
  );
  expect(facts.map((f) => [Number(f.ord), f.author_has_approved, f.trusted]).sort()).toEqual([
    [1, true, false],
    [2, true, false],
  ]);
});
