import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

/**
 * A submission as the API queues it and the worker reads it: the reader's fields plus what only the
 * server knows (id, site, IP, time). The worker parses it again with this schema because a queue is a
 * trust boundary too (old payloads, hand-added jobs).
 */
export const submissionSchema = z.object({
  id: z.uuid(),
  siteId: z.string().min(1),
  page: z.string(),
  pageUrl: z.string().nullable(),
  pageTitle: z.string().nullable(),
  parentId: z.string().nullable(),
  author: z.string(),
  email: z.string(),
  url: z.string(),
  body: z.string(),
  /** The hidden field bots fill in. */
  honeypot: z.string(),
  key: z.string().nullable(),
  ip: z.string().nullable(),
  /**
   * The IP is shared by every reader (a proxy's own address, loopback): IP-based rules skip it. Left
   * out (jobs queued before it existed): decided from the address alone.
   */
  ipShared: z.boolean().optional(),
  userAgent: z.string(),
  referrer: z.string(),
  receivedAt: z.iso.datetime({ offset: true }),
  source: z.enum(['json', 'form']),
  /** The reader asked for a mail when someone replies (left out by payloads queued before it existed). */
  notifyReplies: z.boolean().optional(),
  /*
   * Flood defence and Akismet (issue 5); optional, so jobs queued by an older API still parse.
   */
  /** What intake made of the signed form token (src/flood/form-token.ts); left out: missing. */
  formToken: z.enum(['valid', 'missing', 'forged', 'expired', 'mismatch', 'replayed']).optional(),
  /** When the form was rendered, from a token signed here. */
  formRenderedAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** The site was in surge mode at intake (src/flood/intake-guard.ts). */
  surge: z.boolean().optional(),
  /** The page's language as the widget or form knew it ('' unknown), for Akismet's blog_lang. */
  lang: z.string().max(35).optional(),
  /**
   * The signed-in reader who wrote it (issue 14), as intake found them from the bearer token: `author`,
   * `email` and `url` above are then theirs, not typed. Left out: a guest. Trust is not carried here:
   * the worker reads it fresh (a ban or trust given meanwhile counts).
   */
  reader: z
    .object({
      id: z.number().int().positive(),
      /** Shown as "Staff" (src/readers/reader-store.ts: a moderator of the site with the badge on). */
      staff: z.boolean(),
      avatar: z.string().max(2000),
    })
    .optional(),
});

export type Submission = z.output<typeof submissionSchema>;

// Fixed namespace for ids derived from idempotency keys; changing it would break retries in flight.
const KEY_NAMESPACE = '6f1c2a4e-8a1b-4d0e-9d7c-3b5e2f1a9c40';

/**
 * The comment's id. With a client idempotency key the id is derived from (site, key), so a retry of the
 * same submission maps to the same queue job and the same row; without one it is a fresh,
 * time-ordered UUIDv7.
 */
export function mintCommentId(siteId: string, key: string | null): string {
  return key === null ? uuidv7() : uuidv5(`${siteId}\n${key}`, KEY_NAMESPACE);
}
