import { isUuid } from '../domain/comment-fields.js';
import { setFeatured } from '../store/conversation/featured.js';
import type { Pool } from '../store/db.js';
import { loadCommentSites } from '../store/moderation-actions.js';
import { UsageError } from './site-commands.js';

export const commentFeatureUsage = 'usage: reply-desk comment feature ID | comment unfeature ID';

/**
 * `reply-desk comment feature ID` makes a published comment an editors' pick (the widget's strip above
 * the thread); `comment unfeature ID` takes it out (also the undo). Audited as the command line, which
 * may act on every site.
 */
export async function runCommentFeatureCommand(db: Pool, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, id, extra] = args;
  if ((sub !== 'feature' && sub !== 'unfeature') || id === undefined || extra !== undefined)
    throw new UsageError(commentFeatureUsage);
  if (!isUuid(id)) throw new UsageError(`"${id}" is not a comment id (a UUID, as the dashboard and the API show it)`);
  const site = (await loadCommentSites(db, [id])).get(id.toLowerCase());
  if (site === undefined) throw new UsageError(`no comment ${id}`);
  const featured = sub === 'feature';
  const result = await setFeatured(db, { id, featured, actor: { id: null, label: 'cli', siteIds: [site] } });
  if (result.outcome === 'not_found') throw new UsageError(`no comment ${id}`);
  if (result.outcome === 'not_published')
    throw new UsageError(`comment ${id} is not published: only a published comment can be an editors' pick`);
  const state = featured ? "an editors' pick" : "not an editors' pick";
  print(
    `comment ${id} (${result.siteId} ${result.page}): ${result.outcome === 'changed' ? `now ${state}` : `was already ${state}`}`,
  );
}
