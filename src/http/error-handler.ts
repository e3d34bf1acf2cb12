import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { toBodyParserAppError } from './kit/body-parsers.js';
import { renderAdminErrorPage } from './desk/admin-error-page.js';
import { renderFormErrorPage } from './public/form-error-page.js';
import { pickReaderLanguage } from '../i18n/reader-language.js';

/** A classic form post gets an HTML page back, never JSON. */
function wantsHtml(req: Request): boolean {
  return req.method === 'POST' && req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

/** Dashboard pages and forms get a dashboard page; admin.js (Accept: application/json) gets JSON. */
function wantsAdminHtml(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'html';
}

/** A route's path value that is not percent-encoded UTF-8 (`/feeds/x/pages/%FF.atom`): the router's 400, as ours. */
function toPathDecodeError(err: unknown): AppError | null {
  if (!(err instanceof URIError) || (err as URIError & { status?: number }).status !== 400) return null;
  return AppError.of('INVALID_ENCODING', {
    message: 'The address holds a value that is not valid UTF-8.',
    field: 'path',
  });
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(AppError.of('NOT_FOUND'));
};

/**
 * The one place errors become responses: expected ones (AppError, body-parser's) with their status,
 * code and field; anything else is logged with an id and answered as a plain 500 that carries the id
 * and no detail.
 */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let appError = err instanceof AppError ? err : (toBodyParserAppError(err) ?? toPathDecodeError(err));
    if (appError === null) {
      const errorId = randomUUID();
      logger.error({ errorId, err, method: req.method, path: req.path }, 'unexpected error');
      appError = AppError.of('INTERNAL', { message: `Something went wrong on our side (error id ${errorId}).` });
    } else if (appError.status >= 500) {
      logger.warn({ code: appError.code, detail: appError.detail, path: req.path }, appError.message);
    }
    if (res.headersSent) return;
    if (appError.retryAfter !== undefined) res.set('Retry-After', String(appError.retryAfter));
    res.status(appError.status);
    const admin = req.originalUrl.startsWith('/admin');
    if (admin && wantsAdminHtml(req)) {
      res.type('html').send(renderAdminErrorPage(appError.status, appError.message, appError.fieldErrors));
      return;
    }
    if (!admin && wantsHtml(req)) {
      const back = typeof res.locals.backUrl === 'string' ? res.locals.backUrl : null;
      // The form's hidden reply_desk_lang (a body that could not be read has none), else the site's
      // language (once the post named a site we know), else Accept-Language.
      const body: unknown = req.body;
      const formLang =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).reply_desk_lang : null;
      const lang = pickReaderLanguage({
        lang: formLang,
        siteLanguage: res.locals.siteLanguage,
        acceptLanguage: req.get('accept-language'),
      });
      res.set('Content-Language', lang);
      res.type('html').send(renderFormErrorPage(appError, back, lang));
      return;
    }
    const body: { code: string; message: string; field?: string; errors?: unknown } = {
      code: appError.code,
      message: appError.message,
    };
    if (appError.field !== undefined) body.field = appError.field;
    if (appError.fieldErrors.length > 0) body.errors = appError.fieldErrors;
    res.json({ error: body });
  };
}
