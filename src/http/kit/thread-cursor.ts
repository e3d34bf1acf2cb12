import { isUuid } from '../../domain/comment-fields.js';
import type { ThreadCursor } from '../../store/comments.js';

/** Opaque cursor for thread pages: base64url of "received_at|id", or "score|received_at|id" for "top". */
export function encodeCursor(c: ThreadCursor): string {
  const text = `${c.receivedAt.toISOString()}|${c.id}`;
  return Buffer.from(c.score === undefined ? text : `${c.score}|${text}`).toString('base64url');
}

/** The cursor, or null when the string is not one we made. */
export function decodeCursor(value: string): ThreadCursor | null {
  const parts = Buffer.from(value, 'base64url').toString('utf8').split('|');
  const scored = parts.length === 3;
  if (parts.length !== 2 && !scored) return null;
  const [time, id] = scored ? parts.slice(1) : parts;
  if (time === undefined || id === undefined || !isUuid(id)) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(time)) return null;
  const receivedAt = new Date(time);
  if (Number.isNaN(receivedAt.getTime())) return null;
  if (!scored) return { receivedAt, id };
  const score = Number(parts[0]);
  // A Wilson bound is in [0, 1]; anything else was not made here.
  if (!/^\d(\.\d+)?(e-\d+)?$/.test(parts[0] as string) || !(score >= 0 && score <= 1)) return null;
  return { receivedAt, id, score };
}
