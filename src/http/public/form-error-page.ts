import type { FieldError } from '../../errors.js';
import { html, layout } from '../../html/html.js';

/**
 * The page a no-JavaScript reader sees when the form post is refused, in the spirit of WordPress'
 * "Comment Submission Failure": what went wrong, and a way back to the comment they wrote.
 */
export function renderFormErrorPage(message: string, errors: FieldError[], backUrl: string | null): string {
  const list = errors.length > 1 ? html`<ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul>` : html``;
  return layout(
    'Comment Submission Failure',
    html`<main class="rd-error-page">
<h1>Comment Submission Failure</h1>
<p role="alert"><strong>Error:</strong> ${message}</p>
${list}
${
  backUrl === null
    ? html`<p>Use your browser's Back button to return to your comment.</p>`
    : html`<p><a href="${backUrl}">« Back</a> (your browser's Back button keeps what you typed)</p>`
}
</main>`,
  );
}
