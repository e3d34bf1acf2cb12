import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Queryable } from '../store/db.js';
import type { VerifiedIdentity } from './reader-store.js';

/*
 * OpenID Connect sign-in for readers (issue 14), with openid-client: the authorization code flow with
 * PKCE, state and nonce, against the providers a site set up (sql/0025 reader_oidc_providers). A flow
 * started in the widget's popup is kept server-side (sql/0027 reader_oidc_flows: 10 minutes, single
 * use, keyed by the sha256 of its state); openid-client checks the state, the nonce in the ID token and
 * the PKCE verifier as the code is exchanged.
 */

/** How long a started sign-in may take at the provider. @defaultValue 10 minutes */
export const OIDC_FLOW_MINUTES = 10;
/** How long a provider's discovery document is believed. @defaultValue 5 minutes */
export const DISCOVERY_CACHE_MS = 5 * 60_000;
/** A provider that does not answer within this is down, for this try. */
const PROVIDER_TIMEOUT_SECONDS = 10;

export interface OidcProvider {
  siteId: string;
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The provider `providerId` of a site, with its secret (never to be shown: the secret is write-only). */
export async function findOidcProvider(
  db: Queryable,
  siteId: string,
  providerId: string,
): Promise<OidcProvider | null> {
  const { rows } = await db.query<{
    id: string;
    name: string;
    issuer: string;
    client_id: string;
    client_secret: string;
  }>('select id, name, issuer, client_id, client_secret from reader_oidc_providers where site_id = $1 and id = $2', [
    siteId,
    providerId,
  ]);
  const r = rows[0];
  return r
    ? { siteId, id: r.id, name: r.name, issuer: r.issuer, clientId: r.client_id, clientSecret: r.client_secret }
    : null;
}

/** A site's providers as an admin may see them: no secret, only whether there is one. */
export interface OidcProviderListing {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  hasSecret: boolean;
}

export async function listOidcProviders(db: Queryable, siteId: string): Promise<OidcProviderListing[]> {
  const { rows } = await db.query<{ id: string; name: string; issuer: string; client_id: string; has_secret: boolean }>(
    `select id, name, issuer, client_id, client_secret <> '' as has_secret
       from reader_oidc_providers where site_id = $1 order by name, id`,
    [siteId],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    issuer: r.issuer,
    clientId: r.client_id,
    hasSecret: r.has_secret,
  }));
}

export const PROVIDER_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What is wrong with a provider's settings, or null; `field` names the input. */
export function checkOidcProvider(p: {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
}): { field: string; message: string } | null {
  if (!PROVIDER_ID.test(p.id))
    return { field: 'provider', message: 'The provider id is 1-40 lowercase letters, digits and dashes.' };
  if (p.name.trim() === '' || [...p.name].length > 60 || /[\u0000-\u001f\u007f]/.test(p.name))
    return { field: 'name', message: 'The button name is 1-60 characters on one line.' };
  let url: URL;
  try {
    url = new URL(p.issuer);
  } catch {
    return { field: 'issuer', message: 'The issuer is a URL, such as https://accounts.google.com.' };
  }
  if (p.issuer.length > 2000 || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(url))))
    return { field: 'issuer', message: 'The issuer must be an https:// URL (http:// only on this machine).' };
  if (p.clientId === '' || p.clientId.length > 500 || /[\u0000-\u001f\u007f]/.test(p.clientId))
    return { field: 'client-id', message: 'The client id is 1-500 characters.' };
  if (p.clientSecret.length > 2000 || /[\u0000-\u001f\u007f]/.test(p.clientSecret))
    return { field: 'client-secret', message: 'The client secret is at most 2000 characters.' };
  return null;
}

/** Who changed a provider, for the audit log (a moderator, or the CLI with a null id). */
export interface ProviderActor {
  actorId: number | null;
  actor: string;
}

/**
 * Adds or replaces a provider (keeping its secret when `clientSecret` is null), with an audit event in
 * the same statement that names the provider and whether the secret changed, never the secret.
 */
