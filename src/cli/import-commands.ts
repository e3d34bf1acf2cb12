import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { readDisqusExport } from '../import/disqus-reader.js';
import type { ImportRecord, ImportSource } from '../import/import-records.js';
import { readJsonExport, type JsonExportInfo } from '../import/json-reader.js';
import { formatImportReport, importedAnything, runImport } from '../import/run-import.js';
import { importedCommentId } from '../import/source-mapping.js';
import { readWordPressExport } from '../import/wordpress-reader.js';
import type { XmlProblems } from '../import/xml-records.js';
import type { Pool } from '../store/db.js';
import { loadSite } from '../store/sites.js';
import { UsageError } from './site-commands.js';

const usage = 'usage: reply-desk import wordpress|disqus|json FILE --site ID [--dry-run] [--batch-size N]';

const options = {
  site: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'batch-size': { type: 'string' },
} as const;

/** Output of the command: the report on stdout, progress on stderr. */
export interface ImportOutput {
  print(line: string): void;
  progress(line: string): void;
}

/**
 * `reply-desk import wordpress|disqus|json FILE --site ID [--dry-run]`. Prints the report and returns
 * the exit code: 1 when a non-empty file gave not a single comment (so a script notices an import
 * that "succeeded" with nothing), else 0.
 */
export async function runImportCommand(pool: Pool, args: string[], out: ImportOutput): Promise<number> {
  const [format, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  const file = positionals[0];
  if (
    (format !== 'wordpress' && format !== 'disqus' && format !== 'json') ||
    file === undefined ||
    positionals.length > 1
  )
    throw new UsageError(usage);
  const siteId = values.site;
  if (siteId === undefined) throw new UsageError(`--site is required\n${usage}`);
  const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000)
    throw new UsageError('--batch-size must be a whole number from 1 to 5000');
  if (!(await loadSite(pool, siteId)))
    throw new UsageError(`no site "${siteId}"; create it with 'reply-desk site add ${siteId}'`);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }

  const source: ImportSource = format;
  const xml: XmlProblems = { count: 0, first: [] };
  const info: JsonExportInfo = { header: null };
  // 1 MiB reads: big enough to be fast, small enough that memory does not depend on the file's size.
  const bytes = () => createReadStream(file, { highWaterMark: 1024 * 1024 });
  const records: AsyncIterable<ImportRecord> =
    source === 'wordpress'
      ? readWordPressExport(bytes(), xml)
      : source === 'disqus'
        ? readDisqusExport(bytes(), xml)
        : readJsonExport(file, info);
  // Restoring a site from its own export keeps the comment ids (links to comments keep working);
  // into another site, ids are derived like any other import's so the two never collide.
  const toId =
    source === 'json'
      ? (id: string) => (info.header?.site.id === siteId ? id : importedCommentId(siteId, 'json', id))
      : undefined;

  const report = await runImport(pool, {
    siteId,
    source,
    file: basename(file),
    records,
    dryRun: values['dry-run'] === true,
    xml,
    batchSize,
    createAllPages: source === 'json',
    ...(toId ? { toId } : {}),
    onProgress: (done, rate) =>
      out.progress(`${done.toLocaleString('en-US')} comments so far (${Math.round(rate).toLocaleString('en-US')}/s)`),
  });
  for (const line of formatImportReport(report)) out.print(line);
  if (size > 0 && !importedAnything(report)) {
    out.print(
      `nothing ${report.dryRun ? 'would be ' : ''}imported from a non-empty file: is it a ${source === 'json' ? 'Reply Desk JSON' : source === 'wordpress' ? 'WordPress WXR' : 'Disqus XML'} export?`,
    );
    return 1;
  }
  return 0;
}
