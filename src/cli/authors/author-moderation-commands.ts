import { parseArgs } from 'node:util';
import { parseAuthorKey, toAuthorKey } from '../../domain/decisions/author-key.js';
import { formatEnd, suspensionEnd } from '../../domain/decisions/suspension-length.js';
import { addAuthorNote, removeAuthorNote } from '../../store/authors/author-notes.js';
import { liftSuspensions, suspendAuthor } from '../../store/authors/author-suspensions.js';
import { isAuthorOnSite, loadCommenterProfile } from '../../store/authors/commenter-profile.js';
import type { Pool } from '../../store/db.js';
import { inTransaction } from '../../store/moderation-actions.js';
import { loadSite } from '../../store/sites.js';
import { UsageError } from '../site-commands.js';

export const authorSuspendOptions = { for: { type: 'string' }, reason: { type: 'string' } } as const;
export const authorNoteOptions = { remove: { type: 'string' } } as const;

const CLI_ACTOR = (siteId: string) => ({ id: null, label: 'cli', siteIds: [siteId] });

/**
 * The author a command names: `reader:12`, `guest:ann@example.org`, or a bare email (a guest, as the
 * desk's cards key them). They must have commented on the site: no notes or suspensions about nobody,
 * as the profile page refuses them too.
 */
async function authorOnSite(db: Pool, siteId: string, author: string | undefined): Promise<string> {
  if ((await loadSite(db, siteId)) === null) throw new UsageError(`no site "${siteId}"`);
  const text = (author ?? '').trim();
  const ref = parseAuthorKey(text.includes(':') ? text : `guest:${text}`);
  if (ref === null) throw new UsageError(`"${text}" is not an author (reader:ID, guest:EMAIL or an email)`);
  if (!(await isAuthorOnSite(db, siteId, ref)))
    throw new UsageError(`${toAuthorKey(ref)} has no comments on ${siteId}`);
  return toAuthorKey(ref);
}

/** "7d", "12h", "3 days": a suspension's length as the desk's form takes it (amount + hours|days). */
export function readSuspensionLength(text: string): { amount: string; unit: 'hours' | 'days' } | null {
  const m = /^\s*([0-9]{1,6})\s*(h|hours?|d|days?)\s*$/i.exec(text);
  if (!m) return null;
  return { amount: m[1]!, unit: m[2]!.toLowerCase().startsWith('h') ? 'hours' : 'days' };
}

/**
 * `reply-desk author suspend SITE AUTHOR --for 7d [--reason TEXT]`, `author unsuspend SITE AUTHOR`,
 * `author note SITE AUTHOR TEXT` / `--remove ID`, `author show SITE AUTHOR`: what the commenter profile
 * page does (issue 16), from a terminal, audited as the command line. A suspension reaches every API
 * process within its suspension cache's 2 s (src/store/authors/author-suspensions.ts).
 */
export async function runAuthorModerationCommand(
  db: Pool,
  args: string[],
  print: (line: string) => void,
  now: () => Date = () => new Date(),
): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'suspend') {
    const { values, positionals } = parseArgs({ args: rest, options: authorSuspendOptions, allowPositionals: true });
    const [siteId, author, extra] = positionals;
    if (siteId === undefined || extra !== undefined || values.for === undefined)
      throw new UsageError('usage: reply-desk author suspend SITE AUTHOR --for 7d|12h [--reason TEXT]');
    const authorKey = await authorOnSite(db, siteId, author);
    const length = readSuspensionLength(values.for);
    const at = now();
    const endsAt = length === null ? null : suspensionEnd(length.amount, length.unit, at);
    if (endsAt === null)
      throw new UsageError(
        `--for "${values.for}": a whole number of hours or days (12h, 7d), at most a year (longer is a ban)`,
      );
    const reason = (values.reason ?? '').trim().slice(0, 500);
    await inTransaction(db, (client) =>
      suspendAuthor(client, { siteId, authorKey, reason, now: at, endsAt, actor: CLI_ACTOR(siteId) }),
    );
    print(`${authorKey} suspended on ${siteId} until ${formatEnd(endsAt)}: their comments are refused until then`);
    return;
  }
  if (sub === 'unsuspend') {
    const [siteId, author, extra] = rest;
    if (siteId === undefined || extra !== undefined)
      throw new UsageError('usage: reply-desk author unsuspend SITE AUTHOR');
    const authorKey = await authorOnSite(db, siteId, author);
    const lifted = await inTransaction(db, (client) =>
      liftSuspensions(client, { siteId, authorKey, now: now(), actor: CLI_ACTOR(siteId) }),
    );
    print(lifted > 0 ? `${authorKey}: suspension lifted on ${siteId}` : `${authorKey} was not suspended on ${siteId}`);
    return;
  }
  if (sub === 'note') {
    const { values, positionals } = parseArgs({ args: rest, options: authorNoteOptions, allowPositionals: true });
    const [siteId, author, ...words] = positionals;
    if (siteId === undefined || (values.remove === undefined) === (words.length === 0))
      throw new UsageError('usage: reply-desk author note SITE AUTHOR TEXT | author note SITE AUTHOR --remove ID');
    const authorKey = await authorOnSite(db, siteId, author);
    const actor = CLI_ACTOR(siteId);
    if (values.remove !== undefined) {
      const id = /^[1-9][0-9]{0,15}$/.test(values.remove) ? Number(values.remove) : NaN;
      if (!Number.isSafeInteger(id)) throw new UsageError(`--remove "${values.remove}" is not a note id`);
      const removed = await inTransaction(db, (client) => removeAuthorNote(client, { siteId, authorKey, id, actor }));
      print(removed ? `note ${id} removed` : `${authorKey} has no note ${id} on ${siteId}`);
      return;
    }
    const body = words.join(' ').trim();
    if (body === '') throw new UsageError('write the note');
    if (body.length > 2000) throw new UsageError('a note is at most 2,000 characters');
    const id = await inTransaction(db, (client) => addAuthorNote(client, { siteId, authorKey, body, actor }));
    print(`note ${id} added to ${authorKey} on ${siteId}`);
    return;
  }
  if (sub === 'show') {
    const [siteId, author, extra] = rest;
    if (siteId === undefined || extra !== undefined) throw new UsageError('usage: reply-desk author show SITE AUTHOR');
    const authorKey = await authorOnSite(db, siteId, author);
    const p = await loadCommenterProfile(db, siteId, parseAuthorKey(authorKey)!, now());
    if (p === null) throw new UsageError(`${authorKey} has no comments on ${siteId}`);
    print(`author\t${p.key}`);
    print(`names\t${p.names.join(', ')}`);
    print(`trusted\t${p.trusted || p.reader?.trusted === true ? 'yes' : 'no'}`);
    print(
      `comments\t${Object.entries(p.counts)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    print(`suspended\t${p.suspendedUntil === null ? 'no' : `until ${formatEnd(p.suspendedUntil)}`}`);
    for (const s of p.suspensions)
      print(
        `suspension\t${s.startsAt.toISOString()} → ${s.endsAt.toISOString()}${s.liftedAt ? ` (lifted ${s.liftedAt.toISOString()})` : ''}\t${s.by}\t${s.reason}`,
      );
    for (const n of p.notes) print(`note ${n.id}\t${n.createdAt.toISOString()}\t${n.by}\t${n.body}`);
    return;
  }
  throw new UsageError('usage: reply-desk author suspend|unsuspend|note|show SITE AUTHOR …');
}
