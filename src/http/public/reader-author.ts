import { isAllowedWebsite } from '../../domain/comment-fields.js';
import { byteLength, fieldLimits } from '../../domain/field-limits.js';
import type { Site } from '../../domain/site-settings.js';
import type { FieldError } from '../../errors.js';
import type { Reader } from '../../readers/reader-store.js';
import { findInputErrors, type CommentInput } from './comment-input.js';

/*
 * A signed-in reader's comment (issue 14): the author's name, email and website are the identity's,
 * whatever the body says, so a reader can neither mistype nor impersonate. The identity fields are
 * vouched for by the sign-in, not typed: they are not checked as typed fields (a reader without an
 * email comments on a site that requires one for guests; a name the host allows is not refused here).
 */

/** The fields a reader's identity fills in; what a request carried in them is ignored. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['author', 'email', 'url']);

/** The reader's website as a comment may link it: http(s) within the field's limit, else none. */
function readerWebsite(url: string): string {
  return url !== '' && byteLength(url) <= fieldLimits.url && isAllowedWebsite(url) ? url : '';
}

/** The input with the author's fields taken from the reader. */
export function withReaderIdentity(input: CommentInput, reader: Reader): CommentInput {
  return { ...input, author: reader.name, email: reader.email, url: readerWebsite(reader.url) };
}

/**
 * The errors of what a reader typed: every field but the identity's (left blank for the check, and
 * neither name nor email required, as the identity stands for both).
 */
export function findReaderInputErrors(input: CommentInput, site: Site): FieldError[] {
  const typed = { ...input, author: '', email: '', url: '' };
  const settings = { ...site.settings, requireName: false, requireEmail: false };
  return findInputErrors(typed, { ...site, settings });
}
