import { createHash, createHmac } from 'node:crypto';

/*
 * Which picture stands beside an author's name (issue 15). A reader's own picture (their SSO or OpenID
 * `picture`) comes first. Otherwise an identicon we draw ourselves (src/domain/identicon.ts), named by
 * an HMAC under a secret only the service knows: the URL tells nothing of the email or reader behind
 * it (a plain hash of an email is reversed by hashing a list of addresses), and no third party is
 * asked. Where the site turns `gravatar` on, a signed-in reader with an email gets Gravatar's picture
 * instead, the reader's browser asking gravatar.com (Gravatar's documented SHA-256 form, its own
 * identicon when the address has none). Only a signed-in reader: their email comes from their verified
 * identity, while a guest's is typed, and a guest typing a columnist's address must not wear her face.
 */

/** The app_secrets row the identicons' HMAC key is kept in: every API process names them alike. */
export const AVATAR_SECRET = 'avatars';

/** What the picture is drawn from: the columns of the comment row that say who wrote it. */
export interface AvatarAuthor {
  /** The reader's own avatar URL ('' for none). */
  avatar: string;
  /** The signed-in reader who wrote it, null for a guest. */
  readerId: number | null;
  /** The email as stored ('' for none): never in the URL itself. */
  email: string;
  name: string;
}

export interface AvatarOptions {
  /** The site's `gravatar` setting. */
  gravatar: boolean;
  /** Where this service answers (GET /avatars/… is ours). */
  publicUrl: string;
  /** The HMAC key (app_secrets AVATAR_SECRET). */
  secret: string;
}

/**
 * The identicon's hash for an author: one per reader (whatever name or email they use), else one per
 * guest email, else one per typed name (a guest without an email; an erased author's "").
 */
export function toAvatarHash(author: Pick<AvatarAuthor, 'readerId' | 'email' | 'name'>, secret: string): string {
  const who =
    author.readerId !== null
      ? `reader\n${author.readerId}`
      : author.email !== ''
        ? `email\n${author.email.trim().toLowerCase()}`
        : `name\n${author.name.trim()}`;
  return createHmac('sha256', secret).update(`avatar\n${who}`).digest('hex').slice(0, 32);
}

/** The avatar URL the thread carries for an author. */
export function toAvatarUrl(author: AvatarAuthor, opts: AvatarOptions): string {
  if (author.avatar !== '') return author.avatar;
  if (opts.gravatar && author.readerId !== null && author.email !== '') {
    const digest = createHash('sha256').update(author.email.trim().toLowerCase()).digest('hex');
    return `https://www.gravatar.com/avatar/${digest}?d=identicon&s=64`;
  }
  return `${opts.publicUrl}/avatars/${toAvatarHash(author, opts.secret)}.svg`;
}
