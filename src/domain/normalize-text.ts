import { createRequire } from 'node:module';

// Zero-width and invisible formatting characters that spammers put inside words ("fr\u200Bee").
const invisible =
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
const combiningMarks = /\p{M}+/gu;
const nonWord = /[^\p{L}\p{N}]+/gu;
const word = /[\p{L}\p{N}\p{M}]+/gu;
const asciiLetter = /[A-Za-z]/;
const nonAsciiLetter = /[^\x00-\x7f]/u;

/*
 * UTS #39 confusables (Unicode's confusables.txt, v13) as shipped by nodeca's `unhomoglyph`: one code
 * point → its prototype ("Ρ" Greek Rho → "P", "Ꮩ" Cherokee → "V"). Only the table is used, not the
 * package's function, which maps every character (even ASCII "m" → "rn") and would garble plain text.
 */
const confusables = createRequire(import.meta.url)('unhomoglyph/data.json') as Record<string, string>;

/** The plain Latin letter or digit a non-ASCII character looks like, or null. */
function latinLookAlike(ch: string): string | null {
  const target = confusables[ch];
  if (target === undefined) return null;
  const plain = target.normalize('NFD').replace(combiningMarks, '');
  return /^[A-Za-z0-9]+$/.test(plain) ? plain : null;
}

/*
 * Look-alike letters are mapped only inside a word that also has plain Latin letters, and only when
 * every other letter of that word has a Latin look-alike ("ΡayΡal", "Ꮩiagra", "Сasino" with a Cyrillic
 * С). That is UTS #39's mixed-script test: a word wholly in Cyrillic or Greek ("Привет") is a real word
 * in its own script and stays as it is, and so does a word mixing in letters that look like nothing
 * Latin.
 */
function unmixWord(w: string): string {
  if (!asciiLetter.test(w) || !nonAsciiLetter.test(w)) return w;
  let out = '';
  for (const ch of w) {
    if (ch.charCodeAt(0) < 0x80 || /\p{M}/u.test(ch)) {
      out += ch;
      continue;
    }
    const plain = latinLookAlike(ch);
    // An accented Latin letter ("é") has no prototype but is still Latin: its accent goes later.
    if (plain === null) {
      if (/\p{Script=Latin}/u.test(ch)) out += ch;
      else return w;
    } else out += plain;
  }
  return out;
}

// Digits that stand in for letters in leetspeak. "1" is read as "i" (v1agra, b1tcoin), as spam writes it.
const digitLetters: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
const digitsInsideWord = /(?<=\p{L})[013457]+(?=\p{L})/gu;
const letters = /\p{L}/gu;

/*
 * A digit is read as a letter only between two letters of a word with at least two letters ("m0ney",
 * "fr33dom", "v1agra"). Digits at a word's edge or among digits are numbers: "2024", "555-1234",
 * "covid19", "mp3", "4k", "1st" and "b2b" (2 looks like no letter) stay as they are.
 */
function unleetWord(w: string): string {
  if (!/\d/.test(w) || (w.match(letters)?.length ?? 0) < 2) return w;
  return w.replace(digitsInsideWord, (run) => [...run].map((d) => digitLetters[d] ?? d).join(''));
}

/**
 * Text as the content rules and the spam classifier compare it: NFKC (fullwidth and styled letters
 * become plain), invisible characters removed, look-alike letters from other scripts mapped to Latin
 * inside Latin words (UTS #39 confusables), accents removed, case folded, digits used as letters
 * inside words read as letters, every run of non-letters one space. "FR\u200BÉE m𝐨ney!", "fr\u200Bee
 * m0ney" and "free money" normalise the same; "ΡayΡal" (Greek Rho) becomes "paypal".
 */
export function normalizeText(text: string): string {
  const known = recent.get(text);
  if (known !== undefined) return known;
  const normal = normalize(text);
  // Only texts of a comment's size: a cache of a few dozen cannot grow past a few hundred KB.
  if (text.length <= 4000) {
    if (recent.size >= RECENT) recent.delete(recent.keys().next().value as string);
    recent.set(text, normal);
  }
  return normal;
}

/*
 * The last few texts normalised, and their answers: one comment's checks normalise the same strings
 * one after the other (the spam and hold word rules the same haystack, the spam and abuse features the
 * same text, the listed words themselves every time), each costing 30–50 µs for a comment's body. The
 * function is pure, so a remembered answer is the answer. Oldest first (a Map keeps insertion order).
 */
const RECENT = 64;
const recent = new Map<string, string>();

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .replace(invisible, '')
    .replace(word, unmixWord)
    .normalize('NFD')
    .replace(combiningMarks, '')
    .toLowerCase()
    .replace(word, unleetWord)
    .replace(nonWord, ' ')
    .trim();
}

/**
 * The first listed word or phrase found in `text`, matched on whole words after normalising both
 * sides; null when none is.
 */
export function findListedWord(text: string, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  const haystack = ` ${normalizeText(text)} `;
  for (const word of words) {
    const needle = normalizeText(word);
    if (needle !== '' && haystack.includes(` ${needle} `)) return word;
  }
  return null;
}
