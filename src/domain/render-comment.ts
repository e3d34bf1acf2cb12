import sanitizeHtml from 'sanitize-html';
import { markdown, markupCost, MARKUP_BUDGET } from './comment-markdown.js';

/*
 * Reader text becomes HTML here, once, in the worker. Two independent layers keep it inert:
 * markdown-it with raw HTML off (a `<script>` is printed as text) and only a small set of rules, then
 * sanitize-html with an allow-list of tags, attributes and URL schemes, which would still strip
 * anything the first layer let through by mistake.
 */
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

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The body as escaped plain text: paragraphs at blank lines, a <br> at every other line break. */
export function renderPlainHtml(text: string): string {
  const escaped = text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
  return escaped
    .split(/\n[ \t]*\n\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${p.split('\n').join('<br>\n')}</p>`)
    .join('\n');
}

/**
 * Safe HTML for a comment's text: a small Markdown subset (emphasis, links, quotes, code, lists), or
 * plain text when its markup is past MARKUP_BUDGET.
 */
export function renderCommentHtml(text: string): string {
  if (markupCost(text) > MARKUP_BUDGET) return renderPlainHtml(text);
  return sanitizeHtml(markdown.render(text), sanitizeOptions).trim();
}
