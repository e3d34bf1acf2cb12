/*
 * The reader's part of the widget: a second bundle (reader.<hash>.js), imported by embed.js only when
 * somebody needs it (reader-host.ts says when). It signs readers in (the host's SSO token, a mailed
 * link, an OpenID Connect popup), shows "My account" and Sign out, and lets authors edit and delete
 * their own comments in place.
 */
import { toApiError } from '../api';
import { adoptStyles, h } from '../dom';
import type { ReaderHost, ReaderPart } from '../reader-host';
import { rememberSent } from '../sent-comments';
import { createAccountPanel } from './account';
import { createEdits } from './edits';
import { createEmailSignIn } from './email-sign-in';
import { openFlagReasons } from './flag';
import { toSession } from './narrow';
import { loadReaderMessages } from './words';
import formCss from '../form-part.css';
import notesCss from '../notes.css';
import { startWarnings } from './warnings';
import css from './reader.css';

/** The `sub` of a host's SSO token, read without checking it (the API checks it): "is this still the same user?". */
function subOf(token: string): string | undefined {
  try {
    const part = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Starts the reader's part once its words are in (English, or the reader's language from its own file). */
export async function startReader(host: ReaderHost): Promise<ReaderPart> {
  const { ctx, form, choices, data } = host;
  const { api } = ctx;
  const { session } = api;
  const rt = await loadReaderMessages(ctx.lang);
  // The form part's and the notes' styles too: the email sign-in and account panels use its fields and
  // messages, an edit or deletion says so in a note.
  adoptStyles(ctx.root, formCss + notesCss + css);

  /** What went wrong with signing in, said under the choices (only ever as text). */
  const problem = h('p', { class: 'rd-form-message', role: 'alert', hidden: true });
  choices.append(problem);
  const say = (text: string | null): void => {
    problem.textContent = text ?? '';
    problem.hidden = text === null;
  };

  async function signOut(everywhere = false): Promise<void> {
    const s = session.get();
    if (!s) return;
    // Ended with us first: a reader who signs out expects the token to stop working, not just vanish here.
    await api.call(`api/readers/session?site=${encodeURIComponent(ctx.site)}${everywhere ? '&everywhere=true' : ''}`, {
      method: 'DELETE',
    });
    session.set(null);
    if (s.reader.via === 'sso' && data.ssoLogout) location.href = data.ssoLogout;
  }

  const edits = createEdits(host, rt);
  const account = createAccountPanel(host, rt, signOut);
  const email = createEmailSignIn(host, rt, say);

  // The OpenID Connect popup hands the token over by postMessage. Only a message from the API's own
  // origin, from the popup this widget opened, of the right shape and for this site is believed: any
  // page can post to this window.
  const apiOrigin = new URL(api.base).origin;
  let popup: Window | null = null;
  addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== apiOrigin || !popup || e.source !== popup) return;
    const d = (typeof e.data === 'object' && e.data) || {};
    if (d.site !== ctx.site) return;
    if (d.type === 'reply-desk:signed-in') {
      const s = toSession(d);
      if (s) {
        popup = null;
        say(null);
        session.set(s);
      }
    } else if (d.type === 'reply-desk:sign-in-failed') {
      popup = null;
      say(typeof d.message === 'string' && d.message ? d.message : rt.signInFailed);
    }
  });

  function refresh(): void {
    account.refresh();
    void edits.refresh();
    const reader = session.get()?.reader;
    if (reader) email.close();
    // After form.update (embed.js' listener runs first), which shows or hides the line.
    form.who.replaceChildren(
      rt.commentingAs,
      ' ',
      h('strong', null, reader?.name ?? ''),
      ' ',
      h('span', { class: 'rd-badge' }, rt.verified),
      account.buttons,
    );
  }
  session.on(refresh);

  const part: ReaderPart = {
    async sso(token) {
      const sub = subOf(token);
      const now = session.get();
      // The same host user as the session we have: keep it (a page view is not a new sign-in).
      if (now && sub !== undefined && now.sub === sub) return true;
      const r = await api.send('POST', 'api/readers/session', { site: ctx.site, sso: token });
      const s = r.status === 200 ? toSession(r.body, sub) : null;
      if (s) session.set(s);
      else say(toApiError(r.body)?.message || rt.signInFailed);
      return s !== null;
    },
    signOut,
    email: () => email.open(),
    popup(w) {
      popup = w;
      say(w ? null : rt.popupBlocked);
    },
    decorate: (view) => edits.decorate(view),
    flag: (box, id, url) => openFlagReasons(ctx, box, id, url),
    sent(c) {
      rememberSent(ctx.site, ctx.info.editWindowMinutes, c.id, { key: c.editKey, body: c.body, at: Date.now() });
      const view = host.pending.get(c.id);
      if (view) edits.decorate(view);
    },
  };

  // The host says who is signed in: its token (a new one, or another user's) wins; a page with its
  // sign-in link and no token says its user signed out, so their session with us ends too.
  const s = session.get();
  if (data.ssoToken)
    void part.sso(data.ssoToken).then(() => {
      refresh();
      startWarnings(host, rt);
    });
  else if (s?.reader.via === 'sso' && data.ssoLogin) void signOut();
  else {
    refresh();
    startWarnings(host, rt);
  }
  return part;
}