export async function saveOidcProvider(
  db: Queryable,
  p: { siteId: string; id: string; name: string; issuer: string; clientId: string; clientSecret: string | null },
  by: ProviderActor,
): Promise<void> {
  await db.query(
    `with saved as (
       insert into reader_oidc_providers (site_id, id, name, issuer, client_id, client_secret)
       values ($1, $2, $3, $4, $5, coalesce($6, ''))
       on conflict (site_id, id) do update set name = excluded.name, issuer = excluded.issuer,
         client_id = excluded.client_id,
         client_secret = coalesce($6, reader_oidc_providers.client_secret)
       returning id
     )
     insert into moderation_events (actor_id, actor, action, site_id, detail)
     select $7, $8, 'oidc_provider_set', $1,
            jsonb_build_object('provider', $2::text, 'name', $3::text, 'issuer', $4::text, 'clientId', $5::text,
                               'secretChanged', $6::text is not null)
       from saved`,
    [p.siteId, p.id, p.name.trim(), p.issuer, p.clientId, p.clientSecret, by.actorId, by.actor],
  );
}

/** Removes a provider (audited); false when the site has none of that id. */
export async function removeOidcProvider(
  db: Queryable,
  siteId: string,
  id: string,
  by: ProviderActor,
): Promise<boolean> {
  const { rows } = await db.query<{ removed: boolean }>(
    `with removed as (
       delete from reader_oidc_providers where site_id = $1 and id = $2 returning id, issuer
     ), audited as (
       insert into moderation_events (actor_id, actor, action, site_id, detail)
       select $3, $4, 'oidc_provider_remove', $1, jsonb_build_object('provider', id, 'issuer', issuer) from removed
     )
     select exists (select 1 from removed) as removed`,
    [siteId, id, by.actorId, by.actor],
  );
  return rows[0]?.removed ?? false;
}

