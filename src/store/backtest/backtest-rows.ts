import { toPageSettings, type PageSettings } from '../../domain/pages/page-settings.js';
import type { SiteSettings } from '../../domain/site-settings.js';
import { backtestChecks, emptyBacktest, type BacktestResult, type StoredCheck } from '../../moderation/backtest.js';
import { backtestSettingsOf, type BacktestChange } from '../../moderation/backtest-change.js';
import { fromStoredFacts } from '../../moderation/stored-facts.js';
import type { CommentStatus } from '../../moderation/verdict.js';
import type { Queryable } from '../db.js';

/*
 * The IO of a backtest (issue 17, item 3): a site's (or one page's) comments of the last days, newest
 * first, with the facts their verdicts rest on (comments.check_facts, sql/0054), read in batches so a
 * long window never holds more than one batch in memory; src/moderation/backtest.ts counts.
 */

interface CheckRow {
  id: string;
  page_id: string;
  /** received_at as Postgres prints it: a cursor with its full precision. */
  at: string;
  status: CommentStatus;
  check_facts: unknown;
  author_name: string;
  author_email: string;
  author_url: string;
  body: string;
  identifier: string;
  page_settings: unknown;
}

// The site's comments by received_at (comments_ip_retention_idx; a page's: comments_page_received_idx).
// The status is the stored verdict's: what the rules said, not what a moderator decided since.
const checksSql = `
select c.id, c.page_id, c.received_at::text as at, c.verdict->>'status' as status, c.check_facts,
       c.author_name, c.author_email, c.author_url, c.body, p.identifier, p.settings as page_settings
  from comments c join pages p on p.id = c.page_id
 where c.site_id = $1 and c.received_at >= $2 and ($3::bigint is null or c.page_id = $3)
   and ($4::timestamptz is null or (c.received_at, c.id) < ($4::timestamptz, $5::uuid))
 order by c.received_at desc, c.id desc
 limit $6`;

export interface BacktestRequest {
  siteId: string;
  /** The site's settings now. */
  current: SiteSettings;
  change: BacktestChange;
  /** The window's start: comments received since. */
  since: Date;
  /** How many changed comments to name. @defaultValue 10 */
  sampleSize?: number;
  /** Comments read per query. @defaultValue 2000 */
  batchSize?: number;
}

/** Re-runs the rules over the window's comments under the change; what would have changed. */
export async function runBacktest(db: Queryable, q: BacktestRequest): Promise<BacktestResult> {
  const result = emptyBacktest();
  const batchSize = q.batchSize ?? 2000;
  const pageOnly = q.change.kind === 'page' ? q.change.pageId : null;
  // Each page's settings once per run: a page's overrides are read with its comments.
  const pages = new Map<number, ReturnType<typeof backtestSettingsOf>>();
  let cursor: { at: string; id: string } | null = null;
  for (;;) {
    const rows: CheckRow[] = (
      await db.query<CheckRow>(checksSql, [
        q.siteId,
        q.since,
        pageOnly,
        cursor?.at ?? null,
        cursor?.id ?? null,
        batchSize,
      ])
    ).rows;
    const checks: StoredCheck[] = rows.map((r) => {
      const pageId = Number(r.page_id);
      if (!pages.has(pageId)) {
        const overrides: PageSettings = toPageSettings(r.page_settings);
        pages.set(pageId, backtestSettingsOf(q.current, q.change, pageId, overrides));
      }
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
    const last: CheckRow | undefined = rows.at(-1);
    if (last === undefined || rows.length < batchSize) return result;
    cursor = { at: last.at, id: last.id };
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
