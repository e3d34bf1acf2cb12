import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../store/db.js';
import { loadOrCreateSecret } from '../store/secrets.js';

/*
 * A guest's key to edit or delete their own comment (issue 14): HMAC-SHA256 of the comment's id under
 * a key the service keeps in app_secrets. Nothing is stored per comment; the 202 answer carries the
 * key once, and the widget keeps it with the comment in the browser that wrote it. Signed-in readers
 * need none: their reader token says who they are.
 */
export const EDIT_KEY_SECRET = 'comment-edit-keys';

export interface EditKeys {
  mint(commentId: string): Promise<string>;
  check(commentId: string, key: string): Promise<boolean>;
}

export function createEditKeys(db: Queryable): EditKeys {
  let secret: Promise<string> | null = null;
  const load = (): Promise<string> => {
    // Loaded once; a failed load is tried again on the next call rather than remembered.
    secret ??= loadOrCreateSecret(db, EDIT_KEY_SECRET).catch((err: unknown) => {
      secret = null;
      throw err;
    });
    return secret;
  };
  const mac = (key: string, id: string): Buffer =>
    createHmac('sha256', key).update(`edit\n${id.toLowerCase()}`).digest();
  return {
    async mint(commentId) {
      return mac(await load(), commentId).toString('base64url');
    },
    async check(commentId, key) {
      if (!/^[A-Za-z0-9_-]{43}$/.test(key)) return false;
      const want = mac(await load(), commentId);
      return timingSafeEqual(want, Buffer.from(key, 'base64url'));
    },
  };
}
