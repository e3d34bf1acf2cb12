import { plural } from '../../i18n/plural.js';
import { pickReaderLanguage } from '../../i18n/reader-language.js';
import { wordsFor } from '../../i18n/reader-words.js';
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { signInNetwork } from '../../auth/sign-in-throttle.js';
import type { Site } from '../../domain/site-settings.js';
import { AppError } from '../../errors.js';
import {
  confirmSignInLink,
  EMAIL_LINK_MINUTES,
  inspectSignInLink,
  pollEmailSignIn,
  requestEmailSignIn,
  type LinkState,
} from '../../readers/email-sign-in.js';
import { toReaderJson } from '../../readers/reader-store.js';
import { parseForm, parseJson } from '../kit/body-parsers.js';
import { formText, formValue } from '../kit/form-values.js';
import { checkText } from '../kit/query-values.js';
import { databaseDown } from '../kit/read-errors.js';
import { assertOriginAllowed } from '../kit/site-origin.js';
import type { ReadersDoorDeps } from './readers-deps.js';
import { renderEmailConfirm, renderEmailSignedIn, renderSignInMessage } from './sign-in-pages.js';

/*
 * Email sign-in (issue 14; the logic is src/readers/email-sign-in.ts):
 *   POST /api/readers/email {site, email, name}   → 202 {request, expiresAt}; the mail goes out
 *   GET  /readers/email/confirm?t=…               → a page with one button (changes nothing)
 *   POST /readers/email/confirm (form t=…)        → spends the link; "You are signed in"
 *   POST /api/readers/email/poll {site, request}  → 202 pending | 200 {token, expiresAt, reader} once | 410
 */

const emailSchema = z.email();
/** Controls, bidi overrides and lone surrogates: not in a name anybody shows. */
const NAME_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\uD800-\uDFFF]/u;

function jsonOnly(req: Request): void {
  if (!req.is('application/json'))
    throw AppError.of('UNSUPPORTED_MEDIA_TYPE', { message: 'Send the request as application/json.' });
}

function bodyString(req: Request, field: string, required: boolean): string {
  const v = formValue(req, field);
  if (v === undefined || v === null || v === '') {
    if (required) throw AppError.of('REQUIRED', { status: 400, message: `"${field}" is missing.`, field });
    return '';
  }
  if (typeof v !== 'string') throw AppError.of('INVALID_TYPE', { message: `"${field}" must be a string.`, field });
  return v.trim();
}

