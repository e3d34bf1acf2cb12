import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readerWords, type ReaderWords } from '../../src/i18n/reader-words.js';
import { READER_LANGUAGES } from '../../src/i18n/reader-language.js';
import { plural as serverPlural } from '../../src/i18n/plural.js';
import { en as conversationEn, loadConversationMessages } from '../../widget/conversation/words.js';
import { en, LANGUAGES, loadMessages } from '../../widget/i18n.js';
import { enMore, withMore } from '../../widget/more-words.js';
import { plural } from '../../widget/plural.js';
import { en as readerEn, loadReaderMessages } from '../../widget/reader/words.js';

/*
 * Issue 15, item 6: twelve languages for the widget (embed.js, its conversation part, its reader's
 * part), the page without JavaScript and the reader mails. Every language says everything English
 * says, in the shape English says it; each plural has the forms its language's rules ask for; and no
 * word is left in the files that nothing shows.
 */

const root = join(import.meta.dirname, '..', '..');

/** A plural-forms value: an object with `other` and only CLDR category names. */
const isPlural = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'other' in v;

/** The key paths of a set of words, a plural or a function or a string counting as one leaf. */
function shape(words: unknown, prefix = ''): string[] {
  if (typeof words !== 'object' || words === null || isPlural(words)) return [`${prefix}:${kindOf(words)}`];
  if (Array.isArray(words)) return [`${prefix}:array(${words.length})`];
  return Object.entries(words).flatMap(([k, v]) => shape(v, prefix ? `${prefix}.${k}` : k));
}

function kindOf(v: unknown): string {
  if (isPlural(v)) return 'plural';
  return typeof v === 'function' ? `function(${(v as (...a: unknown[]) => unknown).length})` : typeof v;
}

