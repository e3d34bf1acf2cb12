import type { Request } from 'express';
import { LINE_FORBIDDEN } from '../../domain/forbidden-characters.js';
import { byteLength } from '../../domain/field-limits.js';
import { AppError } from '../../errors.js';

/*
 * Query and path values of the public reads, narrowed before anything reaches SQL. Postgres refuses a
 * NUL in text outright, and a refused value in a read that shares its statement with other readers'
 * (src/store/batched/thread-versions.ts) would fail them all; a 400 naming the field here costs nobody else.
 */

/** The longest query value any public read takes (a page identifier: fieldLimits.page is 1000). */
export const MAX_QUERY_VALUE_BYTES = 2000;

/**
 * Percent-encoded bytes that are not UTF-8 (`%FF`, `%C3%28`): Express' query parser keeps such a value
 * as its raw text, so the check is made on the URL as sent. Null when every value of those names
 * decodes, else the name of the first that does not.
 */
function badlyEncoded(req: Request, names: readonly string[]): string | null {
  const raw = req.originalUrl;
  const q = raw.indexOf('?');
  if (q < 0) return null;
  for (const part of raw.slice(q + 1).split('&')) {
    const eq = part.indexOf('=');
    const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
    // A name that does not decode is none of ours; qs keeps it raw and nothing reads it.
    if (key === null || !names.includes(key)) continue;
    if (safeDecode(eq < 0 ? '' : part.slice(eq + 1)) === null) return key;
  }
  return null;
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** A value from the URL that can be text for Postgres: 400 with the field named when it cannot. */
export function checkText(value: string, field: string, maxBytes = MAX_QUERY_VALUE_BYTES): string {
  if (LINE_FORBIDDEN.test(value))
    throw AppError.of('INVALID_CHARACTERS', {
      status: 400,
      message: `"${field}" contains characters that are not allowed.`,
      field,
    });
  if (byteLength(value) > maxBytes)
    throw AppError.of('TOO_LONG', {
      status: 400,
      message: `"${field}" is too long (at most ${maxBytes} bytes).`,
      field,
    });
  return value;
}

/**
 * The one string a public read takes as `name`: never an array (`?page=a&page=b`) or an object
 * (`?page[x]=1`), text Postgres can store, within `maxBytes`. Null when absent and not required.
 */
export function oneQueryString(
  req: Request,
  name: string,
  required: boolean,
  maxBytes = MAX_QUERY_VALUE_BYTES,
): string | null {
  const v = req.query[name];
  if (v === undefined || v === '') {
    if (required)
      throw AppError.of('REQUIRED', { status: 400, message: `The query parameter "${name}" is missing.`, field: name });
    return null;
  }
  if (typeof v !== 'string') throw AppError.of('INVALID_TYPE', { message: `Give "${name}" once.`, field: name });
  if (badlyEncoded(req, [name]) !== null)
    throw AppError.of('INVALID_ENCODING', { message: `"${name}" is not valid UTF-8.`, field: name });
  return checkText(v, name, maxBytes);
}

/**
 * A plain text value from the query for a page to show or filter by (a notice after a redirect, a
 * filter, a cursor), trimmed; null when absent, blank, or not a single string. For values that go on
 * to SQL in a public read, {@link oneQueryString} checks more.
 */
export function queryText(req: Request, name: string): string | null {
  const v = req.query[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Every value of a repeatable parameter (`?page=a&page=b`), each checked as {@link oneQueryString}'s. */
export function queryStrings(req: Request, name: string, maxBytes = MAX_QUERY_VALUE_BYTES): string[] {
  const raw = req.query[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.some((v) => typeof v !== 'string'))
    throw AppError.of('INVALID_TYPE', { message: `Each "${name}" must be text.`, field: name });
  if (badlyEncoded(req, [name]) !== null)
    throw AppError.of('INVALID_ENCODING', { message: `"${name}" is not valid UTF-8.`, field: name });
  return (list as string[]).filter((v) => v !== '').map((v) => checkText(v, name, maxBytes));
}
