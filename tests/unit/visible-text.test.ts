import { describe, expect, it } from 'vitest';
import { MARKUP_BUDGET, markupCost } from '../../src/domain/comment-markdown.js';
import { findListedWordInComment, toVisibleText } from '../../src/domain/visible-text.js';
import { holdWords } from '../../src/moderation/rules/hold-rules.js';
import { spamWords } from '../../src/moderation/rules/spam-rules.js';
import { baseContext } from './support/check-context.js';

// Issue 11, item 15 (WordPress ticket 37208's case, in Markdown): word lists match what a reader sees.
const hidden = [
  ['**half**way'],
  ['half*way*'],
  ['half`way`'],
  ['*h*alf**way**'],
  ['[half](https://x.example)way'],
  ['half&#119;ay'],
  ['Going **half**way there.'],
  ['> **half**way\n> quoted'],
];

describe('toVisibleText', () => {
  it.each([
    ['**half**way', 'halfway'],
    ['half*way*', 'halfway'],
    ['half`way`', 'halfway'],
    ['a [link text](https://example.org/page) here', 'a link text here'],
    ['two\nlines', 'two lines'],
    ['para one\n\npara two', 'para one para two'],
    [
      '__half__way (no emphasis inside a word with underscores)',
      '__half__way (no emphasis inside a word with underscores)',
    ],
    ['    indented code\n', 'indented code'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['snake_case_name', 'snake_case_name'],
    ['plain text', 'plain text'],
  ])('%j reads %j', (text, visible) => {
    expect(toVisibleText(text).replace(/\s+/g, ' ').trim()).toBe(visible);
  });
});

describe('word lists match the text a reader sees', () => {
  it.each(hidden)('hold word "halfway" in %j holds the comment', (body) => {
    expect(holdWords(baseContext({ fields: { body }, settings: { holdWords: ['halfway'] } }))).toMatchObject({
      code: 'HOLD_WORD',
    });
  });

  it.each(hidden)('spam word "halfway" in %j marks it as spam', (body) => {
    expect(spamWords(baseContext({ fields: { body }, settings: { spamWords: ['halfway'] } }))).toMatchObject({
      code: 'SPAM_WORD',
    });
  });

  it.each([
    ['a listed domain hidden in a link address', '[my blog](https://casino.example/x)', ['casino']],
    ['a listed word in a code block', '    casino()', ['casino']],
    ['a phrase split by emphasis', 'a **class** action', ['class action']],
  ])('still caught: %s', (_scenario, body, words) => {
    expect(findListedWordInComment({ body, author: '', email: '', url: '' }, words)).toBe(words[0]);
  });

  it.each([
    ['"half way" in separate words', 'half way there', ['halfway']],
    ['"half" in a different word', '**half**time', ['halfway']],
    ['a word list that is empty', '**half**way', []],
  ])('not caught: %s', (_scenario, body, words) => {
    expect(findListedWordInComment({ body, author: '', email: '', url: '' }, words)).toBeNull();
  });

  it('a 65 KB Markdown body within the markup budget is read in well under a second', () => {
    // Denser markup than this is past the budget and reads as written (below).
    const body = ('**half**way `code` [link](https://example.org) _em_ ' + 'plain words of prose, '.repeat(60))
      .repeat(45)
      .slice(0, 65_000);
    expect(markupCost(body)).toBeLessThanOrEqual(MARKUP_BUDGET);
    const started = performance.now();
    const word = findListedWordInComment({ body, author: '', email: '', url: '' }, ['halfway']);
    const ms = performance.now() - started;
    console.log(`visible text of a ${body.length}-byte Markdown body: ${ms.toFixed(0)} ms`);
    expect(word).toBe('halfway');
    expect(ms).toBeLessThan(1000);
  });
});

describe('a body past the markup budget', () => {
  it('reads as written, since the renderer shows it as plain text (and parsing it would cost what rendering saved)', () => {
    const body = `**half**way ${'a@b.co '.repeat(600)}`;
    expect(markupCost(body)).toBeGreaterThan(MARKUP_BUDGET);
    expect(toVisibleText(body)).toBe(body);
    expect(toVisibleText('**half**way').trim()).toBe('halfway');
  });
});
