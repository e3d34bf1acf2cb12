/*
 * Edit and Delete on the reader's own comments, in place, while the site's `editWindowMinutes` runs
 * from the moment each was sent. Whose is whose: a signed-in reader's comments on this page (GET
 * /api/readers/me/comments) and those sent from this browser (sent-comments.ts); a guest's only those
 * with an edit key kept from the 202. The API decides in the end (403 EDIT_WINDOW_CLOSED,
 * NOT_YOUR_COMMENT): the buttons only save a reader a refusal.
 */
import { toApiError, type ApiResult } from '../api';
import type { CommentView } from '../comment-view';
import { h } from '../dom';
import type { ReaderMessages } from './words';
import type { ReaderHost } from '../reader-host';
import { toSafeFragment } from '../safe-html';
import { rememberSent, sentComments, type SentRecord } from '../sent-comments';
import { isObject } from './narrow';

const POLL_MS = 1000;
/** An edit is checked by a worker in a second or two; past this the reader is told to look later. */
const POLL_FOR_MS = 60_000;

export interface Edits {
  decorate(view: CommentView): void;
  /** Fetches which comments are the signed-in reader's, then decorates every comment again. */
  refresh(): Promise<void>;
}

/** The text of rendered HTML, paragraph by paragraph: where no typed text was kept in this browser. */
function textOf(body: HTMLElement): string {
  const blocks = Array.from(body.children);
  return (blocks.length ? blocks.map((b) => b.textContent ?? '') : [body.textContent ?? '']).join('\n\n').trim();
}

