import type { PublicComment } from '../../store/comments.js';
import { encodeCursor } from '../kit/thread-cursor.js';

/** One comment as a thread answer (and a live thread's `comment` event) carries it: one shape for both. */
export function toThreadItem(c: PublicComment, showVotes: boolean): Record<string, unknown> {
  return {
    id: c.id,
    parent: c.parentId,
    depth: c.depth,
    // Never an email, never the reader's id or identity (issue 14): what the thread shows of its author.
    author: {
      name: c.author,
      verified: c.authorVerified,
      ...(c.authorStaff ? { staff: true } : {}),
      ...(c.authorAvatar ? { avatar: c.authorAvatar } : {}),
    },
    website: c.website || null,
    html: c.html,
    createdAt: c.createdAt.toISOString(),
    ...(c.editedAt ? { editedAt: c.editedAt.toISOString() } : {}),
    // Vote counts (issue 15) while the site counts votes; a reader's own marks come from elsewhere.
    ...(showVotes ? { up: c.up, down: c.down } : {}),
    ...(c.featuredAt ? { featured: true, featuredAt: c.featuredAt.toISOString() } : {}),
    ...(c.moreReplies ? { moreReplies: encodeCursor(c.moreReplies) } : {}),
  };
}
