import type { StaffReplyAnswer } from '../../src/http-contract/desk-contract.js';
import type { DeskPage } from './desk-page';
import { formBody, send } from './server';
import { messageOf, type Say } from './status-line';

/**
 * A card's Reply (form.rd-reply inside details.rd-reply-box): posted for JSON so the moderator stays
 * where they are; the card stays too (the comment replied to has not changed). Without the script the
 * form posts and the queue reloads with a notice. Only our own words go into the page, as text.
 */
export function wireCardReply(deps: { page: DeskPage; say: Say }): void {
  const { page, say } = deps;

  async function post(form: HTMLFormElement): Promise<void> {
    if (form.getAttribute('aria-busy') === 'true') return;
    form.setAttribute('aria-busy', 'true');
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (button) button.disabled = true;
    try {
      const data = await send<StaffReplyAnswer>(page.csrf, form.getAttribute('action') ?? '', formBody(form));
      const text = form.querySelector('textarea');
      if (text) text.value = '';
      form.closest('details')?.removeAttribute('open');
      let done = form.closest('.rd-card')?.querySelector<HTMLElement>('.rd-replied');
      if (!done) {
        done = document.createElement('p');
        done.className = 'rd-replied';
        form.closest('details')?.after(done);
      }
      const who = `${data.author.name}${data.author.staff ? ' (Staff)' : ''}`;
      done.textContent = `Your reply is published as ${who}.`;
      say(`Reply published as ${who}.`);
    } catch (err) {
      say(messageOf(err), 'error');
    } finally {
      form.removeAttribute('aria-busy');
      if (button) button.disabled = false;
    }
  }

  page.list.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains('rd-reply')) return;
    e.preventDefault();
    void post(form);
  });
}
