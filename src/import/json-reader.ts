import { toPageSettings } from '../domain/pages/page-settings.js';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import { createInterface } from 'node:readline';
import {
  exportCommentSchema,
  exportHeaderSchema,
  exportPageSchema,
  type ExportComment,
  type ExportHeader,
} from '../export/json-format.js';
import { isAllowedWebsite } from '../domain/comment-fields.js';
import { fieldLimits } from '../domain/field-limits.js';
import type { Verdict } from '../moderation/verdict.js';
import type { ImportRecord } from './import-records.js';

/** Above this size a file not in the line-per-record layout is refused rather than read whole. */
const MAX_WHOLE_FILE = 256 * 1024 * 1024;

/** The export's header, filled in as soon as it is read (before the first record is yielded). */
export interface JsonExportInfo {
  header: ExportHeader | null;
}

/** An address as stored: a bare IP, or an anonymised one with its prefix (203.0.113.0/24). */
function toInet(value: string | null): string | null {
  if (value === null) return null;
  const [addr, bits, extra] = value.split('/');
  if (extra !== undefined || addr === undefined || isIP(addr) === 0) return null;
  if (bits === undefined) return addr;
  const n = Number(bits);
  return Number.isInteger(n) && n >= 0 && n <= (isIP(addr) === 4 ? 32 : 128) ? `${addr}/${n}` : null;
}

/**
 * A website or page URL as intake would take it: absolute http(s) without user:password@, within its
 * byte limit; anything else (javascript:, data:, a relative path) is null. The file is ours in format
 * only: whoever made or edited it is not trusted, and these become links on every embedding page.
 */
function toWebUrl(value: string, limit: number): string | null {
  const v = value.trim();
  return Buffer.byteLength(v, 'utf8') <= limit && isAllowedWebsite(v) ? v : null;
}

function toRecords(kind: 'page' | 'comment', value: unknown, line: number): ImportRecord[] {
  if (kind === 'page') {
    const p = exportPageSchema.safeParse(value);
    if (!p.success)
      return [
        {
          kind: 'note',
          sourceId: `line ${line}`,
          note: `page not in the export format: ${p.error.issues[0]?.message ?? ''}`,
        },
      ];
    const url = p.data.url === null || p.data.url.trim() === '' ? null : toWebUrl(p.data.url, fieldLimits.pageUrl);
    const page: ImportRecord = {
      kind: 'page',
      page: {
        sourceId: p.data.identifier,
        identifiers: [p.data.identifier],
        url,
        title: p.data.title,
        closed: p.data.closed,
        ...(p.data.settings === undefined ? {} : { settings: toPageSettings(p.data.settings) }),
      },
    };
    if (url === null && p.data.url !== null && p.data.url.trim() !== '') {
      return [
        { kind: 'note', sourceId: p.data.identifier, note: 'page URL not an http(s) address: stored without one' },
        page,
      ];
    }
    return [page];
  }
  const c = exportCommentSchema.safeParse(value);
  if (!c.success) {
    const id = (value as { id?: unknown } | null)?.id;
    const issue = c.error.issues[0];
    return [
      {
        kind: 'skip',
        sourceId: typeof id === 'string' ? id : `line ${line}`,
        reason: `not in the export format (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`,
      },
    ];
  }
  const authorUrl = c.data.authorUrl.trim() === '' ? '' : (toWebUrl(c.data.authorUrl, fieldLimits.url) ?? '');
  const comment = toImportComment({ ...c.data, authorUrl });
  if (authorUrl === '' && c.data.authorUrl.trim() !== '') {
    return [{ kind: 'note', sourceId: c.data.id, note: 'website not an http(s) address: stored without one' }, comment];
  }
  return [comment];
}

