import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { prepareDatabase } from '../src/store/migrate.js';
import { createPool } from '../src/store/db.js';
import { insertSite } from '../src/store/sites.js';
import { toSiteSettings } from '../src/domain/site-settings.js';
import { toStoredFacts } from '../src/moderation/stored-facts.js';
import { runBacktest } from '../src/store/backtest/backtest-rows.js';
import { insertComments, type NewComment } from '../src/store/batched/comment-writer.js';
import { checkComment } from '../src/moderation/check-comment.js';
import type { CheckContext } from '../src/moderation/verdict.js';

/*
 * The backtest's costs (README "What if? Backtesting a rule change"): the writer's 100-comment insert
 * with and without the stored facts (interleaved batches), and backtests of a hold word over the
 * window, on a database of its own (dropped and made again). `N=200000 npx tsx bench/backtest.ts`:
 * half the batches carry facts; those without are deleted before the backtests.
 */
const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/rd_backtest_bench';
const N = Number(process.env.N ?? 100000);
async function main() {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query('drop database if exists rd_backtest_bench with (force)');
  await admin.end();
  await prepareDatabase(url);
  const pool = createPool(url, 4, { statementTimeoutMs: 0 });
  await insertSite(pool, { id: 'news', name: 'News', allowedOrigins: [], settings: { holdFirstTime: false } });
  const { rows } = await pool.query<{ id: string }>(
    `insert into pages (site_id, identifier) select 'news', 'page-' || g from generate_series(1, 200) g returning id`,
  );
  const pageIds = rows.map((r) => Number(r.id));
  const settings = toSiteSettings({ holdFirstTime: false });
  const ctxOf = (i: number, pageId: number, body: string): CheckContext => ({
    fields: {
      page: `page-${pageId}`,
      parentId: null,
      author: `Reader ${i}`,
      email: `r${i}@example.org`,
      url: '',
      body,
    },
    honeypot: '',
    receivedAt: new Date(Date.now() - ((i * 25) % (29 * 86400)) * 1000),
    settings,
    page: { id: pageId, closed: false, firstCommentAt: new Date(Date.now() - 40 * 86400_000) },
    parent: null,
    duplicate: false,
    lastFromAuthorAt: null,
    authorHasApproved: i % 3 !== 0,
    ban: null,
    trusted: false,
    linkCount: i % 10 === 3 ? 2 : 0,
    spamScore: {
      pSpam: 0.12,
      trained: true,
      features: [
        { name: 'w:council', weight: -1.2 },
        { name: 'w:budget', weight: -0.8 },
        { name: 'w:mayor', weight: -0.5 },
      ],
    },
    formToken: { status: 'valid', renderedAt: new Date(Date.now() - ((i * 25) % (29 * 86400)) * 1000 - 60_000) },
    surge: false,
    spamMemory: null,
    reader: null,
    pageSurge: null,
  });
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'idiot', 'story', 'mayor', 'council', 'budget'];
  const make = (i: number, facts: boolean): NewComment => {
    const pageId = pageIds[i % pageIds.length]!;
    // About 250 characters; one in 20 carries the word the backtest adds.
    const body =
      Array.from({ length: 40 }, (_, k) => words[(i * 7 + k * 3) % 10 === 5 ? 6 : (i * 7 + k * 3) % 10]).join(' ') +
      (i % 20 === 0 ? ' idiot' : '');
    const ctx = ctxOf(i, pageId, body);
    const verdict = checkComment(ctx);
    return {
      id: randomUUID(),
      siteId: 'news',
      pageId,
      parentId: null,
      depth: 0,
      authorName: ctx.fields.author,
      authorEmail: ctx.fields.email,
      authorUrl: '',
      body,
      bodyHtml: `<p>${body}</p>`,
      verdict,
      contentHash: Buffer.from(randomUUID().replace(/-/g, ''), 'hex'),
      ip: '203.0.113.9',
      userAgent: 'bench',
      referrer: '',
      idempotencyKey: null,
      receivedAt: ctx.receivedAt,
      lang: 'en',
      checkFacts: facts ? toStoredFacts(ctx) : null,
    };
  };
  // Write path: batches of 100, with and without facts, interleaved rounds.
  const times: Record<string, number[]> = { with: [], without: [] };
  let i = 0;
  const batches = Math.ceil(N / 100);
  for (let b = 0; b < batches; b += 1) {
    const facts = b % 2 === 0;
    const batch = Array.from({ length: 100 }, () => make(i++, facts));
    const t0 = process.hrtime.bigint();
    await insertComments(pool, batch);
    times[facts ? 'with' : 'without']!.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  console.log(
    `insert 100 comments: median ${med(times.with!).toFixed(2)} ms with facts, ${med(times.without!).toFixed(2)} ms without (${times.with!.length} batches each)`,
  );
  const size = await pool.query(
    `select avg(pg_column_size(check_facts))::int as b from comments where check_facts is not null`,
  );
  console.log(`facts per comment: ${size.rows[0].b} bytes (pg_column_size)`);
  await pool.query('vacuum analyze comments');
  // Only facts rows count in the backtest; fill the "without" half's facts so the run covers N.
  await pool.query(`delete from comments where check_facts is null`);
  await pool.query('vacuum analyze comments');
  const current = settings;
  for (let round = 0; round < 3; round += 1) {
    const t0 = process.hrtime.bigint();
    const r = await runBacktest(pool, {
      siteId: 'news',
      current,
      change: { kind: 'site', settings: toSiteSettings({ holdFirstTime: false, holdWords: ['idiot'] }) },
      since: new Date(Date.now() - 30 * 86400_000),
    });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(
      `backtest holdWords over ${r.comments} comments (${r.notBacktestable} without facts): ${ms.toFixed(0)} ms, changed ${r.changed}`,
      JSON.stringify(r.transitions),
    );
  }
  const t1 = process.hrtime.bigint();
  const r2 = await runBacktest(pool, {
    siteId: 'news',
    current,
    change: { kind: 'page', pageId: pageIds[0]!, settings: { holdWords: ['idiot'] } },
    since: new Date(Date.now() - 30 * 86400_000),
  });
  console.log(`page backtest over ${r2.comments}: ${(Number(process.hrtime.bigint() - t1) / 1e6).toFixed(0)} ms`);
  await pool.end();
}
await main();
