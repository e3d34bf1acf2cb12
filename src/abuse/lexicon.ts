import { createRequire } from 'node:module';
import { DataSet, englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import { normalizeText } from '../domain/normalize-text.js';

/*
 * The abuse filter's cold start: words that hold a comment before any moderator has taught the site's
 * model anything. English comes from `obscenity` (its dataset of profanities and slurs, with the
 * package's transformers for leetspeak, look-alike letters and repeated letters, and its whitelist that
 * keeps "Scunthorpe" and "assassin" clean); the other reader languages from `naughty-words` (the
 * LDNOOBW lists), matched on whole words after the project's own normalisation (normalizeText: NFKC,
 * UTS #39 confusables inside Latin words, accents, case, leetspeak digits). Japanese is left out: its
 * list is matched on word boundaries that Japanese text does not have.
 */

// Words that name a subject a news comment discusses ("same-sex marriage", a rape trial, "porn laws")
// rather than insult anyone: held for them, a desk would see every report on a court case.
const topicWords = new Set([
  'sex',
  'rape',
  'porn',
  'incest',
  'penis',
  'vagina',
  'anal',
  'anus',
  'orgasm',
  'semen',
  'ejaculate',
  'masturbate',
  'hentai',
  'bestiality',
  'negro',
  'hooker',
]);

const englishWords = new DataSet<{ originalWord: string }>()
  .addAll(englishDataset)
  .removePhrasesIf((p) => topicWords.has(p.metadata?.originalWord ?? ''));
const english = new RegExpMatcher({ ...englishWords.build(), ...englishRecommendedTransformers });

/** The reader languages (src/i18n/lang) whose LDNOOBW list is matched on whole words. */
export const lexiconLanguages = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'ru', 'tr', 'ar'] as const;

// Entries of the other languages' lists that are ordinary words, or name a subject, in another reader
// language: Portuguese "homosexual", "heterosexual" and "mama", Spanish "Nazi" and "Sexo", French
// "bite", Dutch "sufferd" (an English typo of "suffered"). Every list is matched on every comment, so
// each of these held English comments that insult no one (seen on the ETHOS corpus, README).
const collidingWords = new Set([
  'homosexual',
  'heterosexual',
  'mama',
  'nazi',
  'sexo',
  'sexo oral',
  'bite',
  'sufferd',
  'gotten',
]);

const require = createRequire(import.meta.url);
// Normalised entry → the entry as listed (what the verdict names). Entries shorter than four letters
// after normalising are ordinary words elsewhere (French "con" in an English "the con was"), left out.
const listed = new Map<string, string>();
for (const lang of lexiconLanguages) {
  for (const entry of require(`naughty-words/${lang}.json`) as string[]) {
    const key = normalizeText(entry);
    if (key.length >= 4 && !listed.has(key) && !collidingWords.has(key) && !topicWords.has(key)) listed.set(key, entry);
  }
}
// Every phrase's leading words ("a b" of "a b c"): a run of words that is none of these begins no entry
// longer than itself, so the lookup of longer runs from that word stops there.
const leads = new Set<string>();
for (const key of listed.keys()) {
  const words = key.split(' ');
  for (let n = 1; n < words.length; n++) leads.add(words.slice(0, n).join(' '));
}

/** At most this many distinct words are named: enough to tell a moderator why. */
const MAX_WORDS = 5;

/**
 * Whether a match read through leetspeak sits inside a longer run of letters and digits that has
 * digits in it: an id, a hash, a code ("a55b86d5", "14a1fc2d"), not a word spelt with digits. "sh1t"
 * (the whole run) still counts, a number alone never does. Without this, one comment in some hundreds that quotes a hex id was
 * held as abusive.
 */
function insideCode(text: string, start: number, end: number): boolean {
  // A number read as letters ("455" as "ass", "7117" as "tit") is a number.
  if (!/\p{L}/u.test(text.slice(start, end + 1))) return true;
  const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  let from = start;
  let to = end + 1;
  while (isWordChar(text[from - 1])) from--;
  while (isWordChar(text[to])) to++;
  if (from === start && to === end + 1) return false;
  return /\p{N}/u.test(text.slice(from, to));
}

/**
 * The lexicon's words in a text, each once, as the lists spell them (English: the dataset's base word,
 * so "sh1t" and "ѕhіt" both name `shit`). Pure; [] for a clean text.
 */
export function findLexiconWords(text: string): string[] {
  const found = new Set<string>();
  for (const m of english.getAllMatches(text, true)) {
    if (insideCode(text, m.startIndex, m.endIndex)) continue;
    const word = englishWords.getPayloadWithPhraseMetadata(m).phraseMetadata?.originalWord;
    if (word !== undefined) found.add(word);
    if (found.size >= MAX_WORDS) return [...found];
  }
  const words = normalizeText(text).split(' ');
  for (let i = 0; i < words.length; i++) {
    let run = words[i] as string;
    for (let j = i; ;) {
      const entry = listed.get(run);
      if (entry !== undefined) found.add(entry);
      if (found.size >= MAX_WORDS) return [...found];
      if (++j >= words.length || !leads.has(run)) break;
      run += ` ${words[j] as string}`;
    }
  }
  return [...found];
}
