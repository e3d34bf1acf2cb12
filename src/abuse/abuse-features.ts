import { normalizeText } from '../domain/normalize-text.js';
import { charGramsStart, featurise, hashFeature, type Feature, type SpamInput } from '../spam/features.js';
import { toPlainText } from '../spam/plain-text.js';

/*
 * What the abuse model reads: the spam classifier's hashed features (words, n-grams, character n-grams,
 * structure) plus a few that matter for abuse and that counting words alone sees poorly: an insult
 * aimed at the reader ("you" near an insult), a threat aimed at them, shouting, and the lexicon's words
 * after normalisation (so "b1tch" and "bitch" are one feature). Names start with `s:` so the verdict
 * can name them, as it names the spam classifier's structural features.
 */

// Second person in the reader languages most used here ("du", "tu", "jij"), as normalizeText spells them.
const secondPerson = new Set([
  'you',
  'your',
  'youre',
  'yours',
  'yourself',
  'u',
  'ur',
  'ya',
  'du',
  'dich',
  'dir',
  'tu',
  'toi',
  'jij',
  'jou',
]);
// Words that insult a person, beyond the lexicon's profanities (which count as insults too).
const insults = new Set([
  'idiot',
  'idiots',
  'stupid',
  'moron',
  'dumb',
  'loser',
  'pathetic',
  'ugly',
  'fool',
  'clown',
  'scum',
  'trash',
  'garbage',
  'worthless',
  'disgusting',
  'pig',
  'liar',
  'retard',
  'retarded',
  'troll',
  'coward',
  'idiota',
  'dummkopf',
  'trottel',
]);
const threats = new Set([
  'kill',
  'hurt',
  'shoot',
  'stab',
  'beat',
  'punch',
  'hang',
  'burn',
  'die',
  'dead',
  'murder',
  'destroy',
]);
// How far apart "you" and the insult or threat may be ("you are such a stupid …": four words).
const WINDOW = 4;

/** The abuse-only features of a text, given the lexicon's words in it (findLexiconWords). */
export function abuseSignals(body: string, lexiconWords: readonly string[]): string[] {
  // The part the spam features read too (features.ts): scoring stays bounded on a very long text.
  const raw = toPlainText(body.slice(0, 3000));
  const text = normalizeText(raw);
  const words = text === '' ? [] : text.split(' ');
  const names: string[] = [];
  const near = (i: number, set: ReadonlySet<string>): boolean => {
    for (let j = Math.max(0, i - WINDOW); j <= Math.min(words.length - 1, i + WINDOW); j++)
      if (j !== i && set.has(words[j] as string)) return true;
    return false;
  };
  const lexicon = new Set(lexiconWords.map((w) => normalizeText(w)));
  for (let i = 0; i < words.length; i++) {
    if (!secondPerson.has(words[i] as string)) continue;
    if (near(i, insults)) names.push('s:you+insult');
    if (near(i, threats)) names.push('s:you+threat');
    if (lexicon.size > 0 && near(i, new Set(words.filter((w) => lexicon.has(w))))) names.push('s:you+lexicon');
  }
  if (/\b(?:kys|kill yourself|go die)\b/.test(text)) names.push('s:you+threat');
  // Shouting: most of a text of some length in capitals ("STOP LYING" is emphasis, a paragraph is not).
  const letters = raw.replace(/[^\p{L}]/gu, '').length;
  const upper = raw.replace(/[^\p{Lu}]/gu, '').length;
  if (letters >= 12 && upper / letters >= 0.7) names.push('s:shouting');
  if (lexiconWords.length > 0) names.push('s:lexicon');
  for (const w of lexiconWords) names.push(`s:lexicon ${normalizeText(w)}`);
  return [...new Set(names)];
}

/**
 * The spam features with the abuse signals added just before the character n-grams, where the spam
 * layer expects every feature that is not one (charGramsStart): the stored examples keep that order.
 */
export function featuriseAbuse(input: SpamInput, lexiconWords: readonly string[]): Feature[] {
  const base = featurise(input);
  const at = charGramsStart(base.map((f) => f.id));
  const known = new Set(base.map((f) => f.id));
  const extra: Feature[] = [];
  for (const name of abuseSignals(input.body, lexiconWords)) {
    const id = hashFeature(name);
    if (known.has(id)) continue;
    known.add(id);
    extra.push({ id, name });
  }
  // Before the length feature, which must stay the last one before the n-grams.
  return [...base.slice(0, at - 1), ...extra, ...base.slice(at - 1)];
}
