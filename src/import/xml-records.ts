import { SaxesParser, type SaxesTagNS } from 'saxes';
import { TextDecoder } from 'node:util';

/** An element as the format readers see it: its local name, prefix and attributes by local name. */
export interface XmlTag {
  local: string;
  prefix: string;
  attributes: Record<string, string>;
}

/** What a format reader does with the parser's events; it emits records through `emit`. */
export interface XmlHandler {
  open(tag: XmlTag, depth: number): void;
  /** Text and CDATA, in pieces; the reader joins the pieces of the element it wants. */
  text(text: string): void;
  close(tag: XmlTag, depth: number): void;
}

/** Where reading stopped being clean: parse errors are counted and the reader goes on. */
export interface XmlProblems {
  count: number;
  /** The first few messages with their line and column. */
  first: string[];
}

/**
 * Longest text kept from one element: far above WordPress' 65,525-byte comment limit (old WordPress
 * versions had none), far below what would strain memory. A record with a longer field is skipped.
 */
export const MAX_FIELD_TEXT = 1_000_000;

/**
 * The text of the element being read, kept up to MAX_FIELD_TEXT: past that, pieces are counted and
 * dropped (never joined), so a 300 MB text node costs its count, not its size.
 */
export class FieldText {
  private pieces: string[] = [];
  private kept = 0;
  /** Every character seen since the last reset, kept or not. */
  length = 0;

  add(piece: string): void {
    this.length += piece.length;
    if (this.kept >= MAX_FIELD_TEXT) return;
    const room = MAX_FIELD_TEXT - this.kept;
    const part = piece.length > room ? piece.slice(0, room) : piece;
    this.pieces.push(part);
    this.kept += part.length;
  }

  get overflowed(): boolean {
    return this.length > MAX_FIELD_TEXT;
  }

  value(): string {
    return this.pieces.join('');
  }

  reset(): void {
    this.pieces = [];
    this.kept = 0;
    this.length = 0;
  }
}

/** The report line of a record skipped for oversized fields (by name only, so such records tally together). */
export function oversizedReason(fields: { name: string }[]): string {
  return `a field longer than ${MAX_FIELD_TEXT.toLocaleString('en-US')} characters (${[...new Set(fields.map((f) => f.name))].join(', ')})`;
}

/** A parse error past this many means the file is not what it claims to be: stop instead of guessing. */
const MAX_XML_ERRORS = 1000;

/**
 * The encoding the document declares: a byte-order mark first, else `encoding="…"` in the XML
 * declaration, else UTF-8 (XML's default). Exports from old WordPress installs are often ISO-8859-1.
 */
export function sniffXmlEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  const decl = Buffer.from(head.subarray(0, 200)).toString('latin1');
  const m = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(decl);
  return m?.[1]?.toLowerCase() ?? 'utf-8';
}

/*
 * saxes (6.x) gathers a text or CDATA node whole in its `text` field and emits it only when the node
 * ends, so one 300 MB text node was one 300 MB string, copied as it grew (1.3 GB of memory). After each
 * chunk, what it has gathered so far is handed to the reader and the field emptied: the reader gets the
 * node in pieces (it joins them anyway) and memory stays at one chunk. Only in the two states where
 * `text` is pending character data (inside the root element, or inside CDATA), which saxes then
 * continues to append to; tests/integration/bad-input-f.test.ts would catch a saxes that changes this.
 */
const SAXES_S_TEXT = 13;
const SAXES_S_CDATA = 20;

function handOverPendingText(parser: SaxesParser, handler: XmlHandler): void {
  const p = parser as unknown as { text?: unknown; state?: unknown; tags?: unknown };
  if (typeof p.text !== 'string' || p.text.length === 0) return;
  const inRootText = p.state === SAXES_S_TEXT && Array.isArray(p.tags) && p.tags.length > 0;
  if (!inRootText && p.state !== SAXES_S_CDATA) return;
  handler.text(p.text);
  p.text = '';
}

function toTag(t: SaxesTagNS): XmlTag {
  const attributes: Record<string, string> = {};
  for (const a of Object.values(t.attributes)) attributes[a.local] = a.value;
  return { local: t.local, prefix: t.prefix, attributes };
}

/**
 * Streams XML through a SAX parser (saxes) and yields the records a format reader emits, chunk by
 * chunk: only one chunk of the file and the records it produced are in memory at a time, and the
 * next chunk is not read until the consumer has taken them (so a slow database slows the reading).
 * Bytes are decoded in the declared encoding. Well-formedness errors (an undeclared entity, a control
 * character) are counted into `problems` and parsing goes on, because real exports have them and one
 * bad comment must not lose the other hundred thousand.
 */
export async function* readXmlRecords<T>(
  source: AsyncIterable<Uint8Array>,
  makeHandler: (emit: (record: T) => void) => XmlHandler,
  problems: XmlProblems,
): AsyncGenerator<T> {
  const out: T[] = [];
  const handler = makeHandler((r) => out.push(r));
  const parser = new SaxesParser({ xmlns: true, position: true });
  let depth = 0;
  parser.on('opentag', (t) => {
    depth += 1;
    handler.open(toTag(t), depth);
  });
  parser.on('closetag', (t) => {
    handler.close(toTag(t), depth);
    depth -= 1;
  });
  parser.on('text', (t) => handler.text(t));
  parser.on('cdata', (t) => handler.text(t));
  parser.on('error', (err) => {
    problems.count += 1;
    if (problems.first.length < 5) problems.first.push(err.message);
    if (problems.count > MAX_XML_ERRORS)
      throw new Error(`more than ${MAX_XML_ERRORS} XML errors; the first: ${problems.first[0] ?? ''}`);
  });

  let decoder: TextDecoder | null = null;
  for await (const chunk of source) {
    if (decoder === null) {
      const encoding = sniffXmlEncoding(chunk);
      try {
        decoder = new TextDecoder(encoding);
      } catch {
        throw new Error(`the file declares the encoding "${encoding}", which is not supported`);
      }
    }
    parser.write(decoder.decode(chunk, { stream: true }));
    handOverPendingText(parser, handler);
    if (out.length > 0) yield* out.splice(0, out.length);
  }
  if (decoder !== null) parser.write(decoder.decode());
  parser.close();
  if (out.length > 0) yield* out.splice(0, out.length);
}
