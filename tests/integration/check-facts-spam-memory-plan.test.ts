import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkFactsSql } from '../../src/store/batched/check-facts.js';
import { addSite } from '../support/harness.js';
import { planScans, type PlanNode } from '../support/query-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 18, item 6 (a): the facts statement's spam memory must not grow with the site's spam history.
 * A site with 3,000 comments a moderator marked as spam (each a spam_training example, as the desk
 * leaves them): the email and IP lookups read the spam-only indexes of sql/0061, and the statement
 * answers as before (this guest's earlier spam is remembered).
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'spammy', ['https://spammy.example']);
  await db.pool.query(`insert into pages (site_id, identifier) values ('spammy', 'p')`);
  await db.pool.query(`insert into spam_models (model) values ('spammy') on conflict do nothing`);
  await db.pool.query(
    `insert into comments (id, site_id, page_id, author_name, author_email, body, body_html, status, verdict,
                           content_hash, ip, received_at)
     select gen_random_uuid(), 'spammy', (select id from pages where identifier = 'p'), 'A ' || g,
            'author' || (g % 5000) || '@example.org', 'Body ' || g, '<p>Body ' || g || '</p>',
            case when g % 10 = 0 then 'spam' else 'approved' end,
            '{"status":"approved","score":0,"reasons":[]}', sha256(('c' || g)::bytea),
            ('10.' || (g % 200) || '.' || (g % 250) || '.1')::inet, now() - make_interval(secs => g)
       from generate_series(1, 30000) g`,
  );
  await db.pool.query(
    `insert into spam_training (model, example, label, features)
     select 'spammy', id::text, 'spam', '{}' from comments where site_id = 'spammy' and status = 'spam'`,
  );
  await db.pool.query('analyze');
});

afterAll(async () => {
  await db?.drop();
});

it('looks up a guest’s and an IP’s spam on spam-only indexes, whatever the site’s spam history', async () => {
  const { rows: spam } = await db.pool.query<{ author_email: string; ip: string }>(
    `select author_email, host(ip) as ip from comments where site_id = 'spammy' and status = 'spam' limit 1`,
  );
  const email = spam[0]!.author_email;
  const hash = (s: string) => createHash('sha256').update(s).digest();
  const values = [
    ['spammy'],
    ['p'],
    [null],
    [null],
    ['0190a0b0-0000-7000-8000-0000000000aa'],
    [null],
    [hash('new one')],
    [email],
    ['192.0.2.9'],
    [new Date()],
    [''],
    ['192.0.2.9'],
    [null],
  ];
  const { rows } = await db.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${checkFactsSql}`,
    values,
  );
  const all = planScans(rows[0]!['QUERY PLAN'][0].Plan);
  expect(all.filter((t) => t.endsWith(' comments'))).toEqual([]);
  expect(all.some((t) => t.endsWith(' comments_spam_email_idx'))).toBe(true);
  expect(all.some((t) => t.endsWith(' comments_spam_ip_idx'))).toBe(true);
  // No read of the site's whole list of spam examples: spam_training is only probed by (model, example).
  // Named, as the worker runs it: planned once, so the figure is the lookups' own cost.
  const times: number[] = [];
  let facts: { memory_kind: string | null }[] = [];
  for (let i = 0; i < 30; i++) {
    const started = performance.now();
    facts = (
      await db.pool.query<{ memory_kind: string | null }>({ name: 'facts-spam-memory', text: checkFactsSql, values })
    ).rows;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `facts statement, a site with 3,000 spam comments: median ${times[15]!.toFixed(2)} ms of 30 runs; plan: ${all.join(', ')}`,
  );
  expect(facts.map((f) => f.memory_kind)).toEqual(['email']);
});
