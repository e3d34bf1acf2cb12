import express, { Router } from 'express';
import { loadMailKey, readMailToken } from '../../mail/mail-tokens.js';
import type { Pool } from '../../store/db.js';
import { mailTokenOf } from './mail-link.js';
import { createMailRoutes, type MailRoutesDeps } from './mail-routes.js';
import { createAppealLinkRoutes } from './appeal-routes.js';
import type { OnAppealOpened } from '../../moderation/appeal-opened.js';

/** The paths of links in mails; the door reads a token on these only (anything else is a 404 as before). */
export const MAIL_PATHS = ['/mail/moderate', '/mail/unsubscribe', '/mail/confirm', '/mail/appeal'] as const;

// 16 KB: an appeal's statement (at most 2,000 characters, percent-encoded) fits.
const parseForm = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

/**
 * The mail wing's door: links in mails, for people who are not signed in. The signed token is the
 * whole authority: there is no session and so no CSRF token (a forged POST would need the token,
 * which is the secret). The door parses the form and checks the token once, against the install's
 * mail key and the clock; routes read the result with `mailLinkOf` (mail-link.ts) and check its kind.
 */
export function createMailDoor(
  deps: MailRoutesDeps & { db: Pool; publicUrl?: string; onAppealOpened?: OnAppealOpened },
): Router {
  const router = Router();
  let key: Promise<string> | null = null;
  // Loaded once, on the first link opened; a failed load is tried again on the next.
  const mailKey = (): Promise<string> => {
    key ??= loadMailKey(deps.db).catch((err: unknown) => {
      key = null;
      throw err;
    });
    return key;
  };
  router.post([...MAIL_PATHS], parseForm);
  router.all([...MAIL_PATHS], async (req, res, next) => {
    res.locals.mailLink = readMailToken(await mailKey(), mailTokenOf(req), Math.floor(Date.now() / 1000));
    next();
  });
  router.use(createMailRoutes(deps));
  // Statements of reasons' appeal links (issue 16).
  router.use(createAppealLinkRoutes(deps));
  return router;
}
