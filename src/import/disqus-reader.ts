import { htmlToCommentText } from './html-to-text.js';
import type { ImportRecord } from './import-records.js';
import { toAuthorName, toDisqusStatus, toEmail, toIp, toIsoDate } from './source-mapping.js';
import {
  FieldText,
  oversizedReason,
  readXmlRecords,
  type XmlHandler,
  type XmlProblems,
  type XmlTag,
} from './xml-records.js';

/** The fields of one `<thread>` or `<post>`: its own children, `author/*` as `author.name`, and ids from attributes. */
type Fields = Map<string, string>;

function get(f: Fields, name: string): string | null {
  return f.has(name) ? (f.get(name) as string) : null;
}

/** One `<thread>` → a page record. Its `<id>` is the identifier the site's embed code used (may be empty). */
export function toDisqusPage(f: Fields, identifiers: string[]): ImportRecord | null {
  const sourceId = (get(f, 'dsq:id') ?? '').trim();
  if (sourceId === '') return null;
  const link = (get(f, 'link') ?? '').trim();
  const ids = [...identifiers.map((i) => i.trim()).filter((i) => i !== ''), ...(link ? [link] : [])];
  return {
    kind: 'page',
    page: {
      sourceId,
      identifiers: ids.length > 0 ? ids : [`disqus-${sourceId}`],
      url: /^https?:\/\//i.test(link) ? link : null,
      title: (get(f, 'title') ?? '').trim() || null,
      closed: (get(f, 'isClosed') ?? '').trim() === 'true',
    },
  };
}

/** One `<post>` → a comment record (with notes), or a skip with its reason. */
export function toDisqusRecords(f: Fields): ImportRecord[] {
  const sourceId = (get(f, 'dsq:id') ?? '').trim();
  if (sourceId === '') return [{ kind: 'skip', sourceId: '?', reason: 'a <post> without dsq:id' }];
  const thread = (get(f, 'thread.dsq:id') ?? '').trim();
  if (thread === '') return [{ kind: 'skip', sourceId, reason: 'no <thread dsq:id>' }];
  const when = toIsoDate(get(f, 'createdAt') ?? '');
  if (when === null) return [{ kind: 'skip', sourceId, reason: 'no readable <createdAt>' }];
  const rawIp = get(f, 'ipAddress') ?? '';
  const ip = toIp(rawIp);
  const records: ImportRecord[] = [];
  if (when.assumedUtc)
    records.push({ kind: 'note', sourceId, note: '<createdAt> without a time zone was read as UTC' });
  if (ip === null && rawIp.trim() !== '')
    records.push({ kind: 'note', sourceId, note: 'IP address unreadable: stored without one' });
  const parent = (get(f, 'parent.dsq:id') ?? '').trim();
  records.push({
    kind: 'comment',
    comment: {
      sourceId,
      pageSourceId: thread,
      parentSourceId: parent === '' ? null : parent,
      authorName: toAuthorName(get(f, 'author.name') ?? get(f, 'author.username') ?? ''),
      authorEmail: toEmail(get(f, 'author.email') ?? ''),
      authorUrl: '',
      body: htmlToCommentText(get(f, 'message') ?? ''),
      status: toDisqusStatus({
        isDeleted: get(f, 'isDeleted'),
        isSpam: get(f, 'isSpam'),
        isApproved: get(f, 'isApproved'),
      }),
      receivedAt: when.date,
      ip,
      userAgent: '',
      referrer: '',
      editedAt: null,
      verdict: null,
      idempotencyKey: null,
    },
  });
  return records;
}

/**
 * Disqus' export: `<disqus>` holding `<category>`s, then `<thread dsq:id>`s (a page: `<id>` identifier,
 * `<link>`, `<title>`), then `<post dsq:id>`s (a comment: `<message>` HTML, `<createdAt>`, `<author>`,
 * `<ipAddress>`, `<isDeleted>`, `<isSpam>`, `<thread dsq:id>`, optional `<parent dsq:id>`).
 */
function createDisqusHandler(emit: (r: ImportRecord) => void): XmlHandler {
  let kind: 'thread' | 'post' | null = null;
  let fields: Fields = new Map();
  let identifiers: string[] = [];
  const text = new FieldText();
  // The current post's fields longer than FieldText keeps: the post is skipped, not cut short.
  let oversized: { name: string; length: number }[] = [];
  return {
    open(tag: XmlTag, depth: number) {
      text.reset();
      if (depth === 2 && (tag.local === 'thread' || tag.local === 'post')) {
        kind = tag.local;
        fields = new Map();
        identifiers = [];
        oversized = [];
        const id = tag.attributes.id;
        if (id !== undefined) fields.set('dsq:id', id);
      } else if (kind !== null && depth === 3 && (tag.local === 'thread' || tag.local === 'parent')) {
        const id = tag.attributes.id;
        if (id !== undefined) fields.set(`${tag.local}.dsq:id`, id);
      }
    },
    text(t: string) {
      text.add(t);
    },
    close(tag: XmlTag, depth: number) {
      if (kind !== null && (depth === 3 || depth === 4) && text.overflowed) {
        oversized.push({ name: depth === 4 ? `author/${tag.local}` : tag.local, length: text.length });
      }
      if (kind !== null && depth === 3) {
        if (kind === 'thread' && tag.local === 'id') identifiers.push(text.value());
        else if (tag.local !== 'thread' && tag.local !== 'parent' && !fields.has(tag.local))
          fields.set(tag.local, text.value());
      } else if (kind !== null && depth === 4) {
        fields.set(`author.${tag.local}`, text.value());
      } else if (kind !== null && depth === 2) {
        if (kind === 'thread') {
          // A thread is a page; an oversized field of it (a title, a link) is kept cut short.
          const page = toDisqusPage(fields, identifiers);
          if (page) emit(page);
        } else if (oversized.length > 0) {
          emit({
            kind: 'skip',
            sourceId: (fields.get('dsq:id') ?? '').trim() || '?',
            reason: oversizedReason(oversized),
          });
        } else {
          for (const r of toDisqusRecords(fields)) emit(r);
        }
        kind = null;
      }
      text.reset();
    },
  };
}

/** Streams the records of a Disqus export. */
export function readDisqusExport(
  source: AsyncIterable<Uint8Array>,
  problems: XmlProblems,
): AsyncGenerator<ImportRecord> {
  return readXmlRecords(source, createDisqusHandler, problems);
}
