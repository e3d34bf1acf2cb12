import type { CommentFields } from './comment-fields.js';
import { markdown, markupCost, MARKUP_BUDGET } from './comment-markdown.js';
import { findListedWord } from './normalize-text.js';

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
  // Past the budget the renderer shows the body as plain text, and so it reads here (and costs nothing).
  if (!markdownSyntax.test(text) || markupCost(text) > MARKUP_BUDGET) return text;
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
export function findListedWordInComment(
  fields: Pick<CommentFields, 'body' | 'author' | 'email' | 'url'>,
  words: readonly string[],
): string | null {
  if (words.length === 0) return null;
  const visible = toVisibleText(fields.body);
  return (
    findListedWord(`${visible} ${fields.author} ${fields.email} ${fields.url}`, words) ??
    (visible === fields.body ? null : findListedWord(fields.body, words))
  );
}
