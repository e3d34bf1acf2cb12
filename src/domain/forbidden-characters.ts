/*
 * Characters no stored text may hold, in one place for intake, public reads and imports. Postgres
 * refuses NUL in text outright, and a statement that carries one fails with every row batched with it;
 * the other C0 and C1 controls and DEL have no business in a name, an address, a key or a title (a
 * line break in a title would reach mail headers). With the u flag, [\uD800-\uDFFF] matches only
 * unpaired surrogates, which are not Unicode text (JSON can spell them: "\ud800").
 */

/** Forbidden in a one-line value: names, emails, websites, keys, titles, identifiers, query values. */
export const LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]|[\uD800-\uDFFF]/u;

/** Forbidden in a comment's text, which may hold tabs and line breaks. */
export const TEXT_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\uD800-\uDFFF]/u;
