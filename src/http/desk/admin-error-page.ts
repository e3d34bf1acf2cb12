import type { FieldError } from '../../errors.js';
import { renderAdminPage } from './admin-layout.js';
import { html } from '../../html/html.js';

/** A dashboard error as a page: what went wrong and a way back. */
export function renderAdminErrorPage(status: number, message: string, errors: FieldError[]): string {
  return renderAdminPage(
    status === 403 ? 'Not allowed' : 'Something went wrong',
    { moderator: null, csrfToken: '', section: 'queue' },
    html`<section class="rd-error-page"><h1>${status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Something went wrong'}</h1>
<p role="alert">${message}</p>
${errors.length > 0 ? html`<ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul>` : ''}
<p><a href="/admin">Back to the queue</a></p></section>`,
  );
}
