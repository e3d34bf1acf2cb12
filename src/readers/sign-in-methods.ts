import type { Site } from '../domain/site-settings.js';
import type { Queryable } from '../store/db.js';

/** A sign-in button the widget shows for an OpenID Connect provider. */
export interface ProviderButton {
  id: string;
  name: string;
}

/** The sign-in methods a site offers right now: asked for in its settings *and* set up. */
export interface SignInMethods {
  /** The site has an SSO secret: the host page may pass `data-sso-token`. */
  sso: boolean;
  /** Mail can be sent (SMTP_URL): a link to the reader's address signs them in. */
  email: boolean;
  /** The site's OpenID Connect providers, in name order. */
  providers: ProviderButton[];
}

/**
 * Which methods `site` offers: its `signInMethods` setting, less those it has not set up. One query
 * (the SSO secret's existence and the providers); `mail` says whether SMTP is configured.
 */
export async function loadSignInMethods(db: Queryable, site: Site, mail: boolean): Promise<SignInMethods> {
  const wanted = new Set(site.settings.signInMethods);
  const { rows } = await db.query<{ sso: boolean; providers: ProviderButton[] }>(
    `select exists (select 1 from site_sso_secrets where site_id = $1) as sso,
            coalesce((select json_agg(json_build_object('id', id, 'name', name) order by name, id)
                        from reader_oidc_providers where site_id = $1), '[]') as providers`,
    [site.id],
  );
  const row = rows[0]!;
  return {
    sso: wanted.has('sso') && row.sso,
    email: wanted.has('email') && mail,
    providers: wanted.has('oidc') ? row.providers : [],
  };
}
