/**
 * Byte limits of a comment's fields, as WordPress sets them (wp_get_comment_fields_max_lengths), so a
 * comment that fits an existing theme's form fits here and imports both ways.
 */
export const fieldLimits = {
  author: 245,
  email: 100,
  url: 200,
  body: 65_525,
  page: 1000,
  pageTitle: 500,
  pageUrl: 2000,
  key: 200,
  honeypot: 1000,
} as const;

export type LimitedField = keyof typeof fieldLimits;

/** Length in UTF-8 bytes, which is what the limits count. */
export function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}
