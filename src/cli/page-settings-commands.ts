import { parseArgs } from 'node:util';
import type { Pool } from '../store/db.js';
import { findPage, updatePageSettings, type StoredPage } from '../store/pages/page-settings-store.js';
import { UsageError } from './site-commands.js';

export const pageSettingsUsage =
  'usage: reply-desk page update SITE PAGE --settings JSON | page show SITE PAGE (e.g. --settings \'{"moderation":"pre","holdLinks":null}\')';

function describePage(p: StoredPage): string {
  return `${p.siteId}\t${p.identifier}\t${p.closed ? 'closed' : 'open'}\t${JSON.stringify(p.settings)}`;
}

/**
 * `reply-desk page update SITE PAGE --settings JSON` changes what a page overrides of its site's
 * settings (issue 16): a key with a value overrides, a key set to null follows the site again, keys
 * left out stay; `page show SITE PAGE` prints the page and its overrides. Audited as the command line.
 */
export async function runPageSettingsCommand(db: Pool, args: string[], print: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { settings: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, siteId, identifier, extra] = positionals;
  if ((sub !== 'update' && sub !== 'show') || siteId === undefined || identifier === undefined || extra !== undefined)
    throw new UsageError(pageSettingsUsage);
  const page = await findPage(db, siteId, identifier);
  if (page === null) throw new UsageError(`site "${siteId}" has no page "${identifier}"`);
  if (sub === 'show') {
    if (values.settings !== undefined) throw new UsageError(pageSettingsUsage);
    print(describePage(page));
    return;
  }
  if (values.settings === undefined) throw new UsageError(pageSettingsUsage);
  let change: unknown;
  try {
    change = JSON.parse(values.settings);
  } catch {
    throw new UsageError(`--settings must be a JSON object, e.g. '{"moderation":"pre"}'`);
  }
  const result = await updatePageSettings(db, { pageId: page.id, change, actor: { id: null, label: 'cli' } });
  if (result === null) throw new UsageError(`site "${siteId}" has no page "${identifier}"`);
  if (!result.ok)
    throw new UsageError(`invalid settings: ${result.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
  print(
    `${result.changed.length > 0 ? `changed ${result.changed.join(', ')}` : 'nothing changed'}\n${describePage(result.page)}`,
  );
}
