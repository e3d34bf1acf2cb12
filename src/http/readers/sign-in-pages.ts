import { html, layout, markup, type SafeHtml } from '../../html/html.js';
import { directionOf } from '../../i18n/reader-language.js';
import { wordsFor } from '../../i18n/reader-words.js';

/*
 * The readers' sign-in pages on the service's own origin (issue 14): the page behind an email sign-in
 * link, and the OpenID Connect hand-off the popup ends on. Built with the escaping `html` template: the
 * site's name and a reader's name are only ever text.
 */

/** In the reader's language (the one the sign-in was asked in; src/i18n `landing`), right to left for Arabic. */
function page(lang: string, title: string, body: SafeHtml): string {
  return layout(`${title} · Reply Desk`, html`<main class="rd-mail-page">${body}</main>`, lang, directionOf(lang));
}

export function renderSignInMessage(lang: string, title: string, message: string): string {
  return page(lang, title, html`<h1>${title}</h1><p>${message}</p>`);
}

/**
 * What opening a mailed link shows: one button. Mail scanners and link previews fetch every URL in a
 * message; the GET changes nothing, the button's POST spends the link.
 */
export function renderEmailConfirm(q: { token: string; siteName: string; lang: string }): string {
  const w = wordsFor(q.lang).landing;
  return page(
    q.lang,
    w.signInTitle(q.siteName),
    html`<h1>${w.signInTitle(q.siteName)}</h1>
<p>${w.signInText(q.siteName)}</p>
<form method="post" action="/readers/email/confirm">
<input type="hidden" name="t" value="${q.token}">
<button type="submit">${w.signInButton}</button>
</form>`,
  );
}

export function renderEmailSignedIn(siteName: string, lang: string): string {
  const w = wordsFor(lang).landing;
  return renderSignInMessage(lang, w.signedInTitle, w.signedIn(siteName));
}

/** The path of the hand-off page's script (public/reader-hand-off.js), the only script the page may run. */
export const HAND_OFF_SCRIPT = '/assets/reader-hand-off.js';

/** The hand-off page's own CSP: the app's (no script at all), except this one same-origin file. */
export const HAND_OFF_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The page the OpenID Connect popup ends on: it posts `message` to the opener at `targetOrigin` (the
 * host page's origin, one of the site's, stored when the flow started) and closes. The data sits in a
 * JSON script element, which the browser never runs; `<` is escaped so no value can close the element.
 */
export function renderHandOff(q: {
  targetOrigin: string;
  message: Record<string, unknown>;
  title: string;
  text: string;
  /** The page's language (right to left for Arabic). */
  lang: string;
}): string {
  const data = JSON.stringify({ targetOrigin: q.targetOrigin, message: q.message })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return layout(
    `${q.title} · Reply Desk`,
    html`<main class="rd-mail-page"><h1>${q.title}</h1><p>${q.text}</p></main>
<script type="application/json" id="rd-hand-off">${markup(data)}</script>
<script src="${HAND_OFF_SCRIPT}"></script>`,
    q.lang,
    directionOf(q.lang),
  );
}
