/*
 * The form's part, fetched when a reader turns to the form (form.ts says when): name, email and website,
 * "save my details" and reply mails, the honeypot, the preview toggle's work, and sending — with the
 * idempotency key, the API's field errors on their fields, and the busy, too-quick and offline answers.
 */
import { toApiError } from './api';
import { adoptStyles, h, randomId } from './dom';
import { IDENTITY_KEY, type FormHost } from './form';
import { loadPart } from './parts';
import { plural } from './plural';
import type { PreviewParts } from './preview';
import { readStored, writeStored } from './storage';
import type { FieldError } from './types';
import css from './form-part.css';
import { withMore } from './more-words';

/** What form.ts calls once the part is in. */
export interface FormPart {
  send(): Promise<void>;
  /** Signed in or out: a guest's fields show or hide. */
  update(signedIn: boolean): void;
  preview(): void;
  write(): void;
}

/** The name, email and website a reader chose to keep. */
interface Identity {
  author: string;
  email: string;
  url: string;
}

/** The API's field names, as the inputs are named, in the order errors are focused. */
const FIELDS = ['body', 'author', 'email', 'url'] as const;
type Field = (typeof FIELDS)[number];

export function startFormPart(host: FormHost, signedIn: boolean): FormPart {
  const { ctx, form, text, submit } = host;
  const { info, api } = ctx;
  const t = withMore(ctx.t);
  adoptStyles(ctx.root, css);
  const inputs: Record<Field, HTMLInputElement | HTMLTextAreaElement> = {
    body: text,
    author: input('text', 245, 'name'),
    email: input('email', 100, 'email'),
    url: input('url', 200, 'url'),
  };
  const fieldErrors = { body: host.textError } as Record<Field, HTMLElement>;

  function input(type: string, max: number, autocomplete: string): HTMLInputElement {
    return h('input', { type, maxlength: max, autocomplete, spellcheck: type === 'text' ? null : 'false' });
  }
  function field(name: Exclude<Field, 'body'>, label: string, required: boolean): HTMLElement {
    const id = `rd-f-${name}`;
    const control = inputs[name];
    control.id = id;
    control.name = name;
    if (required) control.setAttribute('aria-required', 'true');
    fieldErrors[name] = h('span', { class: 'rd-field-error', id: `${id}-error`, hidden: true });
    return h(
      'p',
      { class: `rd-field rd-field-${name}` },
      h('label', { for: id }, label, required && h('span', { class: 'rd-req', 'aria-hidden': 'true' }, ' *')),
      control,
      fieldErrors[name],
    );
  }

  const save = h('input', { type: 'checkbox', id: 'rd-f-save' });
  const notify = h('input', { type: 'checkbox', id: 'rd-f-notify' });
  const pane = h('div', { class: 'rd-preview', hidden: true, 'aria-live': 'polite' });
  const message = h('p', { class: 'rd-form-message', role: 'alert', hidden: true });
  // The honeypot: a field no person sees or reaches (off-screen, out of the tab order, hidden from
  // screen readers, never autofilled) and bots that fill every input do. Sent as `honeypot`.
  const trap = h('input', { type: 'text', name: 'homepage', tabindex: -1, autocomplete: 'off', 'aria-hidden': 'true' });
  const guest = [
    field('author', t.name, info.requireName),
    field('email', t.email, info.requireEmail),
    field('url', t.website, false),
    h('p', { class: 'rd-save' }, save, h('label', { for: 'rd-f-save' }, t.save)),
  ];
  if (info.replyMail) guest.push(h('p', { class: 'rd-save' }, notify, h('label', { for: 'rd-f-notify' }, t.notify)));
  text.parentElement?.after(pane);
  host.submitRow.before(...guest, h('p', { class: 'rd-hp', 'aria-hidden': 'true' }, trap), message);
  inputs.email.setAttribute('aria-describedby', 'rd-email-notes');
  // Name, email, website, "save my details" and reply mails are a guest's; a signed-in reader's come from their identity.
  const update = (signed: boolean): void => guest.forEach((p) => (p.hidden = signed));
  update(signedIn);

  const saved = readStored<Identity>('local', IDENTITY_KEY);
  if (saved) {
    inputs.author.value = saved.author;
    inputs.email.value = saved.email;
    inputs.url.value = saved.url;
    save.checked = true;
  }

  const previewParts = (): PreviewParts => ({ text, write: host.write, preview: host.preview, pane });
  const previewPart = () => loadPart<typeof import('./preview')>('preview');

  let busy = false;
  // One idempotency key per comment: a double click, or a retry after a 503 or a lost answer, sends the
  // same key, so the API gives the same id and stores one comment. Edited text is a new comment.
  let attempt: { fingerprint: string; key: string } | null = null;

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

  async function send(): Promise<void> {
    if (busy) return;
    const reader = api.session.get()?.reader;
    const payload: Record<string, string | null> = {
      site: ctx.site,
      page: ctx.page,
      pageUrl: ctx.pageUrl,
      pageTitle: document.title.slice(0, 200) || null,
      parent: host.parent()?.comment.id ?? null,
      body: text.value,
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
    const r = await api.send('POST', 'api/comments', {
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
      writeStored('session', host.draftKey, null);
      text.value = '';
      // Sent from the preview: the next comment starts in the text box again.
      pane.hidden = true;
      text.hidden = false;
      host.write.setAttribute('aria-pressed', 'true');
      host.preview.setAttribute('aria-pressed', 'false');
      const statusUrl =
        typeof ok.statusUrl === 'string' && ok.statusUrl.startsWith(api.base) ? ok.statusUrl : `api/comments/${ok.id}`;
      const sentParent = payload.parent ?? null;
      host.cancelReply();
      host.onSent({
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

  return {
    send,
    update,
    preview: () => void previewPart().then((m) => m.showPreview(ctx, previewParts())),
    write() {
      if (!pane.hidden) void previewPart().then((m) => m.showWrite(previewParts()));
    },
  };
}
