import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { voteScore } from '../src/domain/vote-score.js';
import { sentence } from './lib/fixtures.js';
import { progress } from './lib/stats.js';

const { from: copyFrom } = copyStreams;

/** What the read-path bench asks for, named by the loader. */
export interface ReadTargets {
  site: string;
  /** A thread with exactly `bigThreadApproved` approved comments (and some that are not). */
  bigThreadPage: string;
  bigThreadApproved: number;
  /** 50 pages of `site` for /api/counts. */
  countPages: string[];
}

export interface LoadResult extends ReadTargets {
  comments: number;
  pages: number;
  sites: number;
  copySeconds: number;
  indexSeconds: number;
  totalSeconds: number;
}

const SITES = 100;
const STATUSES: [string, number][] = [
  ['approved', 0.8],
  ['pending', 0.08],
  ['spam', 0.07],
  ['rejected', 0.04],
  ['deleted', 0.01],
];

/**
 * Readers' votes on a published comment, heavy-tailed as on a real site: about half get none, most of
 * the rest a handful, a few hundreds; down votes a varying share of the up votes. The score is the one
 * the vote's own transaction stores (src/domain/vote-score.ts), so "top" walks a realistic index.
 */
function votesFor(random: () => number): { up: number; down: number; score: number } {
  if (random() < 0.5) return { up: 0, down: 0, score: 0 };
  const up = Math.floor(Math.exp(random() ** 2 * Math.log(400)));
  const down = Math.floor(up * random() * random() * 0.6 + (random() < 0.2 ? random() * 4 : 0));
  return { up, down, score: voteScore(up, down) };
}

/** Tiny fast PRNG (mulberry32): the loader makes tens of millions of choices. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pickStatus(u: number): string {
  let acc = 0;
  for (const [s, p] of STATUSES) if (u < (acc += p)) return s;
  return 'approved';
}

interface PagePlan {
  id: number;
  site: string;
  identifier: string;
  comments: number;
  approvedExactly?: number;
}

/** Sites bench-s000… (bench-s000 is the read target); most pages small, a few huge threads. */
function planPages(total: number, random: () => number): { pages: PagePlan[]; targets: ReadTargets } {
  const site = (i: number) => `bench-s${String(i).padStart(3, '0')}`;
  const pages: PagePlan[] = [];
  let left = total;
  let id = 1;
  // The thread the deep-page bench walks: 2,000 approved among ~2,400.
  pages.push({ id: id++, site: site(0), identifier: 'big-thread', comments: 2400, approvedExactly: 2000 });
  left -= 2400;
  // A few huge threads (breaking news): 1% of all comments each, on five sites.
  for (let i = 0; i < 5; i++) {
    const n = Math.floor(total * 0.01);
    pages.push({ id: id++, site: site(i * 7), identifier: `breaking-${i}`, comments: n });
    left -= n;
  }
  // The rest: heavy-tailed (u^4 of up to 400: most pages have a handful, some hundreds), sites Zipf-like.
  let p = 0;
  while (left > 0) {
    const n = Math.min(left, 1 + Math.floor(400 * random() ** 4));
    const s = p < 200 ? 0 : Math.floor(SITES * random() ** 2);
    pages.push({ id: id++, site: site(s), identifier: `p-${p++}`, comments: n });
    left -= n;
  }
  const countPages = pages
    .filter((pg) => pg.site === site(0) && pg.identifier.startsWith('p-'))
    .slice(0, 50)
    .map((pg) => pg.identifier);
  return { pages, targets: { site: site(0), bigThreadPage: 'big-thread', bigThreadApproved: 2000, countPages } };
}

/** Rows of COPY text for every comment of the plan, generated lazily in chunks. */
function* commentRows(pages: PagePlan[], random: () => number, onRows: (n: number) => void): Generator<string> {
  const idPrefix = randomBytes(1).toString('hex');
  let seq = 0;
  const yearMs = 365 * 86_400_000;
  const now = Date.now();
  for (const page of pages) {
    let t = now - yearMs + Math.floor(random() * (yearMs - 40 * 86_400_000));
    const recent: { id: string; depth: number }[] = [];
    let approvedLeft = page.approvedExactly ?? Infinity;
    let chunk = '';
    for (let i = 0; i < page.comments; i++) {
      // Ids increase in load order, so the primary key fills its index from the right.
      const hex = (seq++).toString(16).padStart(16, '0');
      const id = `${idPrefix}${hex.slice(0, 6)}-${hex.slice(6, 10)}-7${hex.slice(10, 13)}-8${hex.slice(13, 16)}-${randomBytes(6).toString('hex')}`;
      let status = pickStatus(random());
      if (page.approvedExactly !== undefined) {
        const remaining = page.comments - i;
        status = approvedLeft >= remaining ? 'approved' : approvedLeft > 0 && random() < 0.83 ? 'approved' : 'pending';
      }
      if (status === 'approved') approvedLeft--;
      const reply = recent.length > 0 && random() < 0.3 ? recent[Math.floor(random() * recent.length)]! : null;
      const depth = reply && reply.depth < 4 ? reply.depth + 1 : 0;
      const parent = reply && depth > 0 ? reply.id : '\\N';
      if (status === 'approved') {
        recent.push({ id, depth });
        if (recent.length > 20) recent.shift();
      }
      t += 1000 + Math.floor(random() * 600_000 * (page.comments > 10_000 ? 0.01 : 1));
      const at = new Date(t).toISOString();
      const a = Math.floor(random() * 200_000);
      const body = sentence(seq, 60 + Math.floor(random() * random() * 900));
      const votes = status === 'approved' ? votesFor(random) : { up: 0, down: 0, score: 0 };
      const verdict = `{"score":0,"status":"${status === 'deleted' ? 'approved' : status}","reasons":[]}`;
      chunk +=
        `${id}\t${page.site}\t${page.id}\t${parent}\t${depth}\tReader ${a}\treader${a}@example.org\t\t${body}\t<p>${body}</p>\t` +
        `${status}\t${verdict}\t\\\\x${randomBytes(32).toString('hex')}\t10.${a & 255}.${(a >> 8) & 255}.${seq & 255}\tMozilla/5.0\t${at}\t${at}\t` +
        `${votes.up}\t${votes.down}\t${votes.score}\n`;
      if ((i & 511) === 511) {
        yield chunk;
        onRows(512);
        chunk = '';
      }
    }
    if (chunk !== '') {
      yield chunk;
      onRows(page.comments & 511);
    }
  }
}

