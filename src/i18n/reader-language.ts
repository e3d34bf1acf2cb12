/*
 * Which language a reader gets on the pages and in the mails we send them: the page's or form's own
 * `lang` first (the no-JS form carries it in a hidden field, as the widget sends its own; for a mail or
 * a mail link, the language the reader wrote or asked in), then the site's `language` where it sets
 * one, then the browser's Accept-Language, then English. The same twelve languages as the widget (widget/i18n.ts),
 * matched on the primary subtag ("fr-CA" → fr). Pure.
 */

/** The languages of the reader's side, by primary language subtag. */
export const READER_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'ja', 'ar'] as const;
export type ReaderLanguage = (typeof READER_LANGUAGES)[number];

const RIGHT_TO_LEFT = new Set<string>(['ar']);

/** "rtl" for a language written right to left (the page's or mail's dir attribute). */
export const directionOf = (lang: string): 'rtl' | 'ltr' => (RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr');

/** One of ours for a language tag ("de-AT" → de), null for any other (or none). */
export function toReaderLanguage(tag: unknown): ReaderLanguage | null {
  if (typeof tag !== 'string') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (READER_LANGUAGES as readonly string[]).includes(primary) ? (primary as ReaderLanguage) : null;
}

/**
 * The languages of an Accept-Language header that we speak, best first: by q-value, ties in the
 * header's order; q=0 means "not this one". A header that cannot be read counts as none.
 */
export function acceptedLanguages(header: string | undefined): ReaderLanguage[] {
  const ranked = (header ?? '')
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: toReaderLanguage(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r): r is { lang: ReaderLanguage; q: number; index: number } => r.lang !== null && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return [...new Set(ranked.map((r) => r.lang))];
}

/**
 * The reader's language: the page's, form's or stored `lang`, else the site's `language` (a site that
 * names one knows its readers better than a browser's guess; 'auto' names none), else the best of
 * Accept-Language, else English.
 */
export function pickReaderLanguage(input: {
  lang?: unknown;
  acceptLanguage?: string | undefined;
  siteLanguage?: unknown;
}): ReaderLanguage {
  return (
    toReaderLanguage(input.lang) ??
    toReaderLanguage(input.siteLanguage) ??
    acceptedLanguages(input.acceptLanguage)[0] ??
    'en'
  );
}