/** http:// is allowed only for issuers on this machine (the tests' local provider, a developer's Keycloak). */
export function isLoopbackUrl(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A started flow, as the callback needs it. */
export interface OidcFlow {
  siteId: string;
  providerId: string;
  origin: string;
  codeVerifier: string;
  nonce: string;
  /** The reader's language (src/i18n), which the popup's pages speak. */
  lang: string;
}

/** Keeps a started flow for OIDC_FLOW_MINUTES (and sweeps the long-expired ones as it goes). */
export async function saveOidcFlow(db: Queryable, state: string, flow: OidcFlow): Promise<void> {
  await db.query(`delete from reader_oidc_flows where expires_at < now() - interval '1 hour'`);
  await db.query(
    `insert into reader_oidc_flows (state_hash, site_id, provider_id, origin, code_verifier, nonce, lang, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(mins => $8))`,
    [
      sha256(state),
      flow.siteId,
      flow.providerId,
      flow.origin,
      flow.codeVerifier,
      flow.nonce,
      flow.lang,
      OIDC_FLOW_MINUTES,
    ],
  );
}

/**
 * Spends the flow `state` names: deleted as it is read, so a replayed callback finds nothing. Null when
 * there is none or it expired.
 */
export async function takeOidcFlow(db: Queryable, state: string): Promise<OidcFlow | null> {
  if (state === '' || state.length > 200) return null;
  const { rows } = await db.query<{
    site_id: string;
    provider_id: string;
    origin: string;
    code_verifier: string;
    nonce: string;
    lang: string;
    live: boolean;
  }>(
    `delete from reader_oidc_flows where state_hash = $1
     returning site_id, provider_id, origin, code_verifier, nonce, lang, expires_at > now() as live`,
    [sha256(state)],
  );
  const r = rows[0];
  if (!r || !r.live) return null;
  return {
    siteId: r.site_id,
    providerId: r.provider_id,
    origin: r.origin,
    codeVerifier: r.code_verifier,
    nonce: r.nonce,
    lang: r.lang,
  };
}

/** The provider could not be reached or answered nonsense: the reader sees a page, the log the cause. */
export class ProviderUnavailable extends Error {}

export interface OidcClient {
  /** The provider's authorization URL for a new flow, and the secrets to keep for its callback. */
  start(
    p: OidcProvider,
    redirectUri: string,
  ): Promise<{ url: URL; state: string; codeVerifier: string; nonce: string }>;
  /**
   * Exchanges the code in `callbackUrl` (the state, nonce and PKCE verifier checked by openid-client)
   * and says who signed in. Throws ProviderUnavailable when the provider cannot be reached, and
   * openid-client's errors when the answer does not check out.
   */
  finish(
    p: OidcProvider,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
  ): Promise<VerifiedIdentity>;
}

export function createOidcClient(opts: { cacheMs?: number } = {}): OidcClient {
  const cacheMs = opts.cacheMs ?? DISCOVERY_CACHE_MS;
  const cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  function configFor(p: OidcProvider): Promise<oidc.Configuration> {
    // Keyed by everything the Configuration binds: an admin's edit of the client takes effect at once.
    const key = JSON.stringify([p.issuer, p.clientId, sha256(p.clientSecret).toString('hex')]);
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < cacheMs) return hit.config;
    const issuer = new URL(p.issuer);
    const config = oidc
      .discovery(issuer, p.clientId, undefined, oidc.ClientSecretBasic(p.clientSecret), {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        execute: isLoopbackUrl(issuer) && issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((err: unknown) => {
        // A failure is not remembered: the next reader tries again.
        cache.delete(key);
        throw new ProviderUnavailable(`discovery of ${p.issuer} failed: ${(err as Error).message}`, { cause: err });
      });
    cache.set(key, { at: Date.now(), config });
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
    return config;
  }

  return {
    async start(p, redirectUri) {
      const config = await configFor(p);
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, codeVerifier, nonce };
    },

    async finish(p, callbackUrl, checks) {
      const config = await configFor(p);
      let tokens;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (err) {
        if (isNetworkError(err)) throw new ProviderUnavailable(`token request to ${p.issuer} failed`, { cause: err });
        throw err;
      }
      const claims = tokens.claims();
      if (!claims) throw new Error('the provider returned no ID token');
      let info: Record<string, unknown> = { ...claims };
      // Providers that follow the spec to the letter (oidc-provider's default) keep profile and email
      // claims for the userinfo endpoint when an access token is issued: ask it when they are missing.
      if (info.name === undefined && info.email === undefined && config.serverMetadata().userinfo_endpoint) {
        try {
          const more = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
          info = { ...claims, ...more };
        } catch (err) {
          if (isNetworkError(err)) throw new ProviderUnavailable(`userinfo of ${p.issuer} failed`, { cause: err });
          throw err;
        }
      }
      return toIdentity(p, claims.sub, info);
    },
  };
}

function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: unknown };
  return e.name === 'TypeError' || e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'OAUTH_TIMEOUT';
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const clean = (v: string, max: number): string =>
  [...v.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').trim()].slice(0, max).join('');

/**
 * Who signed in: `oidc:<provider id>:<sub>`; the name from `name`, else `preferred_username`, else
 * the email's local part; the email only when the provider says it verified it (`email_verified`
 * exactly true: an address anybody may type into their provider profile vouches for nothing).
 */
export function toIdentity(p: OidcProvider, sub: string, info: Record<string, unknown>): VerifiedIdentity {
  const verified = info.email_verified === true;
  const email = str(info.email).toLowerCase();
  const usableEmail = verified && email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : '';
  const name =
    clean(str(info.name), 100) || clean(str(info.preferred_username), 100) || clean(email.split('@')[0] ?? '', 100);
  return {
    siteId: p.siteId,
    via: 'oidc',
    identity: `oidc:${p.id}:${sub}`.slice(0, 600),
    name: name || `${p.name} user`,
    email: usableEmail,
  };
}
