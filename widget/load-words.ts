/*
 * Each part of the widget (embed.js, the conversation part, the reader's part) carries its English
 * words in its own bundle and every other language in a file of its own, imported on demand: a reader
 * downloads their language only. A language file that does not load (a network failure, an old build
 * pruned) falls back to English rather than leaving the widget without words.
 */

/** A part's words in one language, as a language file exports them. */
export interface WordsModule<T> {
  words: T;
}

/** The part's words in `lang`: English at once, any other language from its file, else English. */
export function loadWords<T>(
  lang: string,
  en: T,
  loaders: Partial<Record<string, () => Promise<WordsModule<T>>>>,
): Promise<T> {
  const load = loaders[lang];
  if (!load) return Promise.resolve(en);
  return load().then(
    (m) => m.words,
    () => en,
  );
}
