// Comments arrive as plain text from the widget, but imported or pasted text often carries HTML:
// entities (`&#39;`, `&amp;`), line breaks (`<br />`) and anchors whose address is the only link.
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const anchor = /<a\s[^>]*?href\s*=\s*["']([^"']*)["'][^>]*>[\s\S]*?<\/a\s*>/gi;
const tag = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi;
const entity = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi;

function decodeEntity(match: string, body: string): string {
  if (body[0] !== '#') return namedEntities[body.toLowerCase()] ?? match;
  const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
}

/**
 * The text a reader sees, for the classifier to read: an anchor becomes its address (so the link is
 * counted once, and its visible text, usually the same address, is not), other tags become spaces,
 * and character references are decoded. Decoding happens once, after the tags are gone, so an
 * escaped `&lt;b&gt;` stays the text `<b>` rather than becoming markup. Plain text passes unchanged.
 */
export function toPlainText(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  return text.replace(anchor, ' $1 ').replace(tag, ' ').replace(entity, decodeEntity);
}
