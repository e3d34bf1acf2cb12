/*
 * The seam between embed.js and the reader's part of the widget (widget/reader/), a second bundle that
 * embed.js imports only when somebody needs it: a signed-in reader, an author who may still edit, a
 * press on a sign-in or Report button. A guest reading a thread never downloads it, which keeps embed.js
 * within its size budget. Everything the part needs is handed over here; the small helpers both use come
 * from a shared chunk (scripts/build-widget.mjs), so the part carries no copies of them.
 */
import type { CommentView } from './comment-view';
import type { WidgetContext } from './context';
import type { ReplyForm, SentComment } from './form';
import { loadPart } from './parts';
import type { Thread } from './thread';

/** What embed.js gives the reader's part. */
export interface ReaderHost {
  ctx: WidgetContext;
  form: ReplyForm;
  thread: Thread;
  /** The reader's own comments not public yet (own-comments.ts), by id. */
  pending: Map<string, CommentView>;
  /** The sign-in choices (sign-in.ts); the email sign-in form opens in here. */
  choices: HTMLElement;
  /** The script tag's data-: `ssoToken`, and `ssoLogin` / `ssoLogout`, the host's own sign-in and sign-out pages. */
  data: { ssoToken?: string; ssoLogin?: string; ssoLogout?: string };
}

/** What the reader's part does for embed.js. */
export interface ReaderPart {
  /** Trades the host's SSO token for a reader session; false when the API refused it. */
  sso(token: string): Promise<boolean>;
  signOut(everywhere?: boolean): Promise<void>;
  /** Opens the email sign-in form in the choices. */
  email(): void;
  /** Waits for the OpenID Connect popup's hand-off (null: the browser blocked the popup). */
  popup(w: Window | null): void;
  /** Adds Edit and Delete to a comment that is the reader's own, while they may still change it. */
  decorate(view: CommentView): void;
  /** A comment was sent from this browser (its 202): kept for editing. */
  sent(c: SentComment): void;
  /** The first press on a comment's Report button (flag.ts): shows the reasons in `box`. */
  flag(box: HTMLElement, commentId: string, flagUrl: string): void;
}

/** Per mounted widget: a single-page app's setPage makes a new one, with its own thread and form. */
const parts = new WeakMap<ReaderHost, Promise<ReaderPart | null>>();

/** Loads the reader's part once per widget (null, and tried again next time, when it could not be loaded). */
export function loadReader(host: ReaderHost): Promise<ReaderPart | null> {
  let part = parts.get(host);
  part ??= loadPart<typeof import('./reader/main')>('reader').then(
    (m) => m.startReader(host),
    () => {
      parts.delete(host);
      return null;
    },
  );
  parts.set(host, part);
  return part;
}
