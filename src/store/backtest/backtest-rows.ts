import { toPageSettings } from '../../domain/pages/page-settings.js';
import type { SiteSettings } from '../../domain/site-settings.js';
import { backtestChecks, emptyBacktest, type BacktestResult, type StoredCheck } from '../../moderation/backtest.js';
import { backtestSettingsOf, type BacktestChange } from '../../moderation/backtest-change.js';
import { fromStoredFacts } from '../../moderation/stored-facts.js';
import type { CommentStatus } from '../../moderation/verdict.js';
import type { Pool, Queryable } from '../db.js';

/*
 * The IO of a backtest (issue 17, item 3): a site's (or one page's) comments of the last days, with
 * the facts their verdicts rest on (comments.check_facts, sql/0054); src/moderation/backtest.ts counts.
 */

interface CheckRow {
  id: string;
  page_id: string;
  status: CommentStatus;
  check_facts: unknown;
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  identifier: string;
  page_settings: unknown;
}

// Page by page, each page's window on comments_page_received_status_idx (sql/0068; no index of comments
// by site and time exists, and one more on every insert would slow the writer, issue 18): the cost is
// the site's pages plus the window's comments, never the other sites'. No order: the sample keeps the newest.
// The status is the stored verdict's: what the rules said, not what a moderator decided since.
// Exported for tests/integration/comments-page-index-plan.test.ts, which checks the window stays on an index.
export const checksSql = `
select c.id, c.page_id, c.status, c.check_facts, c.author_name, c.author_email, c.author_url, c.body,
       p.identifier, p.settings as page_settings
  from pages p
  cross join lateral (
    select c.id, c.page_id, c.verdict->>'status' as status, c.check_facts, c.author_name, c.author_email,
           c.author_url, c.body
      from comments c
     where c.page_id = p.id and c.received_at >= $2) c
 where p.site_id = $1 and ($3::bigint is null or p.id = $3)`;

export interface BacktestRequest {
  siteId: string;
  /** The site's settings now. */
  current: SiteSettings;
  change: BacktestChange;
  /** The window's start: comments received since. */
  since: Date;
  /** How many changed comments to name. @defaultValue 10 */
  sampleSize?: number;
  /** Comments fetched at a time. @defaultValue 2000 */
  batchSize?: number;
}

/**
 * Re-runs the rules over the window's comments under the change; what would have changed. One read-only
 * snapshot, streamed through a cursor a batch at a time, so a long window is read once and never held
 * in memory whole.
 */
export async function runBacktest(db: Pool, q: BacktestRequest): Promise<BacktestResult> {
  const result = emptyBacktest();
  const pageOnly = q.change.kind === 'page' ? q.change.pageId : null;
  // Each page's settings once per run: a page's overrides are read with its comments.
  const pages = new Map<number, ReturnType<typeof backtestSettingsOf>>();
  const client = await db.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await client.query(`declare backtest no scroll cursor for ${checksSql}`, [q.siteId, q.since, pageOnly]);
    for (;;) {
      const { rows } = await client.query<CheckRow>(
        `fetch ${Math.max(1, Math.trunc(q.batchSize ?? 2000))} from backtest`,
      );
      const checks: StoredCheck[] = rows.map((r) => {
        const pageId = Number(r.page_id);
        if (!pages.has(pageId))
          pages.set(pageId, backtestSettingsOf(q.current, q.change, pageId, toPageSettings(r.page_settings)));
        return {
          id: r.id,
          pageId,
          status: r.status,
          context: fromStoredFacts(r.check_facts, {
            page: r.identifier,
            author: r.author_name,
            email: r.author_email,
            url: r.author_url,
            body: r.body,
          }),
        };
      });
      backtestChecks(checks, (pageId) => pages.get(pageId) ?? null, { sampleSize: q.sampleSize ?? 10 }, result);
      if (rows.length === 0) break;
    }
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** A changed comment as the preview shows it: enough to recognise it, and where to open it. */
export interface BacktestCard {
  id: string;
  page: string;
  author: string;
  body: string;
  /** Its status now (a moderator may have decided since the rules did). */
  status: CommentStatus;
  reported: boolean;
  receivedAt: Date;
}

/** The sample's comments, in the sample's order. */
export async function loadBacktestCards(db: Queryable, siteId: string, ids: string[]): Promise<BacktestCard[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{
    id: string;
    identifier: string;
    author_name: string;
    body: string;
    status: CommentStatus;
    reported: boolean;
    received_at: Date;
  }>(
    `select c.id, p.identifier, c.author_name, left(c.body, 300) as body, c.status,
            c.reported_at is not null as reported, c.received_at
       from comments c join pages p on p.id = c.page_id
      where c.site_id = $1 and c.id = any($2::uuid[])`,
    [siteId, ids],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r
      ? [
          {
            id,
            page: r.identifier,
            author: r.author_name,
            body: r.body,
            status: r.status,
            reported: r.reported,
            receivedAt: r.received_at,
          },
        ]
      : [];
  });
}
