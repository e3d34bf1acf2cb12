import { normalizeText } from '../domain/normalize-text.js';
import { toPlainText } from './plain-text.js';

/** What the classifier reads of a comment: its text and, when given, the author's website. */
export interface SpamInput {
  body: string;
  /** The author's website field ('' or absent when none). */
  url?: string;
}

/** One feature of a text: its hashed id, and a name a moderator can read. */
export interface Feature {
  id: number;
  name: string;
}

// Only the first part of a very long text is read: enough to judge it, and scoring stays bounded.
const MAX_CHARS = 3000;
const urlPattern =
  /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|ru|cn|xyz|top|io|ly|gl|co|me|tk|ml|ga|cf|gq|club|online|site|shop|us|uk|de|tv|be)\b(?:\/[^\s<>"')\]]*)?/giu;
const emailPattern = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/u;
const phonePattern = /(?:\+?\d[\s().-]?){7,}/u;

/** FNV-1a, 32 bits: stable across processes and versions, which the stored model needs. */
export function hashFeature(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Postgres stores it as a signed int4.
  return h | 0;
}

function bucket(value: number, edges: readonly number[]): number {
  let i = 0;
  while (i < edges.length && value >= (edges[i] as number)) i++;
  return i;
}

function hostOf(raw: string): string | null {
  try {
    return new URL(/^https?:\/\//i.test(raw) ? raw : `http://${raw}`).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** Name prefix of the character n-gram features, which the scorer weighs less (see score-spam.ts). */
export const CHAR_GRAM = 'c:';

/**
 * The features of one comment, each once (presence, not counts: a short text repeating a word says
 * little more than saying it once). Word 1–3-grams of the normalised text; character 3–4-grams of
 * each word (catch variants, misspellings and glued words such as "freemoney"); structural features
 * (links, their hosts, digits, capitals, phone- or email-like strings, length). HTML is read as the
 * text a reader would see (see toPlainText). Nothing is a hard-coded spam phrase: which features
 * mean spam is learned.
 *
 * The order is fixed: every other feature, then the length (`s:words=…`, always there), then the
 * character n-grams. A stored example keeps only ids, and this is how it still tells its character
 * n-grams apart (see charGramsStart).
 */
export function featurise(input: SpamInput): Feature[] {
  // The spam score and the abuse features (abuse-features.ts) featurise the same comment one after the
  // other; ~250 µs each for a 500-byte comment. Pure, so the last answer is kept (a copy each time, as
  // callers own the array they get).
  if (last !== null && last.body === input.body && last.url === input.url) return last.features.slice();
  const features = computeFeatures(input);
  last = { body: input.body, url: input.url, features };
  return features.slice();
}

let last: { body: string; url: string | undefined; features: Feature[] } | null = null;

function computeFeatures(input: SpamInput): Feature[] {
  const raw = toPlainText(input.body.slice(0, MAX_CHARS));
  const seen = new Map<number, Feature>();
  const add = (name: string): void => {
    const id = hashFeature(name);
    if (!seen.has(id)) seen.set(id, { id, name });
  };

  const text = normalizeText(raw);
  const words = text === '' ? [] : text.split(' ');
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    add(`w:${w}`);
    if (i + 1 < words.length) add(`b:${w} ${words[i + 1] as string}`);
    if (i + 2 < words.length) add(`t:${w} ${words[i + 1] as string} ${words[i + 2] as string}`);
  }

  const urls = raw.match(urlPattern) ?? [];
  add(`s:links=${Math.min(urls.length, 3)}`);
  for (const u of urls.slice(0, 5)) {
    const host = hostOf(u);
    if (host === null) continue;
    add(`u:${host}`);
    add(`u:.${host.split('.').pop() ?? ''}`);
  }
  // The shape of each number, not its value: a 5-digit short code or an 11-digit phone number
  // recurs across messages that never share the number itself.
  for (const run of (raw.match(/\d+/g) ?? []).slice(0, 10)) {
    add(`n:${Math.min(run.length, 12)}`);
    if (run.length >= 5) add(`n:${run.slice(0, 2)}~${Math.min(run.length, 12)}`);
  }
  if (/(\p{L})\1{3,}/u.test(raw)) add('s:stretched');
  if (emailPattern.test(raw)) add('s:email');
  if (phonePattern.test(raw)) add('s:phone');
  const letters = raw.replace(/[^\p{L}]/gu, '');
  const upper = raw.replace(/[^\p{Lu}]/gu, '');
  if (letters.length >= 8) add(`s:caps=${bucket(upper.length / letters.length, [0.3, 0.6, 0.9])}`);
  const digits = raw.replace(/\D/g, '').length;
  add(`s:digits=${bucket(digits / Math.max(raw.length, 1), [0.02, 0.08, 0.2])}`);
  if (/[!?]{2,}/.test(raw)) add('s:!!');
  if (/\p{Extended_Pictographic}/u.test(raw)) add('s:emoji');
  if (/[£$€]\s?\d|\d\s?[£$€]/u.test(raw)) add('s:money');

  const site = input.url === undefined || input.url === '' ? null : hostOf(input.url);
  if (site !== null) {
    add('s:website');
    add(`u:${site}`);
  }
  // The length, always present, closes the features other than character n-grams (charGramsStart).
  add(`s:words=${bucket(words.length, WORD_BUCKETS)}`);
  // Character 3- and 4-grams of each word: 5-grams of short texts mostly repeat the words themselves
  // (measured: adding them lowered the ranking on comment and SMS corpora).
  for (const w of words) {
    const padded = ` ${w} `;
    for (let n = 3; n <= 4; n++) {
      for (let j = 0; j + n <= padded.length; j++) add(`${CHAR_GRAM}${padded.slice(j, j + n)}`);
    }
  }
  return [...seen.values()];
}

const WORD_BUCKETS = [3, 8, 20, 50, 150] as const;
// The ids `s:words=…` can take: one of them ends the features other than character n-grams.
const lengthIds = new Set(Array.from({ length: WORD_BUCKETS.length + 1 }, (_, i) => hashFeature(`s:words=${i}`)));

/**
 * Where a featurised example's character n-grams begin: right after its length feature. An example
 * learned before character n-grams came last has its length near the end, so all but a few of its
 * features count as words: it is read as it was, only less finely.
 */
export function charGramsStart(ids: readonly number[]): number {
  for (let i = ids.length - 1; i >= 0; i--) if (lengthIds.has(ids[i] as number)) return i + 1;
  return ids.length;
}
