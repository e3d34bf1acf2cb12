import type { FieldError } from '../../errors.js';
import { html, layout } from '../../html/html.js';
import { plural } from '../../i18n/plural.js';
import { directionOf } from '../../i18n/reader-language.js';
import { refusalText } from '../../i18n/refusal-text.js';
import { wordsFor } from '../../i18n/reader-words.js';

/** The refused post, as the error handler knows it. */
export interface FormFailure {
  code: string;
  field?: string | undefined;
  message: string;
  fieldErrors: FieldError[];
  retryAfter?: number | undefined;
}

/**
 * The page a no-JavaScript reader sees when the form post is refused, in the spirit of WordPress'
 * "Comment Submission Failure": what went wrong, and a way back to the comment they wrote, in the
 * reader's language (the form's hidden lang field, else Accept-Language).
 */
export function renderFormErrorPage(failure: FormFailure, backUrl: string | null, lang = 'en'): string {
  const w = wordsFor(lang).page;
  const message =
    failure.code === 'RATE_LIMITED' && failure.retryAfter !== undefined && lang !== 'en'
      ? plural(lang, failure.retryAfter, w.rateLimited)
      : refusalText(lang, failure);
  const errors = failure.fieldErrors;
  const list = errors.length > 1 ? html`<ul>${errors.map((e) => html`<li>${refusalText(lang, e)}</li>`)}</ul>` : html``;
  return layout(
    w.errorTitle,
    html`<main class="rd-error-page">
<h1>${w.errorTitle}</h1>
<p role="alert"><strong>${w.errorLabel}</strong> ${message}</p>
${list}
${backUrl === null ? html`<p>${w.useBack}</p>` : html`<p><a href="${backUrl}">${w.back}</a> ${w.backKeeps}</p>`}
</main>`,
    lang,
    directionOf(lang),
  );
}
