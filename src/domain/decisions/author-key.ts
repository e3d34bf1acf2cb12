/*
 * Who a commenter profile is about (issue 16): a signed-in reader, by their id, or a guest, by the
 * email they typed. The same split as the queue's history and the worker's first-comment rule
 * (src/store/moderation-queue.ts): a guest typing a reader's email shares nothing with that reader.
 * Stored as text (`reader:12`, `guest:ann@example.org`); the desk's cards carry the same key in
 * `data-author`.
 */

export type AuthorRef = { kind: 'reader'; readerId: number } | { kind: 'guest'; email: string };

const EMAIL = /^[^@\s]+@[^@\s]+$/;

export function toAuthorKey(ref: AuthorRef): string {
  return ref.kind === 'reader' ? `reader:${ref.readerId}` : `guest:${ref.email.trim().toLowerCase()}`;
}

/** The author a key names, or null for anything else (a typed URL, a tampered form). */
export function parseAuthorKey(value: string): AuthorRef | null {
  const v = value.trim();
  const reader = /^reader:([1-9][0-9]{0,14})$/.exec(v);
  if (reader) return { kind: 'reader', readerId: Number(reader[1]) };
  if (v.startsWith('guest:')) {
    const email = v.slice('guest:'.length).toLowerCase();
    return EMAIL.test(email) && email.length <= 254 ? { kind: 'guest', email } : null;
  }
  return null;
}

/** A comment's author: its reader when signed in, else its typed email; null for a guest without one. */
export function authorOfComment(c: { readerId: number | null; email: string }): AuthorRef | null {
  if (c.readerId !== null) return { kind: 'reader', readerId: c.readerId };
  return c.email !== '' ? { kind: 'guest', email: c.email.toLowerCase() } : null;
}
