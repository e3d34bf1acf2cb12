import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/*
 * Reader text becomes HTML here, once, in the worker. Two independent layers keep it inert:
 * markdown-it with raw HTML off (a `<script>` is printed as text) and only a small set of rules, then
 * sanitize-html with an allow-list of tags, attributes and URL schemes, which would still strip
 * anything the first layer let through by mistake.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
markdown.enable(['paragraph', 'newline', 'escape', 'backticks', 'emphasis', 'link', 'autolink', 'linkify',
  'blockquote', 'code', 'fence', 'list', 'entity', 'text', 'text_join']);
// Absolute web and mail links only: a relative "/admin" would point into whatever site embeds us.
markdown.validateLink = (url) => /^(https?:\/\/|mailto:)/i.test(url.trim());

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href', 'rel'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    // Reader links must not pass search ranking or window.opener to anyone.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

/** Safe HTML for a comment's text: a small Markdown subset (emphasis, links, quotes, code, lists). */
export function renderCommentHtml(text: string): string {
  return sanitizeHtml(markdown.render(text), sanitizeOptions).trim();
}
