import { Router, type Request, type Response } from 'express';
import { AppError } from '../../../errors.js';
import {
  checkOidcProvider,
  listOidcProviders,
  PROVIDER_ID,
  removeOidcProvider,
  saveOidcProvider,
} from '../../../readers/oidc-client.js';
import { generateSsoSecret, getSsoSecret, setSsoSecret } from '../../../readers/sso-secrets.js';
import type { Pool } from '../../../store/db.js';
import { loadSite } from '../../../store/sites.js';
import { formText as text, rawFormText } from '../../kit/form-values.js';
import { queryText } from '../../kit/query-values.js';
import { csrfTokenOf, currentModerator } from '../moderator-session.js';
import { emptyProviderForm, renderSignInPage, type ProviderFormValues } from './sign-in-page.js';

/**
 * A site's sign-in settings at /admin/sites/:id/sign-in (admins only: under /sites, admin-door.ts):
 * the SSO secret (make, rotate, remove; audited by setSsoSecret, which never logs the secret) and the
 * OpenID Connect providers. The page is the one place the SSO secret is shown.
 */
export function createSignInSettingsRoutes(deps: { db: Pool; publicUrl?: string }): Router {
  const { db } = deps;
  const router = Router();

  const siteOf = async (req: Request): Promise<{ id: string; name: string }> => {
    const site = await loadSite(db, String(req.params.id));
    if (site === null) throw AppError.of('NOT_FOUND', { message: 'No such site.' });
    return site;
  };
  const pathOf = (siteId: string): string => `/admin/sites/${encodeURIComponent(siteId)}/sign-in`;
  // The redirect URI readers' providers send back to; PUBLIC_URL when the desk was given it.
  const redirectUri = (req: Request): string =>
    `${deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`}/readers/oidc/callback`;

  const page = async (
    req: Request,
    res: Response,
    site: { id: string; name: string },
    values: ProviderFormValues,
    error: string | null,
    status = 200,
  ): Promise<void> => {
    const [ssoSecret, providers] = await Promise.all([getSsoSecret(db, site.id), listOidcProviders(db, site.id)]);
    res
      .status(status)
      // The secret is on this page: no cache keeps it.
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderSignInPage({
          ctx: { moderator: currentModerator(res), csrfToken: csrfTokenOf(req), section: 'sites' },
          siteId: site.id,
          siteName: site.name,
          ssoSecret,
          providers,
          redirectUri: redirectUri(req),
          values,
          notice: queryText(req, 'notice'),
          error,
        }),
      );
  };

  router.get('/sites/:id/sign-in', async (req: Request, res: Response) => {
    await page(req, res, await siteOf(req), emptyProviderForm, null);
  });

  router.post('/sites/:id/sign-in/sso', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const action = text(req, 'action');
    if (action !== 'generate' && action !== 'remove')
      return page(req, res, site, emptyProviderForm, 'Choose to make or remove the secret.', 422);
    const m = currentModerator(res);
    await setSsoSecret(db, {
      siteId: site.id,
      secret: action === 'generate' ? generateSsoSecret() : null,
      actorId: m.id,
      actor: m.email,
    });
    const notice =
      action === 'generate'
        ? 'New SSO secret made. Put it on the host site’s server; tokens signed with an old one no longer work.'
        : 'SSO secret removed: host-site SSO is off.';
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent(notice)}`);
  });

  router.post('/sites/:id/sign-in/providers', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const values: ProviderFormValues = {
      provider: text(req, 'provider').toLowerCase(),
      name: text(req, 'name'),
      issuer: text(req, 'issuer').replace(/\/+$/, ''),
      clientId: text(req, 'clientId'),
    };
    const secret = rawFormText(req, 'clientSecret').trim();
    const problem = checkOidcProvider({ id: values.provider, ...values, clientSecret: secret });
    if (problem !== null) return page(req, res, site, values, problem.message, 422);
    await saveOidcProvider(
      db,
      {
        siteId: site.id,
        id: values.provider,
        ...values,
        clientSecret: secret === '' ? null : secret,
      },
      { actorId: currentModerator(res).id, actor: currentModerator(res).email },
    );
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent(`Provider ${values.provider} saved.`)}`);
  });

  router.post('/sites/:id/sign-in/providers/:provider/delete', async (req: Request, res: Response) => {
    const site = await siteOf(req);
    const provider = String(req.params.provider);
    if (
      !PROVIDER_ID.test(provider) ||
      !(await removeOidcProvider(db, site.id, provider, {
        actorId: currentModerator(res).id,
        actor: currentModerator(res).email,
      }))
    )
      throw AppError.of('NOT_FOUND', { message: 'No such provider.' });
    res.redirect(303, `${pathOf(site.id)}?notice=${encodeURIComponent(`Provider ${provider} removed.`)}`);
  });

  return router;
}
