/*
 * Email sign-in: the reader types their address and name, the API mails a link (POST
 * /api/readers/email), and this page polls (POST /api/readers/email/poll) until the link is opened —
 * in any browser, on any device — and the token arrives. It stops when the link expires (15 minutes),
 * when the reader cancels, or when they are signed in another way.
 */
import { toApiError } from '../api';
import { h } from '../dom';
import type { ReaderMessages } from './words';
import type { ReaderHost } from '../reader-host';
import { isObject, toSession } from './narrow';

const POLL_MS = 3000;
/** The link's life; the API's `expiresAt` says the same, this is the net. */
const GIVE_UP_MS = 15 * 60_000;

export interface EmailSignIn {
  open(): void;
  close(): void;
}

export function createEmailSignIn(
  host: ReaderHost,
  rt: ReaderMessages,
  say: (text: string | null) => void,
): EmailSignIn {
  const { ctx, choices } = host;
  const { api } = ctx;
  // Made on the first "Sign in with email": until then nobody needs it (nor a second form in the widget).
  const box = h('form', { class: 'rd-form rd-email-sign-in', novalidate: true, hidden: true });
  const field = (label: string, type: string, autocomplete: string, max: number): HTMLInputElement => {
    const input = h('input', { type, autocomplete, maxlength: max, required: true });
    box.append(h('p', { class: 'rd-field' }, h('label', null, label, input)));
    return input;
  };
  const email = field(rt.emailAddress, 'email', 'email', 100);
  const name = field(rt.yourName, 'text', 'name', 100);
  const send = h('button', { type: 'submit', class: 'rd-submit' }, rt.sendLink);
  const cancel = h('button', { type: 'button', class: 'rd-link', onclick: () => close() }, rt.cancel);
  box.append(h('p', { class: 'rd-submit-row' }, send, ' ', cancel));
  const waiting = h('p', { class: 'rd-note', role: 'status', hidden: true });
  const stop = h('button', { type: 'button', class: 'rd-link', onclick: () => close() }, rt.cancel);
  /** Bumped by every open and close: a poll of an earlier request stops by itself. */
  let round = 0;

  function close(): void {
    round++;
    box.hidden = true;
    waiting.hidden = true;
  }

  async function poll(request: string, mine: number, until: number): Promise<void> {
    while (mine === round) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (mine !== round || api.session.get()) return;
      if (Date.now() > until) break;
      const r = await api.send('POST', 'api/readers/email/poll', { site: ctx.site, request });
      if (mine !== round) return;
      const s = r.status === 200 ? toSession(r.body) : null;
      if (s) {
        close();
        api.session.set(s);
        return;
      }
      if (r.status === 410) break;
      // 202 pending; anything else (offline, a 503) is tried again on the next round.
    }
    if (mine === round) {
      close();
      say(rt.linkExpired);
    }
  }

  box.addEventListener('submit', (e) => {
    e.preventDefault();
    send.disabled = true;
    say(null);
    const mine = round;
    void api
      .send('POST', 'api/readers/email', { site: ctx.site, email: email.value, name: name.value, lang: ctx.lang })
      .then((r) => {
        send.disabled = false;
        if (mine !== round) return;
        const b = isObject(r.body) ? r.body : {};
        if (r.status !== 202 || typeof b.request !== 'string') {
          const error = toApiError(r.body);
          return say((error && rt.errors[error.code]) || error?.message || rt.failed);
        }
        box.hidden = true;
        waiting.hidden = false;
        waiting.textContent = rt.checkMail(email.value);
        waiting.append(' ', stop);
        const until = Math.min(Date.now() + GIVE_UP_MS, Date.parse(String(b.expiresAt)) || Infinity);
        void poll(b.request, mine, until);
      });
  });

  return {
    open() {
      close();
      if (!box.isConnected) choices.append(box, waiting);
      box.hidden = false;
      email.focus();
    },
    close,
  };
}
