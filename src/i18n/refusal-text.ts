import { plural } from './plural.js';
import { wordsFor } from './reader-words.js';

/*
 * Why a comment was refused, in the reader's words: the no-JS error page, the status a widget polls
 * (GET /api/comments/:id) and the no-JS page's "could not be published" list. Refusals are stored in
 * English (the verdict's reasons, which moderators read too); they are translated by code when shown.
 * Pure.
 */

/** A refusal or form failure: its code, the field where there is one, the API's English message. */
export interface Refusal {
  code: string;
  field?: string | undefined;
  message: string;
}

/** The first whole number of an English message ("in 12 seconds", "5 levels"): what plurals are counted by. */
const numberIn = (message: string): number | null => {
  const m = /\d+/.exec(message);
  return m ? Number(m[0]) : null;
};

/** `e` in `lang`, where we have the words; English (and any code we have no words for) keeps the API's message. */
export function refusalText(lang: string, e: Refusal): string {
  // English keeps the API's own messages: they name the field and limit ("The name is too long").
  if (lang === 'en') return e.message;
  const w = wordsFor(lang).page;
  const n = numberIn(e.message);
  if (e.code === 'TOO_FAST' && n !== null) return plural(lang, n, w.tooFast);
  if (e.code === 'TOO_DEEP' && n !== null) return plural(lang, n, w.tooDeep);
  return w.errors[`${e.code}_${e.field ?? ''}`] ?? w.errors[e.code] ?? w.refusals[e.code] ?? e.message;
}
