import { listTrustedAuthors, trustAuthor, untrustAuthor } from '../store/author-rules.js';
import type { Queryable } from '../store/db.js';
import { loadSite } from '../store/sites.js';
import { UsageError } from './site-commands.js';

export const authorUsage =
  'usage: reply-desk author trust SITE EMAIL | author untrust SITE EMAIL | author trusted SITE';

/**
 * `reply-desk author trust|untrust SITE EMAIL`: a trusted author's comments skip the hold rules, as
 * the dashboard's Trust button does; untrust is the way back. `author trusted SITE` lists them. Each
 * change is audited (trust / untrust) as the command line.
 */
export async function runAuthorCommand(db: Queryable, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, siteId, email, extra] = args;
  if (sub === 'trusted' && siteId !== undefined && email === undefined) {
    for (const t of await listTrustedAuthors(db, [siteId])) print(`${t.email}\t${t.createdAt.toISOString()}`);
    return;
  }
  if ((sub !== 'trust' && sub !== 'untrust') || siteId === undefined || email === undefined || extra !== undefined)
    throw new UsageError(authorUsage);
  if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw new UsageError(`"${email}" is not an email address`);
  if ((await loadSite(db, siteId)) === null) throw new UsageError(`no site "${siteId}"`);
  const actor = { id: null, label: 'cli', siteIds: [siteId] };
  const address = email.trim().toLowerCase();
  if (sub === 'trust') {
    const created = await trustAuthor(db, { siteId, email: address, actor });
    print(`${address} ${created ? 'is now' : 'was already'} trusted on ${siteId}`);
    return;
  }
  const removed = await untrustAuthor(db, { siteId, email: address, actor });
  print(
    removed
      ? `${address} is no longer trusted on ${siteId}: their next comments meet the hold rules`
      : `${address} was not trusted on ${siteId}`,
  );
}
