import { isUuid } from '../../domain/comment-fields.js';
import type { ThreadCursor } from '../../store/comments.js';

/** Opaque cursor for thread pages: base64url of "received_at|id". */
export function encodeCursor(c: ThreadCursor): string {
  return Buffer.from(`${c.receivedAt.toISOString()}|${c.id}`).toString('base64url');
}

/** The cursor, or null when the string is not one we made. */
export function decodeCursor(value: string): ThreadCursor | null {
  const [time, id, extra] = Buffer.from(value, 'base64url').toString('utf8').split('|');
  if (time === undefined || id === undefined || extra !== undefined || !isUuid(id)) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time)) return null;
  const receivedAt = new Date(time);
  return Number.isNaN(receivedAt.getTime()) ? null : { receivedAt, id };
}
