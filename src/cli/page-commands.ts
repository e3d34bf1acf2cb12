import { parseArgs } from 'node:util';
import { checkPageTitle } from '../domain/page-title.js';
import type { Pool } from '../store/db.js';
import { listSuggestedTitles, setPageTitle } from '../store/pages/page-titles.js';
import { UsageError } from './site-commands.js';

const pageUsage = 'usage: reply-desk page title SITE PAGE "Title" | page suggestions SITE';

/**
 * `reply-desk page title SITE PAGE "Title"` sets a page's confirmed title (PAGE is its identifier:
 * data-page, canonical URL or comment_post_ID); `page suggestions SITE` lists the pages whose title
 * is still only a submission's suggestion, which mails, feeds and webhooks do not show.
 */
export async function runPageCommand(db: Pool, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  // The command table refuses unknown options, so a title that begins with "-" comes after `--`, which
  // parseArgs drops.
  const [siteId, identifier, title, extra] = parseArgs({ args: rest, options: {}, allowPositionals: true }).positionals;
  if (sub === 'suggestions' && siteId !== undefined && identifier === undefined) {
    for (const p of await listSuggestedTitles(db, siteId)) print(`${p.identifier}\t${p.suggestedTitle}`);
    return;
  }
  if (sub !== 'title' || siteId === undefined || identifier === undefined || title === undefined || extra !== undefined)
    throw new UsageError(pageUsage);
  const checked = checkPageTitle(title);
  if (!checked.ok) throw new UsageError(`title: ${checked.message}`);
  if (!(await setPageTitle(db, { siteId, identifier, title: checked.title, actor: { id: null, label: 'cli' } })))
    throw new UsageError(`site "${siteId}" has no page "${identifier}"`);
  print(`page ${siteId} ${identifier}: title "${checked.title}"`);
}
