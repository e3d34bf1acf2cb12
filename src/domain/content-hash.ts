import { createHash } from 'node:crypto';

/**
 * Fingerprint of "the same comment again": same site, page, parent, author and text. Whitespace at
 * the ends and the email's case do not make a comment new.
 */
export function contentHash(c: {
  siteId: string;
  page: string;
  parentId: string | null;
  author: string;
  email: string;
  body: string;
}): Buffer {
  const parts = [c.siteId, c.page, c.parentId ?? '', c.author.trim(), c.email.trim().toLowerCase(), c.body.trim()];
  // NUL cannot occur in any of the parts (intake refuses it), so it separates them unambiguously.
  return createHash('sha256').update(parts.join('\u0000')).digest();
}