export function createEmailSignInRoutes(deps: ReadersDoorDeps): Router {
  const { db, sites, emailQueue } = deps;
  const router = Router();

  async function siteFor(req: Request): Promise<Site> {
    const id = checkText(bodyString(req, 'site', true), 'site', 200);
    let site: Site | null;
    try {
      site = await sites.get(id);
    } catch (err) {
      throw databaseDown(err, 'Sign-ins');
    }
    if (site === null) throw AppError.of('UNKNOWN_SITE', { status: 404, message: 'No such site.', field: 'site' });
    assertOriginAllowed(req, site, 'sent');
    return site;
  }

  router.post('/api/readers/email', parseJson, async (req: Request, res: Response) => {
    jsonOnly(req);
    const site = await siteFor(req);
    // Without mail (no SMTP_URL, so no queue) the method is off whatever the settings ask.
    if (emailQueue === undefined || !site.settings.signInMethods.includes('email'))
      throw AppError.of('SIGN_IN_METHOD_OFF', { message: 'This site does not offer sign-in by email.' });
    const email = bodyString(req, 'email', true).toLowerCase();
    if (email.length > 254 || !emailSchema.safeParse(email).success)
      throw AppError.of('INVALID_EMAIL', { message: 'Please enter a valid email address.', field: 'email' });
    const name = bodyString(req, 'name', true);
    if ([...name].length > 100)
      throw AppError.of('TOO_LONG', { status: 422, message: 'The name is too long (at most 100).', field: 'name' });
    if (NAME_FORBIDDEN.test(name))
      throw AppError.of('INVALID_CHARACTERS', {
        status: 422,
        message: 'The name contains characters that are not allowed.',
        field: 'name',
      });
    const address = deps.clientAddress(req);
    // The network, hashed: the table keeps it a day for the limits, and needs no address to count.
    const network =
      address.distinct && address.ip !== null
        ? createHash('sha256').update(signInNetwork(address.ip)).digest('base64url')
        : '';
    let outcome;
    try {
      // The mail goes in the widget's language (its `lang`), else the site's, else the browser's.
      const lang = pickReaderLanguage({
        lang: bodyString(req, 'lang', false),
        siteLanguage: site.settings.language,
        acceptLanguage: req.get('accept-language'),
      });
      outcome = await requestEmailSignIn(db, { siteId: site.id, email, name, network, lang });
    } catch (err) {
      throw databaseDown(err, 'Sign-ins');
    }
    if (!outcome.ok) {
      const wait = outcome.retryAfter;
      throw AppError.of('RATE_LIMITED', {
        message: `Too many sign-in mails asked for just now; please try again in ${wait} second${wait === 1 ? '' : 's'}.`,
        retryAfter: wait,
      });
    }
    try {
      await emailQueue.add('sign-in', { signInId: outcome.id }, { jobId: `sign-in-${outcome.id}` });
    } catch (err) {
      throw AppError.of('QUEUE_UNAVAILABLE', {
        message: 'We cannot send mail this moment.',
        detail: err,
        retryAfter: 5,
      });
    }
    // The same answer for every well-formed address: nobody learns whether it is a known reader's.
    res.status(202).set('Cache-Control', 'no-store').json({ request: outcome.request, expiresAt: outcome.expiresAt });
  });

  router.post('/api/readers/email/poll', parseJson, async (req: Request, res: Response) => {
    jsonOnly(req);
    const site = await siteFor(req);
    const request = bodyString(req, 'request', true);
    let outcome;
    try {
      outcome = await pollEmailSignIn(db, { siteId: site.id, request, userAgent: req.get('user-agent') });
    } catch (err) {
      throw databaseDown(err, 'Sign-ins');
    }
    res.set('Cache-Control', 'no-store');
    if (outcome.status === 'pending') return res.status(202).json({ status: 'pending' });
    if (outcome.status !== 'signed-in')
      throw AppError.of('SIGN_IN_EXPIRED', {
        message:
          outcome.status === 'collected'
            ? 'This sign-in was already completed.'
            : 'This sign-in link has expired; please ask for a new one.',
      });
    res.status(200).json({
      token: outcome.session.token,
      expiresAt: outcome.session.expiresAt,
      reader: toReaderJson(outcome.reader),
    });
  });

  // The pages speak the language the sign-in was asked in (stored with it), else the browser's.
  const languageOf = (req: Request, stored: string): string =>
    pickReaderLanguage({ lang: stored, acceptLanguage: req.get('accept-language') });

  const gone = (req: Request, res: Response, state: Exclude<LinkState, { ok: true }>): void => {
    const lang = languageOf(req, state.lang);
    const w = wordsFor(lang).landing;
    const [title, message] =
      state.reason === 'used'
        ? [w.usedTitle, w.used]
        : state.reason === 'expired'
          ? [w.expiredTitle, plural(lang, EMAIL_LINK_MINUTES, w.signInExpired)]
          : [w.invalidTitle, w.signInInvalid];
    res
      .status(410)
      .set('Content-Language', lang)
      .type('html')
      .send(renderSignInMessage(lang, title, message));
  };

  const noStore = (res: Response): void => {
    // The link's token is in the URL: neither caches nor the next page's Referer may keep it.
    res.set('Cache-Control', 'no-store').set('Referrer-Policy', 'no-referrer');
  };

  router.get('/readers/email/confirm', async (req: Request, res: Response) => {
    noStore(res);
    const t = typeof req.query.t === 'string' ? req.query.t : '';
    let state;
    try {
      state = await inspectSignInLink(db, t);
    } catch (err) {
      // A person opened a link from their mail: they get a page, not the API's JSON.
      const down = databaseDown(err, 'Sign-ins');
      deps.logger.warn({ code: down.code, err: (err as Error).message }, 'email sign-in link: database unavailable');
      const lang = languageOf(req, '');
      const w = wordsFor(lang).landing;
      return res
        .status(down.status)
        .set('Retry-After', String(down.retryAfter ?? 5))
        .type('html')
        .send(renderSignInMessage(lang, w.busyTitle, w.busy));
    }
    if (!state.ok) return gone(req, res, state);
    const lang = languageOf(req, state.lang);
    res
      .set('Content-Language', lang)
      .type('html')
      .send(renderEmailConfirm({ token: t, siteName: state.siteName, lang }));
  });

  router.post('/readers/email/confirm', parseForm, async (req: Request, res: Response) => {
    noStore(res);
    let outcome;
    try {
      outcome = await confirmSignInLink(db, formText(req, 't'));
    } catch (err) {
      throw databaseDown(err, 'Sign-ins');
    }
    if (!outcome.ok) return gone(req, res, outcome);
    const lang = languageOf(req, outcome.lang);
    res.status(200).set('Content-Language', lang).type('html').send(renderEmailSignedIn(outcome.siteName, lang));
  });

  return router;
}
