import { parseArgs } from 'node:util';
import { describeQueuedErasure, eraseCommenter, type QueueStore } from '../erase-commenter.js';
import type { Pool } from '../store/db.js';
import { exportCommenterData, previewErasure, recordCommenterExport } from '../store/privacy.js';
import { loadSite } from '../store/sites.js';
import { UsageError } from './site-commands.js';

const usage = 'usage: reply-desk privacy export EMAIL [--site ID] | privacy erase EMAIL [--site ID] [--yes]';

const options = {
  site: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

const cli = { id: null, label: 'cli' };

/**
 * `reply-desk privacy export EMAIL` prints, as JSON, everything stored about that email (on one site
 * with --site). `privacy erase EMAIL` says what it would erase; with --yes it erases it, in Postgres
 * and, given `queues`, in the queues' jobs (exit 1 when Redis could not be reached).
 */
export async function runPrivacyCommand(
  pool: Pool,
  args: string[],
  print: (line: string) => void,
  now: Date,
  queues: QueueStore | null = null,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  const email = positionals[0];
  if ((sub !== 'export' && sub !== 'erase') || email === undefined || positionals.length > 1)
    throw new UsageError(usage);
  if (!email.includes('@')) throw new UsageError(`"${email}" is not an email address`);
  const siteId = values.site ?? null;
  if (siteId !== null && !(await loadSite(pool, siteId))) throw new UsageError(`no site "${siteId}"`);
  if (sub === 'export') {
    const data = await exportCommenterData(pool, email, siteId, now);
    await recordCommenterExport(pool, email, siteId, cli, data.comments.length);
    print(JSON.stringify(data, null, 2));
    return 0;
  }
  const scope = siteId === null ? 'on every site' : `on site ${siteId}`;
  if (values.yes !== true) {
    const p = await previewErasure(pool, email, siteId);
    print(
      `would erase ${scope}: ${p.comments} comment(s), ${p.trusted} trusted-author entr${p.trusted === 1 ? 'y' : 'ies'}, ${p.bans} email ban(s)`,
    );
    print('nothing was changed; run again with --yes to erase');
    return 0;
  }
  const done = await eraseCommenter(pool, queues, email, siteId, cli);
  print(
    `erased ${scope}: ${done.comments} comment(s) (kept as removed placeholders), ${done.trusted} trusted-author entr${done.trusted === 1 ? 'y' : 'ies'}, ${done.bans} email ban(s); ${done.auditEventsRedacted} audit event(s) redacted`,
  );
  const queued = describeQueuedErasure(done);
  if (queued !== null) print(queued);
  return done.queuedError === null ? 0 : 1;
}
