import MarkdownIt from 'markdown-it';

/*
 * The comment Markdown subset, in one place: the renderer (render-comment.ts) turns it into HTML and the
 * word rules (visible-text.ts) read the text it shows, so what is emphasis, code or a link there is
 * markup here too, and a body past the budget is plain text for both.
 */

// maxNesting bounds how deep quotes, lists and emphasis go (markdown-it's zero preset has 20; set here
// so nobody raises it by accident: every level is a frame of the parser's work).
export const markdown = new MarkdownIt('zero', {
  html: false,
  linkify: true,
  breaks: true,
  typographer: false,
  maxNesting: 20,
});
markdown.enable([
  'paragraph',
  'newline',
  'escape',
  'backticks',
  'emphasis',
  'link',
  'autolink',
  'linkify',
  'blockquote',
  'code',
  'fence',
  'list',
  'entity',
  'text',
  'text_join',
]);
// Absolute web and mail links only: a relative "/admin" would point into whatever site embeds us.
markdown.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());

/*
 * Rendering costs what the Markdown makes, not what the text weighs: every emphasis delimiter, bracket,
 * backtick, entity and line break can become a token, and every '@' or '://' a link
 * (65 KB of `a@b.co ` made 9,000 links and cost 0.9 s of worker CPU; `**a` repeated, 0.7 s). A linear
 * pre-count of those characters bounds the work before markdown-it runs: past MARKUP_BUDGET the body is
 * shown as escaped plain text with its line breaks, which costs what copying it does. Real comments
 * stay far below it (a 65 KB comment of prose has a few hundred line breaks and a handful of marks).
 */

/** Weighted count of characters that may start Markdown, past which a body is rendered as plain text. */
export const MARKUP_BUDGET = 4000;

/** What a body's markup may cost (see MARKUP_BUDGET): 1 per mark or line break, 8 per '@' or '://' (a possible link). */
export function markupCost(text: string): number {
  let cost = 0;
  for (let i = 0; i < text.length; i += 1) {
    switch (text.charCodeAt(i)) {
      case 0x2a:
      case 0x5f:
      case 0x60:
      case 0x5b:
      case 0x5d:
      case 0x3c:
      case 0x26:
      case 0x5c:
      case 0x21:
      case 0x0a:
        cost += 1; // * _ ` [ ] < & \ ! and line breaks
        break;
      case 0x40:
        cost += 8; // an email for linkify
        break;
      case 0x3a:
        if (text.charCodeAt(i + 1) === 0x2f && text.charCodeAt(i + 2) === 0x2f) cost += 8; // a scheme's "://"
        break;
      default:
    }
  }
  return cost;
}
