/*
 * The signed-in reader's session, kept in the host page's localStorage (one key per site), never in a
 * cookie of ours: the widget runs on the host's origin and talks to the API on another, where browsers
 * block or partition third-party cookies. The token goes out as `Authorization: Bearer` on our own API
 * calls only. Other tabs of the same site hear of a sign-in or sign-out through the storage event.
 */
import { readStored, writeStored } from './storage';

/** The reader as the API shows them to themselves (`reader` of a sign-in or GET /api/readers/me). */
export interface Reader {
  id: string;
  name: string;
  /** sso | email | oidc */
  via: string;
  email?: string;
  notifyReplies: boolean;
}

export interface ReaderSession {
  /** rdr_…: the only credential; never sent anywhere but the API. */
  token: string;
  expiresAt: string;
  reader: Reader;
  /** The host's user id of the SSO token this came from: a page with another user's token trades again. */
  sub?: string;
}

export interface Session {
  get(): ReaderSession | null;
  set(s: ReaderSession | null): void;
  /** Called after every change, also one made in another tab. */
  on(listener: () => void): void;
}

export function createSession(site: string): Session {
  const key = `reply-desk:session:${site}`;
  const listeners: (() => void)[] = [];
  const told = (): void => listeners.forEach((f) => f());
  addEventListener('storage', (e) => {
    if (e.key === key) told();
  });
  return {
    get() {
      // Written only by the reader's part, from a narrowed answer. An expired token would only earn a 401.
      const s = readStored<ReaderSession>('local', key);
      return s?.token && Date.parse(s.expiresAt) > Date.now() ? s : null;
    },
    set(s) {
      writeStored('local', key, s);
      told();
    },
    on: (listener) => void listeners.push(listener),
  };
}
