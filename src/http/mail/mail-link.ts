import type { Request, Response } from 'express';
import type { ReadTokenResult } from '../../mail/mail-tokens.js';

/**
 * Where a link's token is: the confirmation pages post it in the form; the links themselves carry it
 * in the query. RFC 8058's one-click unsubscribe POSTs to the List-Unsubscribe URL, so there the
 * query's token wins over the form's ("List-Unsubscribe=One-Click" is its only field).
 */
export function mailTokenOf(req: Request): unknown {
  if (
    req.method === 'POST' &&
    req.path.toLowerCase().replace(/\/$/, '') === '/mail/unsubscribe' &&
    typeof req.query.token === 'string'
  )
    return req.query.token;
  const fromBody = (req.body as Record<string, unknown> | undefined)?.token;
  return fromBody ?? req.query.token;
}

/** The checked token of this request (the door ran): its claims, or why it is refused. Each route words its own refusal. */
export function mailLinkOf(res: Response): ReadTokenResult {
  return res.locals.mailLink as ReadTokenResult;
}