export function createEdits(host: ReaderHost, rt: ReaderMessages): Edits {
  const { ctx, thread, pending } = host;
  const { api, site } = ctx;
  const minutes = ctx.info.editWindowMinutes;
  /** The signed-in reader's comments on this page. */
  let mine = new Set<string>();
  /** The buttons of each comment that has them. */
  const shown = new Map<CommentView, HTMLElement>();

  const errorText = (r: ApiResult): string => {
    const e = toApiError(r.body);
    return (e && (rt.errors[e.code] ?? e.errors[0]?.message ?? e.message)) || rt.failed;
  };

  function decorate(view: CommentView): void {
    shown.get(view)?.remove();
    shown.delete(view);
    const id = view.comment.id;
    const sent: SentRecord | undefined = sentComments(site, minutes)[id];
    const signedIn = api.session.get() !== null;
    const own = signedIn ? mine.has(id) || (sent !== undefined && !sent.key) : sent?.key !== undefined;
    // From when it was sent: the thread's time, and this browser's own record of sending it.
    const left = Math.min(Date.parse(view.comment.createdAt), sent?.at ?? Infinity) + minutes * 60_000 - Date.now();
    if (!own || !(left > 0) || !view.li.isConnected) return;
    const box = h(
      'span',
      { class: 'rd-edit-actions' },
      h('button', { type: 'button', class: 'rd-link', onclick: () => edit(view, sent) }, rt.edit),
      h('button', { type: 'button', class: 'rd-link', onclick: () => confirmDelete(view, sent, box) }, rt.delete),
    );
    view.actions.append(box);
    shown.set(view, box);
    // The window closes on its own: the buttons go with it.
    setTimeout(() => box.remove(), Math.min(left, 2 ** 31 - 1));
  }

  function edit(view: CommentView, sent: SentRecord | undefined): void {
    const { body } = view;
    const before = Array.from(body.childNodes);
    const text = h('textarea', { rows: 5, maxlength: 65525, 'aria-label': rt.edit });
    text.value = sent?.body ?? textOf(body);
    const save = h('button', { type: 'button', class: 'rd-submit' }, rt.save);
    const cancel = h('button', { type: 'button', class: 'rd-link' }, rt.cancel);
    const message = h('p', { class: 'rd-form-message', role: 'alert', hidden: true });
    const say = (s: string | null): void => {
      message.textContent = s ?? '';
      message.hidden = s === null;
    };
    const restore = (): void => {
      body.replaceChildren(...before);
      shown.get(view)?.removeAttribute('hidden');
    };
    body.replaceChildren(text, message, h('p', { class: 'rd-submit-row' }, save, ' ', cancel));
    shown.get(view)?.setAttribute('hidden', '');
    text.focus();
    cancel.addEventListener('click', restore);
    save.addEventListener('click', () => {
      save.disabled = true;
      say(rt.saving);
      const typed = text.value;
      void api
        .send('PATCH', `api/comments/${encodeURIComponent(view.comment.id)}`, { body: typed, editKey: sent?.key })
        .then(async (r) => {
          const b = isObject(r.body) ? r.body : {};
          if (r.status === 200 && b.status === 'unchanged') return restore();
          if (r.status !== 202 || typeof b.editId !== 'string') {
            save.disabled = false;
            return say(errorText(r));
          }
          const url = typeof b.statusUrl === 'string' && b.statusUrl.startsWith(api.base) ? b.statusUrl : null;
          const outcome = url ? await waitForEdit(url, b.editId) : null;
          save.disabled = false;
          if (outcome?.status === 'refused') return say(outcome.errors.join(' ') || rt.failed);
          // Applied or held, the new text stands; held, a moderator sees it before the public does.
          if (sent) rememberSent(site, minutes, view.comment.id, { ...sent, body: typed });
          body.replaceChildren(toSafeFragment(outcome?.html ?? ''));
          if (!outcome?.html) body.append(h('p', { class: 'rd-plain' }, typed));
          if (!view.article.querySelector('.rd-edited'))
            view.article.querySelector('.rd-meta')?.append(h('span', { class: 'rd-edited' }, ' · ', ctx.t.edited));
          if (outcome?.status === 'held') body.prepend(h('p', { class: 'rd-note', role: 'status' }, rt.editHeld));
          shown.get(view)?.removeAttribute('hidden');
          ctx.announce(outcome?.status === 'held' ? rt.editHeld : ctx.t.edited);
        });
    });
  }

  /** Polls the comment's status until it tells of this edit: applied, held or refused (null: no word in time). */
  async function waitForEdit(
    url: string,
    editId: string,
  ): Promise<{ status: string; html: string | null; errors: string[] } | null> {
    for (const until = Date.now() + POLL_FOR_MS; Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const r = await api.call(url, { cache: 'no-store' });
      const b = isObject(r.body) ? r.body : {};
      const e = isObject(b.edit) ? b.edit : null;
      if (e?.id === editId && e.status !== 'queued')
        return {
          status: String(e.status),
          html: typeof b.html === 'string' ? b.html : null,
          errors: (Array.isArray(e.errors) ? e.errors : []).filter(isObject).map((x) => String(x.message)),
        };
    }
    return null;
  }

  function confirmDelete(view: CommentView, sent: SentRecord | undefined, buttons: HTMLElement): void {
    const yes = h('button', { type: 'button', class: 'rd-link' }, rt.delete);
    const no = h('button', { type: 'button', class: 'rd-link' }, rt.cancel);
    const box = h('span', { class: 'rd-confirm', role: 'group' }, rt.confirmDelete, ' ', yes, ' ', no);
    buttons.hidden = true;
    buttons.after(box);
    yes.focus();
    no.addEventListener('click', () => {
      box.remove();
      buttons.hidden = false;
    });
    yes.addEventListener('click', () => {
      yes.disabled = true;
      const headers: Record<string, string> = sent?.key ? { 'x-edit-key': sent.key } : {};
      void api.call(`api/comments/${encodeURIComponent(view.comment.id)}`, { method: 'DELETE', headers }).then((r) => {
        if (r.status !== 204) {
          box.replaceChildren(errorText(r), ' ', no);
          return;
        }
        // Replies stay (the API keeps the row as a tombstone), so the comment's place does too.
        view.article.replaceChildren(h('p', { class: 'rd-note', role: 'status' }, rt.deleted));
        shown.delete(view);
        ctx.announce(rt.deleted);
      });
    });
  }

  function decorateAll(): void {
    for (const view of [...thread.views.values(), ...pending.values()]) decorate(view);
  }

  return {
    decorate,
    async refresh() {
      mine = new Set();
      decorateAll();
      if (!api.session.get() || minutes <= 0) return;
      const r = await api.call(`api/readers/me/comments?site=${encodeURIComponent(site)}&limit=100`);
      const list = isObject(r.body) && Array.isArray(r.body.comments) ? r.body.comments.filter(isObject) : [];
      mine = new Set(list.filter((c) => c.page === ctx.page).map((c) => String(c.id)));
      decorateAll();
    },
  };
}
