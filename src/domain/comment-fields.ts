import { z } from 'zod';
import type { FieldError } from '../errors.js';
import { byteLength, fieldLimits } from './field-limits.js';
import type { SiteSettings } from './site-settings.js';

/** The reader-written fields of a comment after trimming; what both the API and the worker check. */
export interface CommentFields {
  page: string;
  parentId: string | null;
  author: string;
  email: string;
  url: string;
  body: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const emailSchema = z.email();
// With the u flag this matches only unpaired surrogates, which are not valid Unicode text.
const loneSurrogate = /[\uD800-\uDFFF]/u;
// C0 and C1 controls, bidi overrides/isolates that can disguise a name ("evil\u202Egnp.exe"), and
// invisible characters that make "Admin\u200B" look like "Admin". Joiners (U+200C/D) stay: Persian,
// Indic scripts and emoji sequences need them.
const nameForbidden =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
// Comment text may hold tabs and line breaks, nothing else below U+0020.
const bodyForbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

function tooLong(field: keyof typeof fieldLimits, label: string, value: string): FieldError | null {
  const limit = fieldLimits[field];
  return byteLength(value) > limit
    ? { field, code: 'TOO_LONG', message: `${label} is too long (at most ${limit} bytes).` }
    : null;
}

function badCharacters(field: string, label: string, value: string, forbidden: RegExp): FieldError | null {
  if (loneSurrogate.test(value) || forbidden.test(value)) {
    return { field, code: 'INVALID_CHARACTERS', message: `${label} contains characters that are not allowed.` };
  }
  return null;
}

/**
 * A website as WordPress stores it (esc_url_raw): one typed without a scheme, `user.example.org`, gets
 * `http://` in front, since real themes' forms are `novalidate` and readers type addresses that way.
 * Anything with a scheme of its own (`javascript:`, `ftp://`) is left as typed, for isAllowedWebsite to
 * refuse. A "scheme" with a dot in it is a host with a port (`user.example.org:8080/`), not a scheme.
 */
export function toWebsite(value: string): string {
  if (value === '' || value.startsWith('/')) return value;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  if (scheme !== null && (!scheme[1]!.includes('.') || value.startsWith('//', scheme[0].length))) return value;
  return `http://${value}`;
}

/** http(s) only, no user:password@ (a classic way to disguise where a link goes). */
export function isAllowedWebsite(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Every problem with a comment's fields under a site's settings, first problem first. Pure: the API
 * runs it to answer 422 at once, and the worker runs it again because settings may change in between.
 */
export function findFieldErrors(
  fields: CommentFields,
  settings: Pick<SiteSettings, 'requireName' | 'requireEmail'>,
): FieldError[] {
  const errors: (FieldError | null)[] = [];
  const { page, parentId, author, email, url, body } = fields;

  if (body.trim() === '') errors.push({ field: 'body', code: 'REQUIRED', message: 'Please type your comment.' });
  else errors.push(tooLong('body', 'The comment', body) ?? badCharacters('body', 'The comment', body, bodyForbidden));

  if (author === '') {
    if (settings.requireName) errors.push({ field: 'author', code: 'REQUIRED', message: 'Please fill in your name.' });
  } else
    errors.push(tooLong('author', 'The name', author) ?? badCharacters('author', 'The name', author, nameForbidden));

  if (email === '') {
    if (settings.requireEmail)
      errors.push({ field: 'email', code: 'REQUIRED', message: 'Please fill in your email address.' });
  } else {
    errors.push(
      tooLong('email', 'The email address', email) ??
        (emailSchema.safeParse(email).success
          ? null
          : { field: 'email', code: 'INVALID_EMAIL', message: 'Please enter a valid email address.' }),
    );
  }

  if (url !== '') {
    errors.push(
      tooLong('url', 'The website', url) ??
        (isAllowedWebsite(url)
          ? null
          : { field: 'url', code: 'INVALID_URL', message: 'The website must be an http:// or https:// address.' }),
    );
  }

  if (page === '') errors.push({ field: 'page', code: 'REQUIRED', message: 'The page of the comment is missing.' });
  else
    errors.push(
      tooLong('page', 'The page identifier', page) ?? badCharacters('page', 'The page identifier', page, nameForbidden),
    );

  if (parentId !== null && !isUuid(parentId)) {
    errors.push({
      field: 'parent',
      code: 'INVALID_PARENT',
      message: 'The comment you are replying to does not exist.',
    });
  }
  return errors.filter((e): e is FieldError => e !== null);
}
