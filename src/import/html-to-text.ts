/*
 * WordPress and Disqus store comment text as HTML. We store text in our Markdown subset and render it
 * ourselves (markdown-it without raw HTML, then sanitize-html), so foreign markup is never stored or
 * served as markup: this converter keeps what maps onto the subset (paragraphs, line breaks, links,
 * emphasis, quotes, code) and drops every other tag, keeping its text. Whatever it lets through by
 * mistake is still only text to the renderer, so safety never depends on this file.
 */

const named: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®', trade: '™',
  eacute: 'é', egrave: 'è', agrave: 'à', ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', euro: '€',
  bull: '•', middot: '·', deg: '°', times: '×',
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

/** Foreign comment HTML → text in our Markdown subset (see the file comment). */
export function htmlToCommentText(input: string): string {
  let s = input.replace(/\r\n?/g, '\n');
  // Content that is never text.
  s = s.replace(/<(script|style|iframe|object|embed|template|noscript)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  // Links first, while their text is still plain: [text](url), or the bare URL when they are the same.
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_all, attrs: string, inner: string) => {
    const href = attr(`<a ${attrs}>`, 'href');
    const text = decodeEntities(inner.replace(/<[^>]*>/g, '')).trim();
    if (href === null || !/^(https?:\/\/|mailto:)/i.test(href.trim())) return text;
    const url = href.trim().replace(/[()\s]/g, (c) => encodeURIComponent(c));
    if (text === '' || text === href.trim()) return url;
    return `[${linkText(text)}](${url})`;
  });
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<\/?(p|div)\b[^>]*>/gi, '\n\n');
  s = s.replace(/<\/?(strong|b)\b[^>]*>/gi, '**');
  s = s.replace(/<\/?(em|i)\b[^>]*>/gi, '*');
  s = s.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_all, inner: string) => `\n\n\`\`\`\n${inner.replace(/<[^>]*>/g, '')}\n\`\`\`\n\n`);
  s = s.replace(/<\/?code\b[^>]*>/gi, '`');
  s = s.replace(/<li\b[^>]*>/gi, '\n- ').replace(/<\/li\s*>/gi, '');
  s = s.replace(/<blockquote\b[^>]*>([\s\S]*?)<\/blockquote\s*>/gi, (_all, inner: string) => {
    const quoted = inner.replace(/<\/?(p|div)\b[^>]*>/gi, '\n').trim().split('\n').map((l) => `> ${l.trim()}`).join('\n');
    return `\n\n${quoted}\n\n`;
  });
  // Every other tag goes; its text stays.
  s = s.replace(/<\/?[a-z][^>]*>/gi, '');
  s = decodeEntities(s).replace(/\u0000/g, '');
  return s.replace(/[ \t\u00a0]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
