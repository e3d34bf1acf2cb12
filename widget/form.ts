import type { CommentView } from './comment-view';
import type { WidgetContext } from './context';
import type { FormPart } from './form-part';
import { h } from './dom';
import { loadPart } from './parts';
import { readStored, storageKey, writeStored } from './storage';

/*
 * The "Leave a Reply" form. What a reader sees at once is built here: the heading, the notes, the
 * Write / Preview toggle, the text box and the button. The rest — name, email and website, "save my
 * details", sending and saying what went wrong — is the form's part (form-part.ts), fetched the moment
 * the reader turns to the form (focus in it, a press on it, Reply, a returning commenter's saved
 * details): most readers of a thread never write, so a plain thread does not load it. The text box is
 * the same element before and after, so nothing typed meanwhile is lost.
 */

/** What a 202 gave back, with what the reader sent (shown in place while it waits). */
export interface SentComment {
  id: string;
  statusUrl: string;
  parent: string | null;
  author: string;
  website: string;
  body: string;
  /** A guest's key to edit or delete it (the 202's `editKey`). */
  editKey?: string;
}

export interface ReplyForm {
  el: HTMLElement;
  /** Moves the form under a comment and focuses the text box. */
  replyTo(view: CommentView): void;
  /** Puts the form back at the end of the thread. */
  cancelReply(): void;
  /** Fills the text box (a refused comment, to edit and send again). */
  edit(body: string, parent: CommentView | null): void;
  /** The signed-in reader's line ("Commenting as …", filled by the reader's part). */
  who: HTMLElement;
  /**
   * Shows the form for the session as it is now: signed in, "Commenting as" instead of name, email and
   * website; signed out on a site without guests, only `choices` (the sign-in buttons).
   */
  update(choices: HTMLElement): void;
}

/** What the form's part gets: the elements built here and the form's state. */
export interface FormHost {
  ctx: WidgetContext;
  onSent: (c: SentComment) => void;
  form: HTMLFormElement;
  text: HTMLTextAreaElement;
  /** The text box's error line. */
  textError: HTMLElement;
  /** The paragraph of the button: the part's fields go before it. */
  submitRow: HTMLElement;
  submit: HTMLButtonElement;
  write: HTMLButtonElement;
  preview: HTMLButtonElement;
  draftKey: string;
  /** The comment replied to, if any. */
  parent(): CommentView | null;
  cancelReply(): void;
}

/** The name, email and website a reader chose to keep (WordPress' comment cookies, in localStorage). */
export const IDENTITY_KEY = 'reply-desk:identity';

export function createReplyForm(ctx: WidgetContext, onSent: (c: SentComment) => void): ReplyForm {
  const { t, info, api } = ctx;
  const draftKey = storageKey(ctx, 'draft');
  const title = h('h3', { class: 'rd-form-title', id: 'rd-form-title' }, t.leaveReply);
  const cancel = h(
    'button',
    { type: 'button', class: 'rd-link', hidden: true, onclick: () => cancelReply(true) },
    t.cancelReply,
  );
  const text = h('textarea', { id: 'rd-f-body', name: 'body', rows: 6, maxlength: 65525, 'aria-required': 'true' });
  const textError = h('span', { class: 'rd-field-error', id: 'rd-f-body-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'rd-submit' }, t.post);
  const submitRow = h('p', { class: 'rd-submit-row' }, submit);
  // Write / Preview: the preview's code (widget/preview.ts) is fetched on the first press only.
  const write = h('button', { type: 'button', class: 'rd-link', 'aria-pressed': 'true' }, t.write);
  const preview = h('button', { type: 'button', class: 'rd-link', 'aria-pressed': 'false' }, t.preview);
  const notes = h('p', { class: 'rd-notes' }, h('span', { id: 'rd-email-notes' }, t.notes), ' ', t.requiredNote);
  const who = h('p', { class: 'rd-who' });
  // novalidate: the server is the one judge of the fields (settings can change), and its 422 is shown
  // in place, in the widget's language, instead of the browser's bubbles.
  const form = h(
    'form',
    { class: 'rd-form', novalidate: true, 'aria-labelledby': 'rd-form-title' },
    who,
    notes,
    h('p', { class: 'rd-tabs' }, write, ' ', preview),
    h(
      'p',
      { class: 'rd-field rd-field-body' },
      h('label', { for: 'rd-f-body' }, t.comment, h('span', { class: 'rd-req', 'aria-hidden': 'true' }, ' *')),
      text,
      textError,
    ),
    submitRow,
  );
  const el = h('div', { class: 'rd-respond' }, h('div', { class: 'rd-form-head' }, title, cancel), form);
  let parent: CommentView | null = null;
  let signedIn = false;

  const host: FormHost = {
    ctx,
    onSent,
    form,
    text,
    textError,
    submitRow,
    submit,
    write,
    preview,
    draftKey,
    parent: () => parent,
    cancelReply,
  };
  let part: Promise<FormPart> | undefined;
  const load = (): Promise<FormPart> =>
    (part ??= loadPart<typeof import('./form-part')>('form').then(
      (m) => m.startFormPart(host, signedIn),
      (err: unknown) => {
        // Tried again on the next turn to the form (a flaky network), not given up for the page's life.
        part = undefined;
        throw err;
      },
    ));
  const later = (f: (p: FormPart) => void): void => void load().then(f, () => {});
  form.addEventListener('focusin', () => later(() => {}));
  form.addEventListener('pointerdown', () => later(() => {}));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    later((p) => void p.send());
  });
  preview.addEventListener('click', () => later((p) => p.preview()));
  write.addEventListener('click', () => later((p) => p.write()));

  const draft = readStored<{ body: string }>('session', draftKey);
  if (draft) text.value = draft.body;
  text.addEventListener('input', () => writeStored('session', draftKey, { body: text.value }));
  // A returning commenter's saved name, email and website show at once, as before.
  if (readStored('local', IDENTITY_KEY)) later(() => {});

  function setTitle(): void {
    const name = parent ? parent.comment.author || t.anonymous : null;
    title.textContent = form.hidden ? t.signInToComment : name === null ? t.leaveReply : t.leaveReplyTo(name);
    cancel.hidden = parent === null;
  }

  function replyTo(view: CommentView): void {
    parent = view;
    view.article.after(el);
    setTitle();
    text.focus();
  }

  function cancelReply(focusBack = false): void {
    const was = parent;
    parent = null;
    ctx.root.querySelector('.rd-form-home')?.append(el);
    setTitle();
    if (focusBack) was?.actions.querySelector('button')?.focus();
  }

  return {
    el,
    who,
    update(choices) {
      signedIn = !!api.session.get()?.reader;
      // Filled by the reader's part ("Commenting as …", My account, Sign out), which a signed-in reader has.
      who.hidden = !signedIn;
      // The notes, like name, email, website and "save my details", are a guest's.
      notes.hidden = signedIn;
      // Signed in, the part comes at once (this reader writes, and a sign-out shows a guest's fields again).
      if (signedIn) later((p) => p.update(true));
      else
        void part?.then(
          (p) => p.update(false),
          () => {},
        );
      // Without guests, a signed-out reader sees only how to sign in.
      form.hidden = !signedIn && !info.guests;
      choices.hidden = signedIn;
      el.append(choices);
      setTitle();
    },
    replyTo,
    cancelReply,
    edit(body, to) {
      if (to) replyTo(to);
      text.value = body;
      writeStored('session', draftKey, { body });
      text.focus();
    },
  };
}
