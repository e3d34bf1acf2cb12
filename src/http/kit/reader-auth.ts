import type { Request } from 'express';
import { AppError } from '../../errors.js';
import { findReaderBySession } from '../../readers/reader-sessions.js';
import type { Reader } from '../../readers/reader-store.js';
import type { Queryable } from '../../store/db.js';
import { databaseDown } from './read-errors.js';

/** The bearer token of a request (`Authorization: Bearer …`), or null when it carries none. */
export function readBearer(req: Request): string | null {
  const header = req.get('authorization');
  if (header === undefined) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1]! : '';
}

/**
 * The signed-in reader of a request on `siteId`: null without an Authorization header (a guest); a
 * token that signs nobody in on this site is 401 READER_SIGNED_OUT, never a silent guest (a reader
 * whose session ended must learn it, not post under a typed name they did not type).
 */
export async function readReader(db: Queryable, req: Request, siteId: string): Promise<Reader | null> {
  const token = readBearer(req);
  if (token === null) return null;
  let reader: Reader | null;
  try {
    reader = token === '' ? null : await findReaderBySession(db, token, siteId);
  } catch (err) {
    throw databaseDown(err);
  }
  if (reader === null) throw AppError.of('READER_SIGNED_OUT');
  return reader;
}

/** As readReader, but a request without a token is 401 too (the readers' own routes). */
export async function requireReader(db: Queryable, req: Request, siteId: string): Promise<Reader> {
  const reader = await readReader(db, req, siteId);
  if (reader === null) throw AppError.of('READER_SIGNED_OUT', { message: 'Please sign in.' });
  return reader;
}
