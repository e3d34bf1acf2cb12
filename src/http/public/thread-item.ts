import { toAvatarUrl, type AvatarOptions } from '../../domain/avatar-url.js';
import type { PublicComment } from '../../store/comments.js';
import { encodeCursor } from '../kit/thread-cursor.js';

/** What a thread item depends on besides the comment: the site's settings and the avatar key. */
export interface ThreadItemOptions {
  /** The site counts votes (`votes` is not `off`). */
  showVotes: boolean;
  avatar: AvatarOptions;
}

/** One comment as a thread answer (and a live thread's `comment` event) carries it: one shape for both. */
export function toThreadItem(c: PublicComment, opts: ThreadItemOptions): Record<string, unknown> {
  return {
    id: c.id,
    parent: c.parentId,
    depth: c.depth,
    // Never an email, never the reader's id or identity (issue 14): what the thread shows of its author.
    // The avatar is made of them but reveals neither (src/domain/avatar-url.ts).
    author: {
      name: c.author,
      verified: c.authorVerified,
      ...(c.authorStaff ? { staff: true } : {}),
      avatar: toAvatarUrl(
        { avatar: c.authorAvatar, readerId: c.readerId, email: c.authorEmail, name: c.author },
        opts.avatar,
      ),
    },
    website: c.website || null,
    html: c.html,
    createdAt: c.createdAt.toISOString(),
    ...(c.editedAt ? { editedAt: c.editedAt.toISOString() } : {}),
    // Vote counts (issue 15) while the site counts votes; a reader's own marks come from elsewhere.
    ...(opts.showVotes ? { up: c.up, down: c.down } : {}),
    ...(c.featuredAt ? { featured: true, featuredAt: c.featuredAt.toISOString() } : {}),
    ...(c.moreReplies ? { moreReplies: encodeCursor(c.moreReplies) } : {}),
  };
}
