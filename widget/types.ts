/*
 * What the widget reads from the Reply Desk API. Every answer arrives as `unknown` and is narrowed in
 * api.ts before any of it is used; these are the shapes after that narrowing.
 */

/** A published comment as GET /api/comments lists it. */
export interface ApiComment {
  id: string;
  parent: string | null;
  /** 0 for a top-level comment. */
  depth: number;
  /** The author's name (the API's `author.name`). */
  author: string;
  /** Written by a signed-in reader: the name is their verified identity's (`author.verified`). */
  verified?: boolean;
  /** A moderator of the site (`author.staff`). */
  staff?: boolean;
  /** The author's avatar URL (`author.avatar`), http(s) only. */
  avatar?: string | null;
  /** When its text was changed after it was written; shown as "edited". */
  editedAt?: string | null;
  website: string | null;
  /** Sanitised on the server; the only form of the reader's text the widget ever shows. */
  html: string;
  createdAt: string;
  /** Newest first, on a conversation's root: the cursor its other replies load from (null: all are here). */
  moreReplies?: string | null;
  /** With votes on (not narrowed in api.ts: the conversation part reads them). */
  up?: unknown;
  down?: unknown;
  featured?: unknown;
}

/** One page of a thread. */
export interface ThreadPage {
  comments: ApiComment[];
  nextCursor: string | null;
  /** Approved comments on the page; only on the first page. */
  total: number | null;
  /** The page takes no more comments (by hand or after the site's days): no form, no Reply. */
  closed: boolean;
}

/** GET /api/sites/:id/public: the settings the form must follow. Never origins or word lists. */
export interface SiteInfo {
  requireName: boolean;
  requireEmail: boolean;
  maxDepth: number;
  /** URL template of the flag endpoint (`{id}` = comment id), or null when flagging is not offered. */
  flagUrl: string | null;
  /** Signed form token (render time, site, page) sent back with each comment; '' when none. */
  formToken: string;
  /** The server can mail replies (SMTP is set up), so the form offers it. */
  replyMail: boolean;
  /** The page takes no more comments. */
  closed: boolean;
  /*
   * A page's state beyond open or closed (issue 16), as the API sent it: narrowed by the conversation's
   * extras (showPageState), which only such a page fetches. closedUntil: closed outside the desk's
   * staffed hours until this ISO instant; reviewed: every comment waits for a moderator here;
   * reviewedUntil: outside staffed hours, when the desk opens.
   */
  closedUntil?: unknown;
  reviewed?: unknown;
  reviewedUntil?: unknown;
  /** Guests may comment; false: only signed-in readers (the form shows only the sign-in choices). */
  guests: boolean;
  /** How long an author may edit or delete their own comment; 0: not at all. */
  editWindowMinutes: number;
  /** The sign-in methods the site offers and has set up. */
  signIn: { sso: boolean; email: boolean; providers: { id: string; name: string }[] };
  /** The conversation's settings, as the API sent them (the conversation part narrows them). */
  votes?: unknown;
  guestVotes?: unknown;
  defaultSort?: unknown;
  /** The site's language for pages that name none ('auto': none). */
  language?: unknown;
}

/** One field problem from a 422 (or a rejected submission). */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** GET /api/comments/:id for the reader who sent it. */
export interface SubmissionStatus {
  status: 'queued' | 'published' | 'held' | 'rejected';
  html: string | null;
  errors: FieldError[];
  /** A moderator's removal with a reason from the site's list (issue 16): its label and note. */
  decision?: { label: string; note: string };
}

/** The thread's order: oldest first (conversation), newest conversations first, or by their root's votes. */
export type Order = 'oldest' | 'newest' | 'top';
