import { Router, type Request, type Response } from 'express';
import type { Site } from '../../domain/site-settings.js';
import {
  createOidcClient,
  findOidcProvider,
  ProviderUnavailable,
  saveOidcFlow,
  takeOidcFlow,
  type OidcClient,
} from '../../readers/oidc-client.js';
import { createReaderSession } from '../../readers/reader-sessions.js';
import { toReaderJson, upsertReader } from '../../readers/reader-store.js';
import { OIDC_FLOW_MINUTES } from '../../readers/oidc-client.js';
import type { ReadersDoorDeps } from './readers-deps.js';
import { pickReaderLanguage } from '../../i18n/reader-language.js';
import { wordsFor } from '../../i18n/reader-words.js';
import { HAND_OFF_CSP, renderHandOff, renderSignInMessage } from './sign-in-pages.js';

/*
 * OpenID Connect sign-in (issue 14; the client is src/readers/oidc-client.ts). Both pages run in the
 * popup the widget opens, on this service's origin:
 *   GET /readers/oidc/start?site=…&provider=…&origin=<the host page's origin>&lang=…  → 303 to the provider
 *   GET /readers/oidc/callback?code=…&state=…  → the hand-off page, which posts
 *       {type:'reply-desk:signed-in', site, token, expiresAt, reader} (or 'reply-desk:sign-in-failed')
 *       to window.opener at the stored origin only, and closes.
 * The flow's state is also a first-party cookie of the popup: a callback opened in another browser
 * (someone else's code, to sign the victim in as them) has no cookie, and is refused. Both pages speak
 * the widget's `lang` (kept with the flow; before there is one, the site's language or the browser's).
 */

export const OIDC_COOKIE = 'rd_oidc_state';
const COOKIE_PATH = '/readers/oidc';

function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

const queryString = (req: Request, name: string): string => {
  const v = req.query[name];
  return typeof v === 'string' ? v : '';
};

