import MarkdownIt from 'markdown-it';
import type { CommentFields } from './comment-fields.js';
import { findListedWord } from './normalize-text.js';

/*
 * The same Markdown subset as src/domain/render-comment.ts (keep the two lists in step): what is
 * emphasis, code or a link there is markup here too, and what renders as text there is text here.
 */
const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true, typographer: false });
markdown.enable(['paragraph', 'newline', 'escape', 'backticks', 'emphasis', 'link', 'autolink', 'linkify',
  'blockquote', 'code', 'fence', 'list', 'entity', 'text', 'text_join']);

type Token = ReturnType<typeof markdown.parse>[number];

// Characters without which Markdown renders text as it is written: such text is its own visible text.
const markdownSyntax = /[*_`~\\[\]<>&]/;

function collect(tokens: readonly Token[], out: string[]): void {
  for (const t of tokens) {
    if (t.children !== null) collect(t.children, out);
    else if (t.type === 'text' || t.type === 'code_inline') out.push(t.content);
    else if (t.type === 'code_block' || t.type === 'fence') out.push(' ', t.content, ' ');
    // Line breaks and block edges separate words; inline markup (emphasis, links, code) does not.
    else if (t.type === 'softbreak' || t.type === 'hardbreak' || t.block) out.push(' ');
  }
}

let last: { text: string; visible: string } | null = null;

/**
 * A comment's text as a reader sees it once its Markdown is rendered: `**half**way`, `half*way*` and
 * ``half`way` `` all read "halfway", and a link reads as its text. The hold-word and spam-word rules
 * match on this, because that is the text the words are meant to catch. Remembers its last answer:
 * both word rules ask about the same comment, one after the other.
 */
export function toVisibleText(text: string): string {
  if (!markdownSyntax.test(text)) return text;
  if (last?.text === text) return last.visible;
  const out: string[] = [];
  collect(markdown.parse(text, {}), out);
  last = { text, visible: out.join('') };
  return last.visible;
}

/**
 * The first listed word found in a comment: in its visible text, name, email and website, and then in
 * its text as written (a link's address is not visible, yet a listed domain must still be caught).
 */
export function findListedWordInComment(fields: Pick<CommentFields, 'body' | 'author' | 'email' | 'url'>, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  const visible = toVisibleText(fields.body);
  return findListedWord(`${visible} ${fields.author} ${fields.email} ${fields.url}`, words) ??
    (visible === fields.body ? null : findListedWord(fields.body, words));
}