function toImportComment(c: ExportComment): ImportRecord {
  const verdict = c.verdict && c.verdict.status === c.status ? (c.verdict as unknown as Verdict) : null;
  return {
    kind: 'comment',
    comment: {
      sourceId: c.id,
      pageSourceId: c.page,
      parentSourceId: c.parent,
      authorName: c.authorName,
      authorEmail: c.authorEmail,
      authorUrl: c.authorUrl,
      body: c.body,
      status: c.status,
      receivedAt: new Date(c.receivedAt),
      ip: toInet(c.ip),
      userAgent: c.userAgent,
      referrer: c.referrer,
      editedAt: c.editedAt === null ? null : new Date(c.editedAt),
      verdict,
      idempotencyKey: c.idempotencyKey,
    },
  };
}

function readHeader(value: unknown, info: JsonExportInfo): void {
  const h = exportHeaderSchema.safeParse(value);
  if (!h.success)
    throw new Error(
      `not a Reply Desk export (format "reply-desk-export", version 1): ${h.error.issues[0]?.message ?? ''}`,
    );
  info.header = h.data;
}

async function* readWhole(path: string, info: JsonExportInfo): AsyncGenerator<ImportRecord> {
  if ((await stat(path)).size > MAX_WHOLE_FILE) {
    throw new Error(
      'this JSON is not in the line-per-record layout `reply-desk export` writes, and too large to read whole',
    );
  }
  let doc: { pages?: unknown; comments?: unknown };
  try {
    doc = JSON.parse(await readFile(path, 'utf8')) as { pages?: unknown; comments?: unknown };
  } catch (err) {
    throw new Error(
      `not a JSON file (${(err as Error).message.slice(0, 80)}); a Reply Desk export is made by 'reply-desk export'`,
    );
  }
  readHeader({ ...doc, pages: undefined, comments: undefined }, info);
  if (!Array.isArray(doc.pages) || !Array.isArray(doc.comments))
    throw new Error('the export has no "pages" and "comments" lists');
  let i = 0;
  for (const p of doc.pages) yield* toRecords('page', p, ++i);
  for (const c of doc.comments) yield* toRecords('comment', c, ++i);
}

/**
 * Streams the records of a JSON export. The layout `reply-desk export` writes (a header line, then a
 * record per line) is read line by line; any other layout of the same structure is read whole.
 */
export async function* readJsonExport(path: string, info: JsonExportInfo): AsyncGenerator<ImportRecord> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let state: 'header' | 'pages-open' | 'pages' | 'comments-open' | 'comments' | 'end' = 'header';
  let n = 0;
  let fallback = false;
  try {
    for await (const raw of lines) {
      n += 1;
      const line = raw.trim();
      if (line === '') continue;
      if (state === 'header') {
        if (!line.startsWith('{') || !line.endsWith(',')) {
          fallback = true;
          break;
        }
        let head: unknown;
        try {
          head = JSON.parse(`${line.slice(0, -1)}}`);
        } catch {
          fallback = true;
          break;
        }
        readHeader(head, info);
        state = 'pages-open';
      } else if (state === 'pages-open' || state === 'comments-open') {
        const want = state === 'pages-open' ? '"pages":[' : '"comments":[';
        if (line !== want) throw new Error(`line ${n}: expected ${want}`);
        state = state === 'pages-open' ? 'pages' : 'comments';
      } else if (state === 'pages' || state === 'comments') {
        if ((state === 'pages' && line === '],') || (state === 'comments' && line === ']}')) {
          state = state === 'pages' ? 'comments-open' : 'end';
          continue;
        }
        let value: unknown;
        try {
          value = JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
        } catch {
          yield { kind: 'skip', sourceId: `line ${n}`, reason: 'not valid JSON' };
          continue;
        }
        yield* toRecords(state === 'pages' ? 'page' : 'comment', value, n);
      } else {
        throw new Error(`line ${n}: text after the end of the export`);
      }
    }
  } finally {
    lines.close();
  }
  if (fallback) {
    yield* readWhole(path, info);
    return;
  }
  if (state !== 'end' && n > 0) throw new Error('the export ends early (truncated file?)');
}
