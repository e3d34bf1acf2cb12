import type { RequestHandler } from 'express';
import { AppError } from '../../errors.js';

/*
 * The dashboard's edge check on every query and form value (search fields, ban values, settings, edit
 * bodies, the sign-in email): a NUL byte, or any other control character than tab and line breaks,
 * is refused with a 400 naming the field. Postgres cannot store a NUL in text, and a value that reached
 * it answered 500; no field of the dashboard means anything with the others either.
 */

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// The same characters percent-encoded in the path (a site id, a job id).
const ENCODED_CONTROL_IN_PATH = /%(?:[01][0-9a-f]|7f)/i;
/** Never stored nor sent to Postgres (hashed, then compared): refusing one would lock its owner out. */
const UNCHECKED_FIELDS = new Set(['password']);

/** The first field whose value (at any depth) holds a control character, or null. */
export function findControlCharacterField(values: unknown): string | null {
  if (typeof values !== 'object' || values === null) return null;
  const holds = (v: unknown, depth: number): boolean => {
    if (typeof v === 'string') return CONTROL.test(v);
    if (depth > 10 || typeof v !== 'object' || v === null) return false;
    return Object.entries(v).some(([k, inner]) => CONTROL.test(k) || holds(inner, depth + 1));
  };
  for (const [name, v] of Object.entries(values)) {
    if (UNCHECKED_FIELDS.has(name)) continue;
    if (CONTROL.test(name) || holds(v, 0)) return name.replace(CONTROL, '?');
  }
  return null;
}

function refuse(field: string): AppError {
  return AppError.of('INVALID_CHARACTERS', {
    status: 400,
    message: `“${field}” contains a control character (such as a NUL byte); remove it and try again.`,
    field,
  });
}

/** Runs after the body parsers, before anything reads a value. */
export const rejectControlCharacters: RequestHandler = (req, _res, next) => {
  const path = req.originalUrl.split('?')[0] ?? '';
  if (ENCODED_CONTROL_IN_PATH.test(path)) return next(refuse('path'));
  const field = findControlCharacterField(req.query) ?? findControlCharacterField(req.body);
  next(field === null ? undefined : refuse(field));
};
