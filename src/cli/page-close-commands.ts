import type { Pool } from '../store/db.js';
import { setPageClosed } from '../store/pages/page-closure.js';
import { UsageError } from './site-commands.js';

export const pageCloseUsage = 'usage: reply-desk page close SITE PAGE | page open SITE PAGE';

/**
 * `reply-desk page close SITE PAGE` closes a page's thread (readers see "Comments are closed.", the
 * worker refuses new comments); `page open SITE PAGE` reopens it. PAGE is the page's identifier
 * (data-page, canonical URL or comment_post_ID). Audited as the command line.
 */
export async function runPageCloseCommand(db: Pool, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, siteId, identifier, extra] = args;
  if ((sub !== 'close' && sub !== 'open') || siteId === undefined || identifier === undefined || extra !== undefined)
    throw new UsageError(pageCloseUsage);
  const closed = sub === 'close';
  const change = await setPageClosed(db, { siteId, identifier, closed, actor: { id: null, label: 'cli' } });
  if (change === null) throw new UsageError(`site "${siteId}" has no page "${identifier}"`);
  const state = closed ? 'closed' : 'open';
  print(`page ${siteId} ${identifier}: ${change.changed ? `now ${state}` : `was already ${state}`}`);
}
