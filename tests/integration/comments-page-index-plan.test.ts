import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadNoticePage } from '../../src/store/notify/desk-notice-facts.js';
import { checksSql } from '../../src/store/backtest/backtest-rows.js';
import {
  listApprovedComments,
  listApprovedConversationsNewest,
  listApprovedReplies,
} from '../../src/store/comments.js';
import { listFeedComments } from '../../src/export/atom-feed.js';
import { listVotesOnPage } from '../../src/store/conversation/votes.js';
import { listQueue } from '../../src/store/moderation-queue.js';
import { listSitePages } from '../../src/store/pages/page-list.js';
import type { Queryable } from '../../src/store/db.js';
import { addSite } from '../support/harness.js';
import { planScans, type PlanNode } from '../support/query-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 18, item 6: one index of comments by page, `comments_page_received_status_idx (page_id,
 * received_at, id, status)` (sql/0068), serves what `comments_page_received_idx (page_id, received_at)` and
 * `comments_page_approved_idx (page_id, received_at, id) where status = 'approved'` served, so a new
 * approved comment writes one index of its page by time instead of two. Each statement that read either of them is
 * run as the code runs it (the store functions, through a client that records what they send), then
 * explained with the same text and values: it must read that index, and never scan comments whole.
 * A site of 300 pages and 60,000 comments of every status (one page of 3,000), a fifth of them replies,
 * beside another site of 60,000, so the planner prefers indexes as it does on a real table.
 */
let db: TestDatabase;
let hotPageId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  await addSite(db.pool, 'big', ['https://big.example']);
  await db.pool.query(`insert into pages (site_id, identifier) select 'big', 'p' || g from generate_series(0, 299) g`);
  // Page p0 takes every 20th comment and a share of the rest (3,000 of 60,000). A fifth are replies to
  // an older comment of the same page (ids are derived from g, so the parent is known in advance).
  await db.pool.query(
    `insert into comments (id, site_id, page_id, parent_id, depth, author_name, author_email, body, body_html,
                           status, verdict, content_hash, ip, received_at, reported_at)
     select md5('c' || g)::uuid, 'big', pg.id,
            case when g % 5 = 0 and g + 20 * 300 <= 60000 then md5('c' || (g + 20 * 300))::uuid end,
            case when g % 5 = 0 and g + 20 * 300 <= 60000 then 1 else 0 end,
            'A ' || g, 'author' || (g % 3000) || '@example.org', 'Body ' || g, '<p>Body ' || g || '</p>',
            (array['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'pending',
                   'spam', 'rejected', 'deleted'])[(g % 11) + 1],
            '{"status":"approved","score":0,"reasons":[]}', sha256(('c' || g)::bytea),
            ('10.' || (g % 200) || '.' || (g % 250) || '.1')::inet, now() - make_interval(secs => g),
            case when g % 97 = 0 then now() end
       from generate_series(1, 60000) g
       join pages pg on pg.site_id = 'big' and pg.identifier = 'p' || (case when g % 20 = 0 then 0 else g % 300 end)`,
  );
  // Another site as big, as on a shared install: the backtest reads this site's pages and
  // window only, never the other site's comments.
  await addSite(db.pool, 'other', ['https://other.example']);
  await db.pool.query(
    `insert into pages (site_id, identifier) select 'other', 'o' || g from generate_series(0, 299) g`,
  );
  await db.pool.query(
    `insert into comments (id, site_id, page_id, author_name, author_email, body, body_html, status, verdict,
                           content_hash, ip, received_at)
     select gen_random_uuid(), 'other', pg.id, 'B ' || g, 'b' || (g % 9000) || '@example.org', 'Other ' || g, '<p>x</p>',
            'approved', '{"status":"approved","score":0,"reasons":[]}', sha256(('o' || g)::bytea),
            ('10.9.' || (g % 250) || '.1')::inet, now() - make_interval(secs => g)
       from generate_series(1, 60000) g
       join pages pg on pg.site_id = 'other' and pg.identifier = 'o' || (g % 300)`,
  );
  const { rows } = await db.pool.query<{ id: number }>(`select id from pages where identifier = 'p0'`);
  hotPageId = rows[0]!.id;
  // As autovacuum leaves a real table: statistics, and a visibility map for index-only scans.
  await db.pool.query('vacuum analyze comments');
  await db.pool.query('analyze');
});

afterAll(async () => {
  await db?.drop();
});

interface Sent {
  text: string;
  values: unknown[];
}

/** A client that runs what it is sent and keeps the text and values of every statement. */
function recording(): { db: Queryable; sent: Sent[] } {
  const sent: Sent[] = [];
  const query = (q: string | { text: string; values?: unknown[] }, values?: unknown[]) => {
    const text = typeof q === 'string' ? q : q.text;
    sent.push({ text, values: values ?? (typeof q === 'string' ? [] : (q.values ?? [])) });
    return db.pool.query(q as never, values as never);
  };
  return { db: { query } as unknown as Queryable, sent };
}

async function scansOf(s: Sent): Promise<string[]> {
  const { rows } = await db.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${s.text}`,
    s.values,
  );
  return planScans(rows[0]!['QUERY PLAN'][0].Plan);
}