/**
 * Loads `total` comments with COPY into a freshly migrated database. Bulk-load practice: foreign keys
 * and triggers off for the session (session_replication_role = replica), secondary indexes dropped and
 * rebuilt after, the trigger-kept counters (pages.approved_count, first_comment_at) set in one pass.
 */
export async function loadComments(databaseUrl: string, total: number): Promise<LoadResult> {
  const started = Date.now();
  const random = rng(42);
  const { pages, targets } = planPages(total, random);
  const db = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-loader' });
  await db.connect();
  try {
    await db.query(
      "set session_replication_role = replica; set maintenance_work_mem = '512MB'; set synchronous_commit = off",
    );
    const { rows: indexes } = await db.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes
        where schemaname = 'public' and tablename = 'comments'
          and indexname not in (select conname from pg_constraint)`,
    );
    for (const ix of indexes) await db.query(`drop index ${pg.escapeIdentifier(ix.indexname)}`);

    const siteIds = [...new Set(pages.map((p) => p.site))];
    await db.query(
      `insert into sites (id, name, allowed_origins, settings)
       select s, 'Bench ' || s, array['https://' || s || '.example'], '{}'::jsonb from unnest($1::text[]) s
       on conflict (id) do nothing`,
      [siteIds],
    );
    await pipeline(
      Readable.from(
        (function* () {
          let chunk = '';
          for (const p of pages) {
            chunk += `${p.id}\t${p.site}\t${p.identifier}\thttps://${p.site}.example/${p.identifier}\t${p.identifier}\n`;
            if (chunk.length > 65_536) {
              yield chunk;
              chunk = '';
            }
          }
          yield chunk;
        })(),
      ),
      db.query(copyFrom('copy pages (id, site_id, identifier, url, title) from stdin')),
    );
    await db.query(`select setval(pg_get_serial_sequence('pages', 'id'), $1)`, [pages.length]);

    // Two COPY streams on two connections: Postgres parses and writes one while the other waits on us.
    const streams = Number(process.env.BENCH_COPY_STREAMS ?? 2);
    const groups: PagePlan[][] = Array.from({ length: streams }, () => []);
    pages.forEach((p, i) => groups[i % streams]!.push(p));
    let done = 0;
    let lastDone = 0;
    let lastAt = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      progress(
        `loader: ${(done / 1e6).toFixed(2)}M / ${(total / 1e6).toFixed(2)}M comments, ${Math.round(((done - lastDone) * 1000) / (now - lastAt)).toLocaleString('en')} rows/s`,
      );
      lastDone = done;
      lastAt = now;
    }, 5000);
    const copyStart = Date.now();
    try {
      await Promise.all(
        groups.map(async (group, g) => {
          const c = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-loader' });
          await c.connect();
          try {
            await c.query('set session_replication_role = replica; set synchronous_commit = off');
            await pipeline(
              Readable.from(commentRows(group, rng(1000 + g), (n) => (done += n))),
              c.query(
                copyFrom(
                  `copy comments (id, site_id, page_id, parent_id, depth, author_name, author_email, author_url, body, body_html,
                              status, verdict, content_hash, ip, user_agent, received_at, created_at,
                              votes_up, votes_down, top_score) from stdin`,
                ),
              ),
            );
          } finally {
            await c.end();
          }
        }),
      );
    } finally {
      clearInterval(timer);
    }
    const copySeconds = (Date.now() - copyStart) / 1000;
    progress(
      `loader: COPY of ${total.toLocaleString('en')} comments took ${copySeconds.toFixed(0)} s (${Math.round(total / copySeconds).toLocaleString('en')} rows/s); rebuilding ${indexes.length} indexes`,
    );
    const indexStart = Date.now();
    for (const ix of indexes) await db.query(ix.indexdef);
    await db.query(`
      update pages p set approved_count = c.approved, first_comment_at = c.first_at
        from (select page_id, count(*) filter (where status = 'approved') as approved,
                     min(received_at) filter (where status <> 'rejected') as first_at
                from comments group by page_id) c
       where p.id = c.page_id`);
    await db.query('analyze pages; analyze comments');
    const indexSeconds = (Date.now() - indexStart) / 1000;
    progress(`loader: indexes, counters and analyze took ${indexSeconds.toFixed(0)} s`);
    return {
      ...targets,
      comments: total,
      pages: pages.length,
      sites: siteIds.length,
      copySeconds,
      indexSeconds,
      totalSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    await db.end();
  }
}
