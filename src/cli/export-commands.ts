import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { writeJsonExport } from '../export/json-export.js';
import { writeWxrExport } from '../export/wxr-export.js';
import type { Pool } from '../store/db.js';
import { UsageError } from './site-commands.js';

const usage = 'usage: reply-desk export --site ID [--format json|wxr] [--out FILE]';

const options = {
  site: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

/**
 * `reply-desk export --site ID [--format json|wxr] [--out FILE]`: the whole site, streamed to FILE
 * (written under FILE.partial and renamed at the end, so a failed export never looks complete) or to
 * stdout. The summary line goes to stderr, so stdout carries only the export.
 */
export async function runExportCommand(
  pool: Pool,
  args: string[],
  stdout: Writable,
  log: (line: string) => void,
  now: Date,
): Promise<number> {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
  if (positionals.length > 0 || values.site === undefined) throw new UsageError(usage);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'wxr') throw new UsageError(`--format must be json or wxr\n${usage}`);
  const siteId = values.site;
  const { rename, rm } = await import('node:fs/promises');
  const partial = values.out === undefined ? null : `${values.out}.partial`;
  const out: Writable = partial === null ? stdout : createWriteStream(partial);
  try {
    const counts =
      format === 'json' ? await writeJsonExport(pool, siteId, out, now) : await writeWxrExport(pool, siteId, out, now);
    if (counts === null) throw new UsageError(`no site "${siteId}"`);
    if (partial !== null && values.out !== undefined) {
      out.end();
      await once(out, 'finish');
      await rename(partial, values.out);
    }
    await recordExport(pool, siteId, { format, pages: counts.pages, comments: counts.comments });
    log(
      `exported site ${siteId} as ${format}: ${counts.pages} pages, ${counts.comments} comments${values.out ? ` to ${values.out}` : ''}`,
    );
    return 0;
  } catch (err) {
    if (partial !== null) {
      out.destroy();
      await rm(partial, { force: true });
    }
    throw err;
  }
}

/** Exports contain every commenter's email and IP: who took one is in the audit log. */
async function recordExport(pool: Pool, siteId: string, detail: object): Promise<void> {
  await pool.query(`insert into moderation_events (actor, action, site_id, detail) values ('cli', 'export', $1, $2)`, [
    siteId,
    JSON.stringify(detail),
  ]);
}