/** Every leaf as [path, value], for the checks on each text. */
function leaves(words: unknown, prefix = ''): [string, unknown][] {
  if (typeof words !== 'object' || words === null || isPlural(words) || Array.isArray(words)) return [[prefix, words]];
  return Object.entries(words).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Each text of a language is there and is no placeholder: strings, arrays, plurals, functions. */
function checkTexts(lang: string, words: unknown, pluralOf: typeof plural): void {
  const rules = new Intl.PluralRules(lang);
  for (const [path, value] of leaves(words)) {
    const where = `${lang}.${path}`;
    if (typeof value === 'string') expect(value.trim(), where).not.toBe('');
    else if (Array.isArray(value)) for (const v of value) expect(String(v).trim(), where).not.toBe('');
    else if (typeof value === 'function') {
      const args = Array.from({ length: value.length }, (_, i) => `«arg${i}»`);
      const text = String((value as (...a: string[]) => unknown)(...args));
      for (const a of args) expect(text, where).toContain(a);
    } else if (isPlural(value)) {
      const categories = rules.resolvedOptions().pluralCategories as string[];
      // Only the language's own categories, and each one a whole number can take is written out.
      expect(
        Object.keys(value).filter((k) => !categories.includes(k)),
        where,
      ).toEqual([]);
      for (let n = 0; n <= 200; n++) expect(value[rules.select(n)], `${where} for ${n}`).toBeDefined();
      for (const c of ['few', 'many', 'other'] as const)
        if (value[c] !== undefined) expect(value[c], `${where}.${c}`).toContain('#');
      expect(pluralOf(lang, 7, value as { other: string }), where).not.toContain('#');
    } else throw new Error(`${where}: unexpected ${typeof value}`);
  }
}

async function allOf<T>(load: (lang: string) => Promise<T>): Promise<[string, T][]> {
  return Promise.all(LANGUAGES.map(async (lang) => [lang, await load(lang)] as [string, T]));
}

describe('the widget speaks twelve languages', () => {
  it('en de fr es it pt nl pl tr ru ja ar, and the server the same twelve', () => {
    expect([...LANGUAGES]).toEqual(['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'ja', 'ar']);
    expect([...READER_LANGUAGES]).toEqual([...LANGUAGES]);
  });

  it.each([
    // English's words for the on-demand parts only are a file of their own (more-words.ts).
    ["embed.js' words", (lang: string) => loadMessages(lang).then(withMore), { ...en, ...enMore }],
    ["the conversation part's words", loadConversationMessages, conversationEn],
    ["the reader part's words", loadReaderMessages, readerEn],
  ] as [string, (lang: string) => Promise<unknown>, unknown][])(
    '%s: every language has every key of English, in its shape',
    async (_, load, english) => {
      const all = await allOf(load);
      for (const [lang, words] of all) {
        // Each language file loaded, not English standing in for a file that failed.
        if (lang !== 'en') expect(words, lang).not.toBe(english);
        expect(shape(words).sort(), lang).toEqual(shape(english).sort());
        checkTexts(lang, words, plural);
      }
    },
  );

  it('a language nobody wrote falls back to English at once', async () => {
    expect(await loadMessages('tlh')).toBe(en);
    expect(await loadConversationMessages('zh')).toBe(conversationEn);
  });
});

describe('the server speaks the same twelve to readers', () => {
  it.each(READER_LANGUAGES.map((l) => [l]))('%s has every key of English, in its shape', (lang) => {
    const words: ReaderWords = readerWords[lang];
    if (lang !== 'en') expect(words).not.toBe(readerWords.en);
    expect(shape(words)).toEqual(shape(readerWords.en));
    checkTexts(lang, words, serverPlural);
  });
});

describe('plural forms come from Intl.PluralRules', () => {
  const heading = async (lang: string, n: number) => plural(lang, n, (await loadMessages(lang)).count);
  it.each([
    [
      'pl',
      [1, 2, 4, 5, 12, 22, 25],
      [
        '1 komentarz',
        '2 komentarze',
        '4 komentarze',
        '5 komentarzy',
        '12 komentarzy',
        '22 komentarze',
        '25 komentarzy',
      ],
    ],
    [
      'ru',
      [1, 3, 5, 11, 21, 24],
      ['1 комментарий', '3 комментария', '5 комментариев', '11 комментариев', '21 комментарий', '24 комментария'],
    ],
    ['ar', [0, 1, 2, 3, 11, 100], ['لا تعليقات', 'تعليق واحد', 'تعليقان', '3 تعليقات', '11 تعليقًا', '100 تعليق']],
    ['ja', [1, 2, 30], ['コメント 1件', 'コメント 2件', 'コメント 30件']],
    ['en', [1, 2], ['1 Comment', '2 Comments']],
    ['fr', [0, 1, 2], ['0 commentaire', '1 commentaire', '2 commentaires']],
  ] as [string, number[], string[]][])('%s headings: %j', async (lang, counts, texts) => {
    expect(await Promise.all(counts.map((n) => heading(lang, n)))).toEqual(texts);
  });

  it('new comments waiting above the thread count the same way (pl, ru)', async () => {
    const pl = await loadConversationMessages('pl');
    expect([1, 3, 5].map((n) => plural('pl', n, pl.newComments))).toEqual([
      '1 nowy komentarz',
      '3 nowe komentarze',
      '5 nowych komentarzy',
    ]);
    const ru = await loadConversationMessages('ru');
    expect([1, 2, 7].map((n) => plural('ru', n, ru.newComments))).toEqual([
      '1 новый комментарий',
      '2 новых комментария',
      '7 новых комментариев',
    ]);
  });

  it('no language file decides a plural with a hand-written n === 1', () => {
    const files = ['widget/lang', 'widget/conversation/lang', 'widget/reader/lang', 'src/i18n/lang'].flatMap((d) =>
      readdirSync(join(root, d)).map((f) => join(root, d, f)),
    );
    expect(files.length).toBe(44);
    for (const f of [...files, join(root, 'widget/i18n.ts'), join(root, 'src/i18n/reader-words.ts')])
      expect(readFileSync(f, 'utf8'), f).not.toMatch(/===\s*1\b|\b1\s*===/);
  });
});

/** The text of every .ts file under `dir`, except the files that only define words. */
function sourcesUnder(dir: string, skip: (path: string) => boolean): string {
  return readdirSync(dir)
    .map((name) => {
      const path = join(dir, name);
      if (skip(path)) return '';
      if (statSync(path).isDirectory()) return sourcesUnder(path, skip);
      return path.endsWith('.ts') ? readFileSync(path, 'utf8') : '';
    })
    .join('\n');
}

describe('no word is unused', () => {
  const isWordsFile = (p: string) =>
    /\/lang$/.test(p) || /widget\/i18n\.ts$|\/words\.ts$|src\/i18n\/reader-words(-shape)?\.ts$/.test(p);
  const widget = sourcesUnder(join(root, 'widget'), isWordsFile);
  const src = sourcesUnder(join(root, 'src'), isWordsFile);

  it.each([
    ["embed.js' words", en, widget],
    ["the words embed.js' on-demand parts say", enMore, widget],
    ["the conversation part's words", conversationEn, widget],
    ["the reader part's words", readerEn, widget],
    ["the no-JS pages' words", readerWords.en.page, src],
    ['the reader mails’ words', readerWords.en.mail, src],
    ['the mail links’ pages’ words', readerWords.en.landing, src],
  ] as [string, object, string][])('each key of %s is read somewhere', (_, words, sources) => {
    // `t.loading`, `ct.picks`, `w.says`: a key is used where the code reads it off its words; a few
    // are looked up by a value of the API's ('oldest', 'top': `ct[order]`), named as that value.
    expect(Object.keys(words).filter((key) => !new RegExp(`\\.${key}\\b|'${key}'`).test(sources))).toEqual([]);
  });

  it.each([
    ["embed.js' field errors", enMore.errors],
    ["the reader part's errors", readerEn.errors],
    ["the conversation part's vote errors", conversationEn.voteErrors],
    ["the no-JS error page's messages", readerWords.en.page.errors],
    ['the refusals readers are told of', readerWords.en.page.refusals],
  ] as [string, Record<string, string>][])('%s are keyed by codes the API answers with', (_, messages) => {
    // "REQUIRED_author" is REQUIRED for the author field; "" is any other failure.
    const codes = Object.keys(messages)
      .filter((k) => k !== '')
      .map((k) => k.replace(/_[a-z][A-Za-z]*$/, ''));
    expect(codes.filter((code) => !src.includes(`'${code}'`))).toEqual([]);
  });

  it("the reader part's status words are the statuses the API lists a reader's comments under", () => {
    const account = readFileSync(join(root, 'src/readers/reader-account.ts'), 'utf8');
    for (const status of Object.keys(readerEn.status)) expect(account, status).toContain(`'${status}'`);
  });
});
