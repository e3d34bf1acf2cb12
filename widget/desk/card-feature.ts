import type { FeatureAnswer } from '../../src/http-contract/desk-contract.js';
import type { DeskPage } from './desk-page';
import { formBody, send } from './server';
import { messageOf, type Say } from './status-line';

/**
 * A card's Feature / Unfeature (form.rd-feature, key f): posted for JSON, and the form turns into its
 * inverse in place, which is the undo (press f again). The card stays: featuring changes no status.
 * Without the script the form posts and the queue reloads with a notice.
 */
export function wireCardFeature(deps: { page: DeskPage; say: Say }): void {
  const { page, say } = deps;

  async function post(form: HTMLFormElement): Promise<void> {
    if (form.getAttribute('aria-busy') === 'true') return;
    form.setAttribute('aria-busy', 'true');
    try {
      const action = form.getAttribute('action') ?? '';
      const data = await send<FeatureAnswer>(page.csrf, action, formBody(form));
      form.setAttribute('action', action.replace(/\/(un)?feature$/, data.featured ? '/unfeature' : '/feature'));
      const button = form.querySelector('button');
      if (button) {
        button.setAttribute('aria-pressed', String(data.featured));
        const label = button.firstChild;
        if (label) label.textContent = data.featured ? 'Unfeature ' : 'Feature ';
      }
      const card = form.closest('.rd-card');
      const mark = card?.querySelector('.rd-featured');
      if (!data.featured) mark?.remove();
      say(
        data.featured
          ? "Added to the editors' picks; press f again to take it out."
          : "Taken out of the editors' picks; press f again to put it back.",
      );
    } catch (err) {
      say(messageOf(err), 'error');
    } finally {
      form.removeAttribute('aria-busy');
    }
  }

  page.list.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('rd-feature')) return;
    e.preventDefault();
    void post(form);
  });
}
