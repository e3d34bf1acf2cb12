import type { Pool } from '../store/db.js';
import { countSiteContents, deleteSite, describeSiteContents } from '../store/site-updates.js';
import { UsageError } from './site-commands.js';

export const siteDeleteUsage = 'usage: reply-desk site delete ID --yes';

/**
 * `reply-desk site delete ID --yes` deletes a site and everything under it (store/site-updates.ts,
 * deleteSite). Without --yes it changes nothing: it says what would go and how to confirm, and exits
 * with the usage code, so a script that forgot the flag fails loudly. Running APIs forget the site on
 * their next site refresh (a few seconds).
 */
export async function runSiteDeleteCommand(db: Pool, args: string[], print: (line: string) => void): Promise<void> {
  const ids = args.filter((a) => a !== '--yes');
  const yes = args.includes('--yes');
  const [id, extra] = ids;
  if (id === undefined || extra !== undefined || id.startsWith('-')) throw new UsageError(siteDeleteUsage);
  const contents = await countSiteContents(db, id);
  if (contents === null) throw new UsageError(`no site "${id}"`);
  if (!yes)
    throw new UsageError(
      `deleting site "${id}" removes ${describeSiteContents(contents)}, and cannot be undone; nothing was deleted. ` +
        `Run 'reply-desk site delete ${id} --yes' to delete it (and 'reply-desk export --site ${id}' first to keep a copy)`,
    );
  const deleted = await deleteSite(db, id, { id: null, label: 'cli' });
  if (deleted === null) throw new UsageError(`no site "${id}"`);
  print(`deleted site ${id}: ${describeSiteContents(deleted)}`);
}
