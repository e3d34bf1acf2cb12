import { join } from 'node:path';
import { runImportCommand } from '../../src/cli/import-commands.js';
import { projectRoot } from '../../src/paths.js';
import type { Pool } from '../../src/store/db.js';

export const fixtureDir = join(projectRoot, 'tests/fixtures/import');

/** Runs `reply-desk import …` in-process and returns its exit code and printed lines. */
export async function importFile(
  pool: Pool,
  args: string[],
): Promise<{ code: number; lines: string[]; progress: string[] }> {
  const lines: string[] = [];
  const progress: string[] = [];
  const code = await runImportCommand(pool, args, { print: (l) => lines.push(l), progress: (l) => progress.push(l) });
  return { code, lines, progress };
}

export async function countRows(pool: Pool, siteId: string): Promise<{ comments: number; pages: number }> {
  const { rows } = await pool.query<{ comments: number; pages: number }>(
    `select (select count(*)::int from comments where site_id = $1) as comments, (select count(*)::int from pages where site_id = $1) as pages`,
    [siteId],
  );
  return rows[0] ?? { comments: 0, pages: 0 };
}

export async function statusCounts(pool: Pool, siteId: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from comments where site_id = $1 group by status',
    [siteId],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
