// Zero-width and invisible formatting characters that spammers put inside words ("fr\u200Bee").
const invisible = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]/g;
const combiningMarks = /\p{M}+/gu;
const nonWord = /[^\p{L}\p{N}]+/gu;

/**
 * Text as the content rules compare it: NFKC (fullwidth and styled letters become plain), accents
 * and invisible characters removed, case folded, every run of non-letters one space. "FR\u200BÉE
 * m𝐨ney!" and "free money" normalise the same.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(invisible, '')
    .normalize('NFD')
    .replace(combiningMarks, '')
    .toLowerCase()
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
