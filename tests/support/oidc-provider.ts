import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID Connect provider for tests (the `oidc-provider` package, v8) on 127.0.0.1 and a free
 * port, with one confidential client (client_secret_basic) and a store of test accounts. Its built-in
 * development login form takes any login name with any password; the account signed in is the one of
 * that login (its claims), or a bare `{sub: login}` for a name not in the store.
 *
 *   const idp = await startOidcProvider({ redirectUri: `${api.url}/readers/oidc/callback`,
 *     accounts: { alice: { name: 'Alice', email: 'alice@example.org', email_verified: true } } });
 *   // … add a provider with issuer idp.issuer, client idp.clientId / idp.clientSecret …
 *   const callback = await idp.signIn(authorizationUrl, 'alice'); // the redirect back, with ?code=…&state=…
 *
 * `signIn` drives the login and consent forms with fetch and a cookie jar (no browser); browser tests
 * can use the same provider and fill its form (input[name=login], input[name=password]).
 */
export interface TestAccountClaims {
  name?: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port> — also the discovery base (/.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The test accounts, by login name; tests may add or change them between sign-ins. */
  accounts: Map<string, TestAccountClaims>;
  /**
   * Follows `authorizationUrl` through the provider's login (as `login`) and consent, and returns the
   * URL the provider sends the browser back to (the redirect URI with `code`, `state`, `iss`), not
   * fetched. Each call starts with an empty cookie jar: a fresh browser.
   */
  signIn(authorizationUrl: string | URL, login: string): Promise<URL>;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: {
  redirectUri: string;
  accounts?: Record<string, TestAccountClaims>;
  clientId?: string;
  clientSecret?: string;
  /**
   * The spec's default: with an access token issued, profile and email claims go to userinfo only, not
   * the ID token (Google and Keycloak put them in the ID token: `false`). @defaultValue true
   */
  conformIdTokenClaims?: boolean;
}): Promise<TestOidcProvider> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = opts.clientId ?? 'reply-desk-test';
  const clientSecret = opts.clientSecret ?? 'test-client-secret-that-is-long-enough-0123456789';
  const accounts = new Map(Object.entries(opts.accounts ?? {}));
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [opts.redirectUri],
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: opts.conformIdTokenClaims ?? true,
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['test-oidc-provider-cookie-key-0123456789'] },
    // Set, so the provider does not print a notice per artifact kind.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount(_ctx, sub) {
      return {
        accountId: sub,
        claims: () => ({ sub, ...(accounts.get(sub) ?? {}) }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  // Its own warnings (development keys, in-memory adapter) are expected here.
  provider.on('server_error', () => {});
  const handle = provider.callback();
  server.on('request', (req, res) => {
    void handle(req, res);
  });

  async function signIn(authorizationUrl: string | URL, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const keep = (res: Response): void => {
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const i = pair!.indexOf('=');
        const name = pair!.slice(0, i).trim();
        const value = pair!.slice(i + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
        else jar.set(name, value);
      }
    };
    let url = new URL(authorizationUrl);
    let init: RequestInit = {};
    for (let step = 0; step < 20; step++) {
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...init.headers, cookie: cookieHeader() },
      });
      keep(res);
      init = {};
      if (res.status >= 300 && res.status < 400) {
        const next = new URL(res.headers.get('location')!, url);
        await res.body?.cancel();
        if (next.href.startsWith(opts.redirectUri)) return next;
        url = next;
        continue;
      }
      const page = await res.text();
      if (res.status !== 200) throw new Error(`the provider answered ${res.status}: ${page.slice(0, 300)}`);
      const form = /<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(page);
      if (!form) throw new Error(`no form on the provider's page: ${page.slice(0, 300)}`);
      const fields = new URLSearchParams();
      for (const input of form[2]!.matchAll(/<input[^>]*>/gi)) {
        const name = /name="([^"]+)"/.exec(input[0])?.[1];
        if (!name) continue;
        const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
        fields.set(name, name === 'login' ? login : name === 'password' ? 'any password' : value);
      }
      url = new URL(form[1]!, url);
      init = {
        method: 'POST',
        body: fields.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      };
    }
    throw new Error('the provider did not send the browser back within 20 steps');
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    signIn,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
