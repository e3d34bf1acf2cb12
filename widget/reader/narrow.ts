/** Answers arrive as `unknown`; these narrow them (as api.ts does for embed.js). */
import type { Reader, ReaderSession } from '../session';

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A sign-in answer (`{token, expiresAt, reader}`, or the popup's message) narrowed, or null. */
export function toSession(v: unknown, sub?: string): ReaderSession | null {
  const b = isObject(v) ? v : {};
  const r = isObject(b.reader) ? b.reader : {};
  if (
    typeof b.token !== 'string' ||
    !b.token.startsWith('rdr_') ||
    typeof r.id !== 'string' ||
    typeof r.name !== 'string'
  )
    return null;
  const reader: Reader = {
    id: r.id,
    name: r.name,
    via: String(r.via),
    notifyReplies: r.notifyReplies === true,
    ...(typeof r.email === 'string' ? { email: r.email } : {}),
  };
  return { token: b.token, expiresAt: String(b.expiresAt), reader, ...(sub === undefined ? {} : { sub }) };
}
