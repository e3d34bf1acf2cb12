import { hashPassword } from '../../src/auth/passwords.js';
import type { Pool } from '../../src/store/db.js';
import { upsertModerator, type Role, type SiteRole } from '../../src/store/moderators.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/** Creates a moderator account with TEST_PASSWORD (and a role per site, `moderator` unless named); returns its id. */
export async function addModerator(
  pool: Pool,
  email: string,
  role: Role,
  siteIds: string[] = [],
  siteRoles: Record<string, SiteRole> = {},
): Promise<number> {
  const { id } = await upsertModerator(pool, {
    email,
    displayName: email.split('@')[0] ?? email,
    role,
    passwordHash: await hashPassword(TEST_PASSWORD),
    siteIds,
    siteRoles,
  });
  return id;
}

/**
 * A signed-in dashboard session over plain HTTP: keeps the session cookie (and, before sign-in, the
 * sign-in form's CSRF cookie), reads the CSRF token from the pages, and posts forms the way a browser
 * (or admin.js, with `json: true`) does.
 */
export class DashboardClient {
  /** The rd_session cookie as sent ("rd_session=…"), or ''. */
  cookie = '';
  /** The sign-in form's CSRF cookie as sent, or ''; it goes only to /admin/sign-in, as its Path says. */
  signInCookie = '';
  csrf = '';

  constructor(readonly baseUrl: string) {}

  private remember(res: Response): void {
    const setCookies = res.headers.getSetCookie();
    const set = setCookies.find((c) => c.startsWith('rd_session='));
    if (set) this.cookie = set.split(';')[0] ?? '';
    const signIn = setCookies.find((c) => c.startsWith('rd_signin_csrf='));
    if (signIn) this.signInCookie = signIn.split(';')[0] ?? '';
  }

  private cookiesFor(path: string): string {
    return [this.cookie, path.startsWith('/admin/sign-in') ? this.signInCookie : ''].filter(Boolean).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      redirect: 'manual',
      headers: { cookie: this.cookiesFor(path), ...headers },
    });
    this.remember(res);
    return res;
  }

  /** GET a page and pick up its CSRF token. */
  async page(path: string): Promise<string> {
    const res = await this.get(path);
    const text = await res.text();
    // " />" or ">": the layout is formatted by Prettier, which closes void tags.
    const token = /<meta name="csrf-token" content="([^"]*)"\s*\/?>/.exec(text)?.[1];
    if (token) this.csrf = token;
    return text;
  }

  async post(
    path: string,
    fields: Record<string, string | string[]>,
    opts: { json?: boolean; csrf?: boolean } = {},
  ): Promise<Response> {
    const body = new URLSearchParams();
    if (opts.csrf !== false) body.set('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookiesFor(path),
        'content-type': 'application/x-www-form-urlencoded',
        ...(opts.json ? { accept: 'application/json' } : {}),
      },
      body: body.toString(),
    });
    this.remember(res);
    return res;
  }

  /** Signs in; throws unless the dashboard redirected into /admin. */
  async signIn(email: string, password = TEST_PASSWORD): Promise<void> {
    await this.page('/admin/sign-in');
    const res = await this.post('/admin/sign-in', { email, password });
    if (res.status !== 303 || !res.headers.get('location')?.startsWith('/admin')) {
      throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
    }
    await this.page('/admin');
  }
}
