/*
 * WordPress and Disqus store comment text as HTML. We store text in our Markdown subset and render it
 * ourselves (markdown-it without raw HTML, then sanitize-html), so foreign markup is never stored or
 * served as markup: this converter keeps what maps onto the subset (paragraphs, line breaks, links,
 * emphasis, quotes, code) and drops every other tag, keeping its text. Whatever it lets through by
 * mistake is still only text to the renderer, so safety never depends on this file.
 */

const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  trade: '™',
  eacute: 'é',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  szlig: 'ß',
  euro: '€',
  bull: '•',
  middot: '·',
  deg: '°',
  times: '×',
};

/** Decodes HTML character references (numeric, and the common named ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,9});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      // NUL, surrogates and out-of-range code points become U+FFFD, as browsers do.
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return named[ref.toLowerCase()] ?? whole;
  });
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : null;
}

/** Escapes characters that would start Markdown syntax inside link text. */
function linkText(text: string): string {
  return text.replace(/([\\[\]])/g, '\\$1');
}

/** Tags whose content is never text: dropped with everything up to their end tag (or the end). */
const dropsContent = new Set(['script', 'style', 'iframe', 'object', 'embed', 'template', 'noscript']);

/**
 * Quotes deeper than this are read as plain text: every level prefixes every line inside it again,
 * so unbounded nesting would make the work grow with depth × length.
 */
const MAX_QUOTE_DEPTH = 5;

/** What the converter is inside of; text goes to the innermost frame. */
interface Frame {
  kind: 'root' | 'quote' | 'pre' | 'link';
  parts: string[];
  href?: string | null;
}

function toLink(href: string | null, inner: string): string {
  const text = inner.trim();
  if (href === null || !/^(https?:\/\/|mailto:)/i.test(href.trim())) return text;
  const url = href.trim().replace(/[()\s]/g, (c) => encodeURIComponent(c));
  if (text === '' || text === href.trim()) return url;
  return `[${linkText(text)}](${url})`;
}

function toQuote(inner: string): string {
  const quoted = inner
    .trim()
    .split('\n')
    .map((l) => `> ${l.trim()}`)
    .join('\n');
  return `\n\n${quoted}\n\n`;
}

/**
 * Trailing blanks off every line, at most one empty line in a row, trimmed. A loop rather than
 * `/[ \t]+\n/g`, which backtracks over every long run of spaces and so takes quadratic time.
 */
function tidyLines(s: string): string {
  const out: string[] = [];
  let blank = 0;
  for (const line of s.split('\n')) {
    let end = line.length;
    while (end > 0) {
      const c = line.charCodeAt(end - 1);
      if (c !== 0x20 && c !== 0x09 && c !== 0xa0) break;
      end -= 1;
    }
    if (end === 0) {
      blank += 1;
      if (blank > 1) continue;
    } else blank = 0;
    out.push(end === line.length ? line : line.slice(0, end));
  }
  return out.join('\n').trim();
}

const tagStart = /<(\/?)([a-z][a-z0-9]*)(?=[\s/>])/iy;

/**
 * Foreign comment HTML → text in our Markdown subset (see the file comment). One pass over the input
 * in linear time: a tokenizer finds each tag once, and every search ahead (a tag's `>`, a comment's
 * `-->`, the end tag of a script) either jumps past what it found or, finding nothing, settles the rest
 * of the input. The earlier regular expressions (`<a…>[\s\S]*?</a>`, `<[a-z][^>]*>`) scanned to the end
 * from every unclosed tag: one 360 KB comment took 44 s.
 */
export function htmlToCommentText(input: string): string {
  const s = input.replace(/\r\n?/g, '\n');
  const stack: Frame[] = [{ kind: 'root', parts: [] }];
  let top = stack[0]!;
  let quotes = 0;
  let ignoredQuotes = 0;
  // The first '>' at or after the last position asked; -1 once there is none left.
  let nextGt = -2;
  const gtFrom = (from: number): number => {
    if (nextGt === -1 || nextGt >= from) return nextGt;
    nextGt = s.indexOf('>', from);
    return nextGt;
  };
  const emit = (text: string): void => {
    if (text !== '') top.parts.push(text);
  };
  const push = (frame: Frame): void => {
    stack.push(frame);
    top = frame;
  };
  // Closes the innermost frame into its parent, rendered as what it was.
  const pop = (): void => {
    const frame = stack.pop()!;
    top = stack[stack.length - 1]!;
    const inner = frame.parts.join('');
    if (frame.kind === 'link') emit(toLink(frame.href ?? null, inner));
    else if (frame.kind === 'pre') emit(`\n\n\`\`\`\n${inner}\n\`\`\`\n\n`);
    else if (frame.kind === 'quote') {
      quotes -= 1;
      emit(toQuote(inner));
    }
  };

  let i = 0;
  let textFrom = 0;
  const flushText = (to: number): void => {
    if (to > textFrom) emit(decodeEntities(s.slice(textFrom, to)));
  };
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt === -1) break;
    if (s.startsWith('<!--', lt)) {
      flushText(lt);
      const end = s.indexOf('-->', lt + 4);
      // An unclosed comment runs to the end, as in a browser.
      i = end === -1 ? s.length : end + 3;
      textFrom = i;
      continue;
    }
    tagStart.lastIndex = lt;
    const m = tagStart.exec(s);
    const gt = m ? gtFrom(lt) : -1;
    if (!m || gt === -1) {
      // Not a tag: the '<' is text.
      i = lt + 1;
      continue;
    }
    flushText(lt);
    i = gt + 1;
    textFrom = i;
    const closing = m[1] === '/';
    const name = m[2]!.toLowerCase();
    if (top.kind === 'link') {
      // Link text is plain: every tag inside is dropped, up to the link's end.
      if (closing && name === 'a') pop();
      continue;
    }
    if (top.kind === 'pre') {
      if (closing && name === 'pre') pop();
      else if (name === 'br') emit('\n');
      continue;
    }
    if (!closing && dropsContent.has(name)) {
      const end = new RegExp(`</${name}\\s*>`, 'ig');
      end.lastIndex = i;
      const found = end.exec(s);
      i = found ? found.index + found[0].length : s.length;
      textFrom = i;
      continue;
    }
    switch (name) {
      case 'a':
        if (!closing) push({ kind: 'link', parts: [], href: attr(`<a ${s.slice(lt + m[0].length, gt)}>`, 'href') });
        break;
      case 'br':
        emit('\n');
        break;
      case 'p':
      case 'div':
        emit('\n\n');
        break;
      case 'strong':
      case 'b':
        emit('**');
        break;
      case 'em':
      case 'i':
        emit('*');
        break;
      case 'code':
        emit('`');
        break;
      case 'li':
        if (!closing) emit('\n- ');
        break;
      case 'pre':
        if (!closing) push({ kind: 'pre', parts: [] });
        break;
      case 'blockquote':
        if (!closing) {
          if (quotes < MAX_QUOTE_DEPTH) {
            quotes += 1;
            push({ kind: 'quote', parts: [] });
          } else ignoredQuotes += 1;
        } else if (ignoredQuotes > 0) ignoredQuotes -= 1;
        else if (top.kind === 'quote') pop();
        break;
      default:
        // Every other tag goes; its text stays.
        break;
    }
  }
  flushText(s.length);
  // Whatever is still open ends with the input (unclosed links keep their text, quotes their lines).
  while (stack.length > 1) pop();
  return tidyLines(top.parts.join('').replace(/\u0000/g, ''));
}
