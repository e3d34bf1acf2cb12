import { parseArgs } from 'node:util';
import { readChatTargetInput } from '../notify/chat-target-input.js';
import type { Queryable } from '../store/db.js';
import { deleteChatTarget, insertChatTarget, listChatTargets } from '../store/notify/chat-targets.js';
import { loadSite } from '../store/sites.js';
import { UsageError } from './site-commands.js';

export const chatAddOptions = {
  events: { type: 'string' },
  'held-minutes': { type: 'string' },
  note: { type: 'string' },
} as const;

const CLI = { id: null, label: 'cli' };

/**
 * `reply-desk chat list SITE`, `chat add SITE slack|teams|mattermost URL [--events held,surge,appeal]
 * [--held-minutes N] [--note TEXT]`, `chat remove SITE ID`: a site's chat targets (issue 16, item 7),
 * checked as the admin page checks them, audited as the command line.
 */
export async function runChatCommand(db: Queryable, args: string[], print: (line: string) => void): Promise<void> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: chatAddOptions,
    allowPositionals: true,
    strict: true,
  });
  const siteId = positionals[0];
  if (siteId === undefined) throw new UsageError(`usage: reply-desk chat ${sub ?? 'list'} SITE …`);
  if ((await loadSite(db, siteId)) === null) throw new UsageError(`no site "${siteId}"`);
  if (sub === 'list') {
    for (const t of await listChatTargets(db, siteId))
      print(
        `${t.id}\t${t.service}\t${t.events.join(',')}\tevery ${t.heldEveryMinutes} min\t${t.lastResult ?? 'not posted yet'}\t${t.url}`,
      );
    return;
  }
  if (sub === 'add') {
    const [, service, url] = positionals;
    const read = readChatTargetInput(
      {
        service,
        url,
        events: values.events?.split(',').map((e) => e.trim()) ?? ['held', 'surge', 'appeal'],
        heldEveryMinutes: values['held-minutes'],
        description: values.note,
      },
      siteId,
    );
    if (!read.ok) throw new UsageError(`${read.problem.field}: ${read.problem.message}`);
    const t = await insertChatTarget(db, read.target, CLI);
    print(`chat target ${t.id} added: ${t.service} for ${t.events.join(', ')} on ${siteId}`);
    return;
  }
  if (sub === 'remove') {
    const id = Number(positionals[1]);
    if (!Number.isSafeInteger(id) || id < 1) throw new UsageError('usage: reply-desk chat remove SITE ID');
    if (!(await deleteChatTarget(db, siteId, id, CLI)))
      throw new UsageError(`site "${siteId}" has no chat target ${id}`);
    print(`chat target ${id} removed`);
    return;
  }
  throw new UsageError('usage: reply-desk chat list|add|remove SITE …');
}