export function createOidcRoutes(deps: ReadersDoorDeps & { oidcClient?: OidcClient }): Router {
  const { db, sites, logger, publicUrl } = deps;
  const client = deps.oidcClient ?? createOidcClient();
  const redirectUri = `${publicUrl}/readers/oidc/callback`;
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  const router = Router();

  const popupHeaders = (res: Response): void => {
    // The popup must keep its opener through our pages (helmet's COOP same-origin would cut it), and
    // URLs holding states and codes go into no cache and no Referer.
    res
      .set('Cross-Origin-Opener-Policy', 'unsafe-none')
      .set('Cache-Control', 'no-store')
      .set('Referrer-Policy', 'no-referrer');
  };

  const refuse = (res: Response, status: number, lang: string, title: string, message: string): void => {
    res
      .status(status)
      .type('html')
      .send(renderSignInMessage(lang, title, message));
  };

  /** The failure, told to the widget at the flow's origin, and on the page to the reader. */
  const failed = (res: Response, status: number, origin: string, lang: string, message: string): void => {
    res
      .status(status)
      .set('Content-Security-Policy', HAND_OFF_CSP)
      .type('html')
      .send(
        renderHandOff({
          targetOrigin: origin,
          message: { type: 'reply-desk:sign-in-failed', message },
          title: wordsFor(lang).oidc.failedTitle,
          text: message,
          lang,
        }),
      );
  };

  router.get('/readers/oidc/start', async (req: Request, res: Response) => {
    popupHeaders(res);
    const siteId = queryString(req, 'site');
    const providerId = queryString(req, 'provider');
    const origin = queryString(req, 'origin');
    const asked = { lang: queryString(req, 'lang'), acceptLanguage: req.get('accept-language') };
    let lang: string = pickReaderLanguage(asked);
    let w = wordsFor(lang).oidc;
    let site: Site | null = null;
    try {
      site = siteId === '' || siteId.length > 200 ? null : await sites.get(siteId);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'oidc start: sites unavailable');
      return refuse(res, 503, lang, w.busyTitle, w.busy);
    }
    if (site === null) return refuse(res, 404, lang, w.noSiteTitle, w.noSite);
    lang = pickReaderLanguage({ ...asked, siteLanguage: site.settings.language });
    w = wordsFor(lang).oidc;
    if (!site.allowedOrigins.includes(origin)) return refuse(res, 403, lang, w.notHereTitle, w.notHere);
    if (!site.settings.signInMethods.includes('oidc')) return refuse(res, 403, lang, w.notOfferedTitle, w.notOffered);
    const provider = await findOidcProvider(db, site.id, providerId.slice(0, 40)).catch(() => null);
    if (provider === null) return refuse(res, 404, lang, w.noProviderTitle, w.noProvider);
    let started;
    try {
      started = await client.start(provider, redirectUri);
    } catch (err) {
      logger.warn({ provider: provider.id, site: site.id, err: (err as Error).message }, 'oidc provider unreachable');
      return failed(res, 502, origin, lang, w.unreachable(provider.name));
    }
    try {
      await saveOidcFlow(db, started.state, {
        siteId: site.id,
        providerId: provider.id,
        origin,
        codeVerifier: started.codeVerifier,
        nonce: started.nonce,
        lang,
      });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'oidc start: flow not saved');
      return failed(res, 503, origin, lang, w.busy);
    }
    res.set(
      'Set-Cookie',
      `${OIDC_COOKIE}=${started.state}; Path=${COOKIE_PATH}; Max-Age=${OIDC_FLOW_MINUTES * 60}; HttpOnly; SameSite=Lax${secure}`,
    );
    res.redirect(303, started.url.href);
  });

  router.get('/readers/oidc/callback', async (req: Request, res: Response) => {
    popupHeaders(res);
    // Spent whatever happens next: a callback URL works once.
    res.set('Set-Cookie', `${OIDC_COOKIE}=; Path=${COOKIE_PATH}; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
    const state = queryString(req, 'state');
    // Until the flow is found, only the browser says what the reader reads.
    const browserLang = pickReaderLanguage({ acceptLanguage: req.get('accept-language') });
    let flow;
    try {
      flow = await takeOidcFlow(db, state);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'oidc callback: flows unavailable');
      const w = wordsFor(browserLang).oidc;
      return refuse(res, 503, browserLang, w.busyTitle, w.busy);
    }
    // No flow: nothing to tell a widget (we do not know whose it would be), only the reader.
    if (flow === null) {
      const w = wordsFor(browserLang).oidc;
      return refuse(res, 400, browserLang, w.expiredTitle, w.expired);
    }
    const { lang } = flow;
    const w = wordsFor(lang).oidc;
    if (cookieOf(req, OIDC_COOKIE) !== state) return failed(res, 400, flow.origin, lang, w.otherBrowser);
    const providerError = queryString(req, 'error');
    if (providerError !== '')
      return failed(res, 400, flow.origin, lang, providerError === 'access_denied' ? w.cancelled : w.refused);
    const provider = await findOidcProvider(db, flow.siteId, flow.providerId).catch(() => null);
    if (provider === null) return failed(res, 400, flow.origin, lang, w.providerGone);
    let identity;
    try {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      identity = await client.finish(provider, new URL(redirectUri + query), {
        state,
        nonce: flow.nonce,
        codeVerifier: flow.codeVerifier,
      });
    } catch (err) {
      const down = err instanceof ProviderUnavailable;
      logger.warn({ provider: provider.id, err: (err as Error).message }, 'oidc sign-in refused');
      return failed(res, down ? 502 : 400, flow.origin, lang, down ? w.unreachable(provider.name) : w.unverified);
    }
    let reader, session;
    try {
      reader = await upsertReader(db, identity);
      session = await createReaderSession(db, reader.id, { userAgent: req.get('user-agent') });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'oidc callback: reader not stored');
      return failed(res, 503, flow.origin, lang, w.busy);
    }
    res
      .status(200)
      .set('Content-Security-Policy', HAND_OFF_CSP)
      .type('html')
      .send(
        renderHandOff({
          targetOrigin: flow.origin,
          message: {
            type: 'reply-desk:signed-in',
            site: flow.siteId,
            token: session.token,
            expiresAt: session.expiresAt,
            reader: toReaderJson(reader),
          },
          title: w.signedInTitle,
          text: w.signedInAs(reader.name),
          lang,
        }),
      );
  });

  return router;
}
