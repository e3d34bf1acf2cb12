import { toApiError } from './api';
import type { CommentView } from './comment-view';
import type { WidgetContext } from './context';
import { h, randomId } from './dom';
import { plural } from './plural';
import { loadPart } from './parts';
import { readStored, storageKey, writeStored } from './storage';
import type { FieldError } from './types';

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

/** The name, email and website a reader chose to keep (WordPress' comment cookies, in localStorage). */
interface Identity {
  author: string;
  email: string;
  url: string;
}

const IDENTITY_KEY = 'reply-desk:identity';
/** The API's field names, as the inputs are named, in the order errors are focused. */
const FIELDS = ['body', 'author', 'email', 'url'] as const;
type Field = (typeof FIELDS)[number];

export function createReplyForm(ctx: WidgetContext, onSent: (c: SentComment) => void): ReplyForm {
  const { t, info, api } = ctx;
  const draftKey = storageKey(ctx, 'draft');
  const star = (): HTMLElement => h('span', { class: 'rd-req', 'aria-hidden': 'true' }, ' *');
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  const fieldErrors = {} as Record<Field, HTMLElement>;

  function field(
    name: Field,
    label: string,
    required: boolean,
    control: HTMLInputElement | HTMLTextAreaElement,
  ): HTMLElement {
    const id = `rd-f-${name}`;
    control.id = id;
    control.name = name;
    if (required) control.setAttribute('aria-required', 'true');
    inputs[name] = control;
    fieldErrors[name] = h('span', { class: 'rd-field-error', id: `${id}-error`, hidden: true });
    return h(
      'p',
      { class: `rd-field rd-field-${name}` },
      h('label', { for: id }, label, required && star()),
      control,
      fieldErrors[name],
    );
  }
  const input = (type: string, max: number, autocomplete: string): HTMLInputElement =>
    h('input', { type, maxlength: max, autocomplete, spellcheck: type === 'text' ? null : 'false' });

  const title = h('h3', { class: 'rd-form-title', id: 'rd-form-title' }, t.leaveReply);
  const cancel = h(
    'button',
    { type: 'button', class: 'rd-link', hidden: true, onclick: () => cancelReply(true) },
    t.cancelReply,
  );
  const save = h('input', { type: 'checkbox', id: 'rd-f-save' });
  const notify = h('input', { type: 'checkbox', id: 'rd-f-notify' });
  const submit = h('button', { type: 'submit', class: 'rd-submit' }, t.post);
  // Write / Preview: the preview's code (widget/preview.ts) is fetched on the first press only.
  const pane = h('div', { class: 'rd-preview', hidden: true, 'aria-live': 'polite' });
  const writeTab = h('button', { type: 'button', class: 'rd-link', 'aria-pressed': 'true' }, t.write);
  const previewTab = h('button', { type: 'button', class: 'rd-link', 'aria-pressed': 'false' }, t.preview);
  const tabs = h('p', { class: 'rd-tabs' }, writeTab, ' ', previewTab);
  const parts = () => ({
    text: inputs.body as HTMLTextAreaElement,
    write: writeTab,
    preview: previewTab,
    pane,
  });
  const preview = () => loadPart<typeof import('./preview')>('preview');
  previewTab.addEventListener('click', () => void preview().then((m) => m.showPreview(ctx, parts())));
  writeTab.addEventListener('click', () => {
    if (!pane.hidden) void preview().then((m) => m.showWrite(parts()));
  });
  const message = h('p', { class: 'rd-form-message', role: 'alert', hidden: true });
  // The honeypot: a field no person sees or reaches (off-screen, out of the tab order, hidden from
  // screen readers, never autofilled) and bots that fill every input do. Sent as `honeypot`.
  const trap = h('input', { type: 'text', name: 'homepage', tabindex: -1, autocomplete: 'off', 'aria-hidden': 'true' });
  // novalidate: the server is the one judge of the fields (settings can change), and its 422 is shown
  // in place, in the widget's language, instead of the browser's bubbles.
  const form = h(
    'form',
    { class: 'rd-form', novalidate: true, 'aria-labelledby': 'rd-form-title' },
    h('p', { class: 'rd-notes' }, h('span', { id: 'rd-email-notes' }, t.notes), ' ', t.requiredNote),
    tabs,
    field('body', t.comment, true, h('textarea', { rows: 6, maxlength: 65525 })),
    pane,
    field('author', t.name, info.requireName, input('text', 245, 'name')),
    field('email', t.email, info.requireEmail, input('email', 100, 'email')),
    field('url', t.website, false, input('url', 200, 'url')),
    h('p', { class: 'rd-save' }, save, h('label', { for: 'rd-f-save' }, t.save)),
    info.replyMail ? h('p', { class: 'rd-save' }, notify, h('label', { for: 'rd-f-notify' }, t.notify)) : null,
    h('p', { class: 'rd-hp', 'aria-hidden': 'true' }, trap),
    message,
    h('p', { class: 'rd-submit-row' }, submit),
  );
  inputs.email.setAttribute('aria-describedby', 'rd-email-notes');
  const who = h('p', { class: 'rd-who' });
  form.prepend(who);
  const el = h('div', { class: 'rd-respond' }, h('div', { class: 'rd-form-head' }, title, cancel), form);

  function update(choices: HTMLElement): void {
    const reader = api.session.get()?.reader;
    // Filled by the reader's part ("Commenting as …", My account, Sign out), which a signed-in reader has.
    who.hidden = !reader;
    // Name, email, website and "save my details" are a guest's; a signed-in reader's come from their identity.
    for (const p of Array.from(
      form.querySelectorAll<HTMLElement>('.rd-notes,.rd-field-author,.rd-field-email,.rd-field-url,.rd-save'),
    ))
      p.hidden = !!reader;
    // Without guests, a signed-out reader sees only how to sign in.
    form.hidden = !reader && !info.guests;
    choices.hidden = !!reader;
    el.append(choices);
    setTitle();
  }

  let parent: CommentView | null = null;
  let busy = false;
  // One idempotency key per comment: a double click, or a retry after a 503 or a lost answer, sends the
  // same key, so the API gives the same id and stores one comment. Edited text is a new comment.
  let attempt: { fingerprint: string; key: string } | null = null;

  const saved = readStored<Identity>('local', IDENTITY_KEY);
  if (saved) {
    inputs.author.value = saved.author;
    inputs.email.value = saved.email;
    inputs.url.value = saved.url;
    save.checked = true;
  }
  const draft = readStored<{ body: string }>('session', draftKey);
  if (draft) inputs.body.value = draft.body;
  inputs.body.addEventListener('input', () => writeStored('session', draftKey, { body: inputs.body.value }));

  function showMessage(text: string | null): void {
    message.textContent = text ?? '';
    message.hidden = text === null;
  }

  function showErrors(errors: FieldError[]): void {
    for (const name of FIELDS) {
      const found = errors.find((e) => e.field === name);
      const control = inputs[name];
      const box = fieldErrors[name];
      box.hidden = !found;
      box.textContent = found ? (t.errors[`${found.code}_${name}`] ?? t.errors[found.code] ?? found.message) : '';
      if (found) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      const described = [name === 'email' && 'rd-email-notes', found && box.id].filter(Boolean).join(' ');
      if (described) control.setAttribute('aria-describedby', described);
      else control.removeAttribute('aria-describedby');
    }
    const first = FIELDS.find((n) => errors.some((e) => e.field === n));
    if (first) inputs[first].focus();
    // Problems with no field of the form (a parent no longer there, the page id) are said in words.
    const other = errors.filter((e) => !(FIELDS as readonly string[]).includes(e.field));
    showMessage(other.length ? other.map((e) => e.message).join(' ') : first ? t.fixFields : null);
  }

  function setTitle(): void {
    const name = parent ? parent.comment.author || t.anonymous : null;
    title.textContent = form.hidden ? t.signInToComment : name === null ? t.leaveReply : t.leaveReplyTo(name);
    cancel.hidden = parent === null;
  }

  function replyTo(view: CommentView): void {
    parent = view;
    view.article.after(el);
    setTitle();
    inputs.body.focus();
  }

  function cancelReply(focusBack = false): void {
    const was = parent;
    parent = null;
    ctx.root.querySelector('.rd-form-home')?.append(el);
    setTitle();
    if (focusBack) was?.actions.querySelector('button')?.focus();
  }

  async function send(e: Event): Promise<void> {
    e.preventDefault();
    if (busy) return;
    const reader = api.session.get()?.reader;
    const payload: Record<string, string | null> = {
      site: ctx.site,
      page: ctx.page,
      pageUrl: ctx.pageUrl,
      pageTitle: document.title.slice(0, 200) || null,
      parent: parent?.comment.id ?? null,
      body: inputs.body.value,
      // Signed in, the API takes the name from the identity and ignores these; the name is for our preview.
      author: reader ? reader.name : inputs.author.value,
      email: reader ? '' : inputs.email.value,
      url: reader ? '' : inputs.url.value,
    };
    const fingerprint = JSON.stringify(payload);
    if (attempt?.fingerprint !== fingerprint) attempt = { fingerprint, key: randomId() };
    busy = true;
    submit.disabled = true;
    form.setAttribute('aria-busy', 'true');
    showMessage(null);
    ctx.announce(t.sending);
    const r = await api.submit({
      ...payload,
      key: attempt.key,
      formToken: info.formToken || null,
      honeypot: trap.value,
      lang: ctx.lang,
      notifyReplies: !reader && info.replyMail && notify.checked,
    });
    busy = false;
    submit.disabled = false;
    form.removeAttribute('aria-busy');
    const ok =
      r.status === 202 && typeof r.body === 'object' && r.body !== null
        ? (r.body as { id?: unknown; statusUrl?: unknown; formToken?: unknown; editKey?: unknown })
        : null;
    if (ok && typeof ok.id === 'string') {
      // A token is good for one comment: the next one from this form goes with the fresh token the 202 brought.
      if (typeof ok.formToken === 'string') info.formToken = ok.formToken;
      showErrors([]);
      attempt = null;
      if (!reader)
        writeStored(
          'local',
          IDENTITY_KEY,
          save.checked ? { author: payload.author, email: payload.email, url: payload.url } : null,
        );
      writeStored('session', draftKey, null);
      inputs.body.value = '';
      // Sent from the preview: the next comment starts in the text box again.
      pane.hidden = true;
      inputs.body.hidden = false;
      writeTab.setAttribute('aria-pressed', 'true');
      previewTab.setAttribute('aria-pressed', 'false');
      const statusUrl =
        typeof ok.statusUrl === 'string' && ok.statusUrl.startsWith(api.base) ? ok.statusUrl : `api/comments/${ok.id}`;
      const sentParent = payload.parent ?? null;
      cancelReply();
      onSent({
        id: ok.id,
        statusUrl,
        parent: sentParent,
        author: payload.author ?? '',
        website: payload.url ?? '',
        body: payload.body ?? '',
        editKey: typeof ok.editKey === 'string' ? ok.editKey : undefined,
      });
      return;
    }
    const error = toApiError(r.body);
    if (r.status === 422 && error) {
      showErrors(error.errors);
    } else if (r.status === 429) {
      // Over a rate limit: the reader, not the service, is too fast; Retry-After says for how long.
      showMessage(r.retryAfter === null ? t.tooQuicklyMinute : plural(ctx.lang, r.retryAfter, t.tooQuickly));
    } else if (r.status === 503) {
      showMessage(r.retryAfter ? plural(ctx.lang, r.retryAfter, t.retryIn) : t.retrySoon);
    } else if (r.status === 0) {
      showMessage(t.offline);
    } else if (r.status === 401) {
      // Signed out meanwhile (elsewhere, or the session ended): the form now offers signing in again.
      showMessage(t.signedOut);
    } else {
      showMessage(error?.code === 'ORIGIN_NOT_ALLOWED' ? t.notAllowed : error?.message || t.failed);
    }
    ctx.announce('');
  }
  form.addEventListener('submit', (e) => void send(e));

  return {
    el,
    who,
    update,
    replyTo,
    cancelReply,
    edit(body, to) {
      if (to) replyTo(to);
      inputs.body.value = body;
      writeStored('session', draftKey, { body });
      inputs.body.focus();
    },
  };
}
