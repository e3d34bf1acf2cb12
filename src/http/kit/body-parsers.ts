import { isUtf8 } from 'node:buffer';
import express, { type RequestHandler } from 'express';
import { AppError } from '../../errors.js';

/*
 * Body parsing for the comment endpoint. Limits leave room for a 65,525-byte comment even when every
 * byte is escaped, and no more. Compressed bodies are refused (415) rather than inflated, so a gzip
 * bomb costs us nothing. Invalid UTF-8 is refused instead of being silently replaced with U+FFFD, so
 * what we store is what the reader sent.
 */

const MAX_JSON = '512kb';
const MAX_FORM = '512kb';

class InvalidEncodingError extends Error {}

function verifyUtf8(_req: unknown, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw new InvalidEncodingError('body is not valid UTF-8');
}

function verifyFormUtf8(req: unknown, res: unknown, buf: Buffer): void {
  verifyUtf8(req, res, buf);
  // Percent-escapes can spell invalid UTF-8 too (%FF); decodeURIComponent refuses exactly those.
  for (const part of buf.toString('latin1').split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new InvalidEncodingError('form field is not valid UTF-8');
    }
  }
}

export const parseJson: RequestHandler = express.json({
  limit: MAX_JSON,
  inflate: false,
  strict: true,
  verify: verifyUtf8,
});
export const parseForm: RequestHandler = express.urlencoded({
  limit: MAX_FORM,
  inflate: false,
  extended: false,
  parameterLimit: 100,
  verify: verifyFormUtf8,
});

/** Which parser a comment body needs, or the 415 it earns: JSON or a classic form post, UTF-8 only. */
function commentBodyType(req: Parameters<RequestHandler>[0]): 'json' | 'form' | AppError {
  const type = req.is(['application/json', 'application/x-www-form-urlencoded']);
  if (!type) {
    return AppError.of('UNSUPPORTED_MEDIA_TYPE');
  }
  // UTF-8 only: body-parser would decode UTF-16 JSON, and the invalid-UTF-8 check reads raw bytes.
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.get('content-type') ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return AppError.of('UNSUPPORTED_CHARSET');
  }
  return type === 'application/json' ? 'json' : 'form';
}

/**
 * The comment endpoint's body: 415 unless JSON or a classic form post, then read by the one parser
 * for its type. One middleware rather than three (check, JSON, form): on the intake path every layer
 * and every content-type check is paid per comment.
 */
export const parseCommentBody: RequestHandler = (req, res, next) => {
  const type = commentBodyType(req);
  if (type instanceof AppError) return next(type);
  return (type === 'json' ? parseJson : parseForm)(req, res, next);
};

/** Maps body-parser's errors (which carry a `type`) to ours; anything else is returned as is. */
export function toBodyParserAppError(err: unknown): AppError | null {
  const e = err as { type?: string; status?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return AppError.of('INVALID_JSON');
    case 'entity.too.large':
      return AppError.of('PAYLOAD_TOO_LARGE');
    case 'entity.verify.failed':
      return AppError.of('INVALID_ENCODING', { message: 'The request body is not valid UTF-8 text.' });
    case 'charset.unsupported':
      return AppError.of('UNSUPPORTED_CHARSET');
    case 'encoding.unsupported':
      return AppError.of('UNSUPPORTED_ENCODING');
    case 'parameters.too.many':
      return AppError.of('TOO_MANY_FIELDS');
    case 'request.aborted':
      return AppError.of('REQUEST_ABORTED');
    case 'request.size.invalid':
      return AppError.of('INVALID_LENGTH');
    default:
      if (e.type !== undefined && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
        return AppError.of('BAD_REQUEST', { status: e.status });
      }
      return null;
  }
}
