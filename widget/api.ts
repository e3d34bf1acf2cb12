import type { Session } from './session';
import type { ApiComment, FieldError, Order, SiteInfo, ThreadPage } from './types';

/** What a request came to: the parsed body (narrowed by the caller) or a transport failure. */
export interface ApiResult {
  /** HTTP status; 0 when the request never got an answer (offline, refused by CORS). */
  status: number;
  body: unknown;
  /** Seconds from Retry-After, when the server sent one. */
  retryAfter: number | null;
}

/** The error object of an API answer (`{error: {code, message, field, errors}}`), if there is one. */
export interface ApiError {
  code: string;
  message: string;
  errors: FieldError[];
}

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function toFieldErrors(v: unknown): FieldError[] {
  return list(v)
    .filter(isObject)
    .map((e) => ({ field: text(e.field), code: text(e.code), message: text(e.message) }));
}

export function toApiError(body: unknown): ApiError | null {
  const e = isObject(body) ? body.error : null;
  if (!isObject(e)) return null;
  const errors = toFieldErrors(e.errors);
  // A single field problem may come without the errors list.
  if (errors.length === 0 && text(e.field))
    errors.push({ field: text(e.field), code: text(e.code), message: text(e.message) });
  return { code: text(e.code), message: text(e.message), errors };
}

export function toComment(v: unknown): ApiComment | null {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.html !== 'string') return null;
  // `author` is {name, verified, staff?, avatar?}; a plain string is an older server's.
  const a = isObject(v.author) ? v.author : { name: v.author };
  // The rest (up, down, featured) is the conversation part's, which narrows it itself.
  return {
    ...v,
    id: v.id,
    parent: typeof v.parent === 'string' ? v.parent : null,
    depth: typeof v.depth === 'number' ? v.depth : 0,
    author: text(a.name),
    verified: a.verified === true,
    staff: a.staff === true,
    // An image address only (our identicons are on the API's own origin, http in development).
    avatar: typeof a.avatar === 'string' && /^https?:\/\//.test(a.avatar) ? a.avatar : null,
    editedAt: typeof v.editedAt === 'string' ? v.editedAt : null,
    website: typeof v.website === 'string' ? v.website : null,
    html: v.html,
    createdAt: text(v.createdAt),
    moreReplies: typeof v.moreReplies === 'string' ? v.moreReplies : null,
  };
}

/**
 * A thin client for the public API under `base` (the URL embed.js was loaded from, ending in /). With a
 * signed-in reader in `session`, every call to the API carries their token, and an answer saying the
 * token signs nobody in (401 READER_SIGNED_OUT: signed out elsewhere, expired, erased) forgets it.
 */
export function createApi(base: string, site: string, session: Session) {
  async function call(path: string, init: RequestInit = {}): Promise<ApiResult> {
    const url = path.startsWith('http') ? path : base + path;
    // The token goes with writes and the readers' API, all of them relative paths of our own API; the
    // thread's reads go without, so they need no CORS preflight and stay the same for everybody.
    const s = init.method || path.startsWith('api/readers') ? session.get() : null;
    const headers = new Headers(init.headers);
    if (s && !path.startsWith('http')) headers.set('authorization', `Bearer ${s.token}`);
    try {
      // credentials: omit — the widget needs no cookie, and the API's CORS does not allow them.
      const res = await fetch(url, { credentials: 'omit', ...init, headers });
      const retry = Number(res.headers.get('retry-after'));
      const body: unknown = await res.json().catch(() => null);
      if (s && res.status === 401 && toApiError(body)?.code === 'READER_SIGNED_OUT') session.set(null);
      return { status: res.status, body, retryAfter: retry > 0 ? retry : null };
    } catch {
      return { status: 0, body: null, retryAfter: null };
    }
  }

  const q = (params: Record<string, string | number | null>): string =>
    Object.entries(params)
      .filter((p): p is [string, string | number] => p[1] !== null)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');

  /** A JSON request (POST, PATCH) to the API. */
  const send = (method: string, path: string, body: unknown): Promise<ApiResult> =>
    call(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  return {
    base,
    site,
    session,
    call,
    send,

    /** The form's settings, and a signed form token for `page` (its render time is now). */
    async siteInfo(page: string): Promise<ApiResult & { info: SiteInfo | null }> {
      const r = await call(`api/sites/${encodeURIComponent(site)}/public?${q({ page })}`);
      const b = r.status === 200 && isObject(r.body) ? r.body : null;
      const signIn = isObject(b?.signIn) ? b.signIn : {};
      // votes, guestVotes, defaultSort, a page's state: read (and narrowed) by the conversation's code.
      const info = b && {
        ...b,
        requireName: b.requireName !== false,
        requireEmail: b.requireEmail !== false,
        maxDepth: typeof b.maxDepth === 'number' ? b.maxDepth : 5,
        flagUrl: typeof b.flagUrl === 'string' ? b.flagUrl : null,
        formToken: text(b.formToken),
        replyMail: b.replyMail === true,
        closed: b.closed === true,
        guests: b.guests !== false,
        editWindowMinutes: typeof b.editWindowMinutes === 'number' ? b.editWindowMinutes : 0,
        signIn: {
          sso: signIn.sso === true,
          email: signIn.email === true,
          providers: list(signIn.providers)
            .filter(isObject)
            .map((p) => ({ id: text(p.id), name: text(p.name) })),
        },
      };
      return { ...r, info };
    },

    /** A page of the thread; with `replies` (a root's id), the next replies of that conversation. */
    async thread(
      page: string,
      order: Order | null,
      cursor: string | null,
      limit: number,
      replies: string | null = null,
    ): Promise<ApiResult & { page: ThreadPage | null }> {
      const r = await call(
        `api/comments?${q({ site, page, sort: replies === null ? order : null, replies, cursor, limit })}`,
      );
      if (r.status !== 200 || !isObject(r.body)) return { ...r, page: null };
      const b = r.body;
      return {
        ...r,
        page: {
          comments: list(b.comments)
            .map(toComment)
            .filter((c): c is ApiComment => c !== null),
          nextCursor: typeof b.nextCursor === 'string' ? b.nextCursor : null,
          total: typeof b.total === 'number' ? b.total : null,
          closed: b.closed === true,
        },
      };
    },
  };
}

export type Api = ReturnType<typeof createApi>;
