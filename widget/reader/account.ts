/*
 * "My account" for a signed-in reader: their comments on this site (GET /api/readers/me/comments),
 * reply mails on or off for all (PATCH /api/readers/me) or per comment, a download of all we keep
 * about them, erasure, and signing out here or everywhere. The panel opens under the "Commenting as"
 * line; everything in it is built with DOM calls, the comments' HTML through safe-html.
 */
import { isObject } from './narrow';
import { h } from '../dom';
import type { ReaderMessages } from './words';
import type { ReaderHost } from '../reader-host';
import { toSafeFragment } from '../safe-html';
import { timeElement } from '../comment-view';

export interface AccountPanel {
  /** "My account" and "Sign out", for the "Commenting as" line. */
  buttons: HTMLElement;
  /** The session changed: a signed-out reader's panel closes. */
  refresh(): void;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function createAccountPanel(
  host: ReaderHost,
  rt: ReaderMessages,
  signOut: (everywhere?: boolean) => Promise<void>,
): AccountPanel {
  const { ctx, form } = host;
  const { api } = ctx;
  const site = encodeURIComponent(ctx.site);
  const toggle = h('button', { type: 'button', class: 'rd-link', 'aria-expanded': 'false' }, rt.myAccount);
  const buttons = h(
    'span',
    { class: 'rd-account-buttons' },
    toggle,
    h('button', { type: 'button', class: 'rd-link', onclick: () => void signOut() }, rt.signOut),
  );
  const panel = h('section', { class: 'rd-account', 'aria-label': rt.myAccount, hidden: true });
  const message = h('p', { class: 'rd-form-message', role: 'status', hidden: true });
  const say = (text: string | null): void => {
    message.textContent = text ?? '';
    message.hidden = text === null;
  };

  function checkbox(label: string, checked: boolean, change: (on: boolean) => Promise<boolean>): HTMLElement {
    const box = h('input', { type: 'checkbox' });
    box.checked = checked;
    box.addEventListener('change', () => {
      const on = box.checked;
      box.disabled = true;
      void change(on).then((ok) => {
        box.disabled = false;
        if (!ok) {
          box.checked = !on;
          say(rt.failed);
        }
      });
    });
    return h('label', { class: 'rd-save' }, box, ' ', label);
  }

  const list = h('ul', { class: 'rd-my-comments' });
  const more = h('button', { type: 'button', class: 'rd-more', hidden: true }, rt.loadMore);
  let cursor: string | null = null;

  async function loadComments(): Promise<void> {
    more.hidden = true;
    const r = await api.call(`api/readers/me/comments?site=${site}&limit=20${cursor ? `&cursor=${cursor}` : ''}`);
    if (r.status !== 200 || !isObject(r.body)) return say(rt.failed);
    const comments = Array.isArray(r.body.comments) ? r.body.comments.filter(isObject) : [];
    for (const c of comments) {
      const id = str(c.id);
      const status = str(c.status) as keyof ReaderMessages['status'];
      const url = str(c.pageUrl);
      const where = str(c.pageTitle) || url || str(c.page);
      list.append(
        h(
          'li',
          null,
          h(
            'p',
            { class: 'rd-meta' },
            /^https?:/.test(url) ? h('a', { href: `${url}#comment-${id}` }, where) : where,
            ' · ',
            timeElement(ctx, str(c.createdAt)),
            ' · ',
            rt.status[status] ?? status,
          ),
          h('div', { class: 'rd-body' }, toSafeFragment(str(c.html))),
          status !== 'deleted' && api.session.get()?.reader.email
            ? checkbox(rt.replyMailsOne, c.notifyReplies === true, async (on) => {
                const res = await api.send('PATCH', `api/readers/me/comments/${encodeURIComponent(id)}`, {
                  site: ctx.site,
                  notifyReplies: on,
                });
                return res.status === 200;
              })
            : null,
        ),
      );
    }
    if (!list.childElementCount) list.append(h('li', null, rt.noComments));
    cursor = typeof r.body.nextCursor === 'string' ? encodeURIComponent(r.body.nextCursor) : null;
    more.hidden = cursor === null;
  }
  more.addEventListener('click', () => void loadComments());

  async function download(): Promise<void> {
    const r = await api.call(`api/readers/me/export?site=${site}`);
    if (r.status !== 200) return say(rt.failed);
    // The export needs the bearer token, so it cannot be a plain link: it is saved from memory.
    const a = h('a', {
      href: URL.createObjectURL(new Blob([JSON.stringify(r.body, null, 2)], { type: 'application/json' })),
      download: `reply-desk-${ctx.site}-my-data.json`,
    });
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  function confirmErase(): void {
    const yes = h('button', { type: 'button', class: 'rd-submit' }, rt.erase);
    const no = h('button', { type: 'button', class: 'rd-link' }, rt.cancel);
    const box = h(
      'p',
      { class: 'rd-confirm', role: 'alertdialog', 'aria-label': rt.erase },
      rt.confirmErase,
      ' ',
      yes,
      ' ',
      no,
    );
    no.addEventListener('click', () => box.remove());
    yes.addEventListener('click', () => {
      yes.disabled = true;
      void api.call(`api/readers/me?site=${site}`, { method: 'DELETE' }).then((r) => {
        box.remove();
        if (r.status !== 200) return say(rt.failed);
        api.session.set(null);
        // The form's line is gone with the session: the outcome is said where the form is.
        form.el.prepend(h('p', { class: 'rd-note rd-note-published', role: 'status' }, rt.erased));
      });
    });
    panel.append(box);
    yes.focus();
  }

  function open(on: boolean): void {
    panel.hidden = !on;
    toggle.setAttribute('aria-expanded', String(on));
    if (!on) return;
    const reader = api.session.get()?.reader;
    if (!reader) return;
    cursor = null;
    list.replaceChildren();
    say(null);
    panel.replaceChildren();
    panel.append(
      h('h3', { class: 'rd-form-title' }, rt.myAccount),
      reader.email
        ? checkbox(rt.replyMails, reader.notifyReplies, async (on) => {
            const r = await api.send('PATCH', 'api/readers/me', { site: ctx.site, notifyReplies: on });
            if (r.status !== 200) return false;
            const s = api.session.get();
            // Kept in the stored session too, so the panel says the same after a reload.
            if (s) api.session.set({ ...s, reader: { ...s.reader, notifyReplies: on } });
            return true;
          })
        : '',
      h('h4', null, rt.myComments),
      list,
      more,
      message,
      h(
        'p',
        { class: 'rd-account-actions' },
        h('button', { type: 'button', class: 'rd-link', onclick: () => void download() }, rt.download),
        h('button', { type: 'button', class: 'rd-link', onclick: () => void signOut(true) }, rt.signOutEverywhere),
        h('button', { type: 'button', class: 'rd-link', onclick: confirmErase }, rt.erase),
      ),
    );
    void loadComments();
  }
  toggle.addEventListener('click', () => open(panel.hidden));

  return {
    buttons,
    refresh() {
      form.el.querySelector('form')?.before(panel);
      if (!api.session.get()) open(false);
    },
  };
}