/** The scans of each statement the call sent whose text mentions `marker`. */
async function plansOf(call: (db: Queryable) => Promise<unknown>, marker: string): Promise<string[][]> {
  const r = recording();
  await call(r.db);
  const mine = r.sent.filter((s) => s.text.includes(marker));
  expect(mine.length).toBeGreaterThan(0);
  return Promise.all(mine.map(scansOf));
}

const PAGE_INDEX = 'comments_page_received_status_idx';
const noSeqScan = (scans: string[]) => expect(scans.filter((s) => s === 'Seq Scan comments')).toEqual([]);

const reads = (scans: string[], index: string) => scans.some((t) => t.endsWith(` ${index}`));
const show = (plans: string[][]) => plans.map((p) => p.join(', ')).join(' | ');

it.each([
  [
    'the thread, oldest first (first page)',
    (d: Queryable) => listApprovedComments(d, { siteId: 'big', page: 'p0', after: null, limit: 50 }),
  ],
  [
    'the thread, oldest first (a deep page)',
    async (d: Queryable) => {
      const { rows } = await db.pool.query<{ id: string; received_at: Date }>(
        `select id, received_at from comments where page_id = $1 and status = 'approved'
          order by received_at, id offset 1500 limit 1`,
        [hotPageId],
      );
      return listApprovedComments(d, {
        siteId: 'big',
        page: 'p0',
        after: { receivedAt: rows[0]!.received_at, id: rows[0]!.id },
        limit: 50,
      });
    },
  ],
  [
    'the thread, newest conversations first',
    (d: Queryable) => listApprovedConversationsNewest(d, { siteId: 'big', page: 'p0', before: null, limit: 30 }),
  ],
  ['a page’s Atom feed', (d: Queryable) => listFeedComments(d, 'big', hotPageId)],
  [
    'the Pages list (recent and latest comment of each page)',
    (d: Queryable) => listSitePages(d, { siteId: 'big', view: 'active', search: null, now: new Date() }),
  ],
  ['a desk notice’s pending count of the page', (d: Queryable) => loadNoticePage(d, hotPageId)],
])('%s reads comments_page_received_status_idx', async (name, call) => {
  const plans = await plansOf(call, 'page_id');
  console.log(`${name}: ${show(plans)}`);
  for (const scans of plans) noSeqScan(scans);
  expect(plans.some((scans) => reads(scans, PAGE_INDEX))).toBe(true);
});

it.each([
  [
    'a voter’s votes on the page',
    (d: Queryable) => listVotesOnPage(d, { siteId: 'big', page: 'p0', voter: 'v1' }),
    'page_id',
    'comments_pkey',
  ],
  [
    'the pending tab filtered to one page',
    (d: Queryable) =>
      listQueue(
        d,
        { tab: 'pending', siteIds: ['big'], site: null, page: 'p0', reason: null, q: null, order: 'newest' },
        null,
        50,
      ),
    'order by c.received_at',
    null,
  ],
  [
    'the spam tab filtered to one page',
    (d: Queryable) =>
      listQueue(
        d,
        { tab: 'spam', siteIds: ['big'], site: null, page: 'p0', reason: null, q: null, order: 'oldest' },
        null,
        50,
      ),
    'order by c.received_at',
    null,
  ],
  [
    'the replies under a conversation',
    async (d: Queryable) => {
      const { rows } = await db.pool.query<{ id: string }>(
        `select r.id from comments r where r.page_id = $1 and r.status = 'approved' and r.parent_id is null
            and exists (select 1 from comments c where c.parent_id = r.id and c.status = 'approved') limit 1`,
        [hotPageId],
      );
      return listApprovedReplies(d, { siteId: 'big', page: 'p0', root: rows[0]!.id, after: null, limit: 50 });
    },
    'parent_id',
    'comments_parent_idx',
  ],
])('%s stays on an index of comments', async (name, call, marker, index) => {
  const plans = await plansOf(call, marker);
  console.log(`${name}: ${show(plans)}`);
  for (const scans of plans) {
    noSeqScan(scans);
    expect(scans.some((t) => t.endsWith(' comments') || t.includes(' comments_'))).toBe(true);
  }
  if (index !== null) expect(plans.some((scans) => reads(scans, index))).toBe(true);
});

it('the backtest’s window and a page’s removal read comments_page_received_status_idx', async () => {
  // A window of ten minutes: 600 of the site's 60,000 comments, as a moderator trying a change on
  // the last hours of a busy site.
  const since = new Date(Date.now() - 600_000);
  const statements: Sent[] = [
    { text: checksSql, values: ['big', since, null] },
    { text: checksSql, values: ['big', since, hotPageId] },
    // What the foreign key's cascade runs when a page (or its site) is deleted: pages → comments.
    { text: 'delete from only comments where $1 = page_id', values: [hotPageId] },
  ];
  for (const s of statements) {
    const scans = await scansOf(s);
    console.log(`${s.text.trim().slice(0, 40).replace(/\s+/g, ' ')}: ${scans.join(', ')}`);
    noSeqScan(scans);
    expect(reads(scans, PAGE_INDEX)).toBe(true);
  }
});
