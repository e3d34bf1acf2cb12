import { parseArgs } from 'node:util';
import { changePageSettings } from '../domain/pages/page-settings.js';
import { toBacktestJson, type BacktestResult } from '../moderation/backtest.js';
import { patchSiteSettings, toBacktestDays, type BacktestChange } from '../moderation/backtest-change.js';
import { runBacktest } from '../store/backtest/backtest-rows.js';
import type { Pool } from '../store/db.js';
import { findPage } from '../store/pages/page-settings-store.js';
import { loadSite } from '../store/sites.js';
import { UsageError } from './site-commands.js';

export const rulesBacktestUsage =
  'usage: reply-desk rules backtest --site ID --settings JSON [--page PAGE] [--days N] [--json] (e.g. --settings \'{"holdWords":["idiot"]}\')';

export const rulesBacktestOptions = {
  site: { type: 'string' },
  settings: { type: 'string' },
  page: { type: 'string' },
  days: { type: 'string' },
  json: { type: 'boolean' },
} as const;

function describe(result: BacktestResult, days: number): string[] {
  const lines = [
    `${result.comments} comment(s) of the last ${days} day(s) re-checked, ${result.changed} would change` +
      (result.notBacktestable > 0 ? `; ${result.notBacktestable} without stored facts (not backtestable)` : ''),
  ];
  for (const [transition, n] of Object.entries(result.transitions)) lines.push(`  ${transition}\t${n}`);
  if (result.drift > 0)
    lines.push(`${result.drift} would differ under the current settings too (the rules changed since they came in)`);
  for (const s of result.sample) lines.push(`  ${s.id}\t${s.from}->${s.to}\t${s.codes.join(',') || '-'}`);
  return lines;
}

/**
 * `reply-desk rules backtest`: what the site's rules would have done to its last N days of comments
 * with the given settings (issue 17, item 3), without changing anything. `--settings` is a partial
 * patch over the site's settings now; with `--page`, over that page's own overrides (null: as the site).
 */
export async function runRulesBacktest(
  db: Pool,
  args: string[],
  print: (line: string) => void,
  now: Date = new Date(),
): Promise<void> {
  const { values, positionals } = parseArgs({ args, options: rulesBacktestOptions, allowPositionals: true });
  if (positionals.length > 0 || values.site === undefined || values.settings === undefined)
    throw new UsageError(rulesBacktestUsage);
  const days = toBacktestDays(values.days);
  if (days === null) throw new UsageError(`--days must be a whole number of days from 1 to 365`);
  let patch: unknown;
  try {
    patch = JSON.parse(values.settings);
  } catch {
    throw new UsageError(`--settings must be a JSON object, e.g. '{"holdLinks":1}'`);
  }
  const site = await loadSite(db, values.site);
  if (site === null) throw new UsageError(`no site "${values.site}"`);
  let change: BacktestChange;
  if (values.page !== undefined) {
    const page = await findPage(db, site.id, values.page);
    if (page === null) throw new UsageError(`site "${site.id}" has no page "${values.page}"`);
    const next = changePageSettings(page.settings, patch);
    if (!next.ok)
      throw new UsageError(`invalid settings: ${next.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
    change = { kind: 'page', pageId: page.id, settings: next.settings };
  } else {
    const next = patchSiteSettings(site.settings, patch);
    if (!next.ok) throw new UsageError(`invalid settings: ${next.errors.map((e) => `${e.message}`).join('; ')}`);
    change = { kind: 'site', settings: next.settings };
  }
  const result = await runBacktest(db, {
    siteId: site.id,
    current: site.settings,
    change,
    since: new Date(now.getTime() - days * 86_400_000),
  });
  if (values.json === true) print(JSON.stringify(toBacktestJson(result)));
  else for (const line of describe(result, days)) print(line);
}
