/*
 * Every error code the HTTP API answers with, in one table: code → HTTP status → default public
 * message, and a one-line meaning for the README (its "Error codes" table is checked against this one
 * by tests/unit/error-catalogue.test.ts). Codes are a contract: the widget, the dashboard script and
 * other people's tools switch on them, so a code is never renamed or reused for something else; add a
 * new one instead.
 *
 * A code names a kind of problem, not one place: most are raised in several routes, each of which may
 * give a message of its own ("No such webhook.") in place of the default here. A few codes answer with
 * more than one status, for reasons older than this table that clients already rely on: a value that
 * cannot be read at all is a 400 (a query parameter, the body's shape), one the service reads and
 * refuses is a 422 (a form's or a comment's field). Those list every status they can have, and a
 * caller must say which one it means (AppError.of checks it against the list at compile time).
 *
 * The codes of field problems that reach the top level through AppError.fields (the first of a 422's
 * `errors`) are here too. Codes that only appear inside a submission's status (`DUPLICATE`,
 * `TOO_FAST`, …: the checks' verdicts) or on the admin's HTML forms are not HTTP errors and are not.
 */

/** One row of the catalogue. */
export interface ErrorEntry {
  /**
   * The HTTP status; a list when the code answers with several (the caller picks one); `'4xx'` for
   * BAD_REQUEST, which passes on the status of a body-parser error we have no code of our own for.
   */
  readonly status: number | readonly number[] | '4xx';
  /** The public message when the caller gives none. */
  readonly message: string;
  /** What it means, for the README's table: one line. */
  readonly meaning: string;
}

export const errorCatalogue = {
  // 400: the request cannot be read as it stands.
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.', meaning: 'the body is not valid JSON' },
  INVALID_BODY: {
    status: 400,
    message: 'The request body must be a JSON object.',
    meaning: 'the JSON body is not an object',
  },
  INVALID_TYPE: {
    status: 400,
    message: 'A value has the wrong type.',
    meaning: 'a body field has the wrong type, or a query parameter is given twice where one is expected',
  },
  INVALID_ENCODING: {
    status: 400,
    message: 'The request holds a value that is not valid UTF-8.',
    meaning: 'the body, a query parameter or a path segment is not valid UTF-8',
  },
  INVALID_LENGTH: {
    status: 400,
    message: 'The request body does not match its Content-Length.',
    meaning: 'the body is shorter or longer than its `Content-Length`',
  },
  REQUEST_ABORTED: {
    status: 400,
    message: 'The request was aborted.',
    meaning: 'the client went away while sending the body',
  },
  BAD_REQUEST: {
    status: '4xx',
    message: 'The request could not be read.',
    meaning: 'any other problem reading the body, with the status the body parser gave it',
  },
  INVALID_VALUE: {
    status: [400, 422],
    message: 'The request holds a value that cannot be read.',
    meaning:
      "400: Postgres refused a value of a public read; 422: a ban's value is not an email, IP (range), domain or a reader of the site",
  },
  INVALID_LIMIT: {
    status: 400,
    message: 'limit must be a whole number from 1 to 200.',
    meaning: "a thread's `limit` is not 1–200",
  },
  INVALID_ORDER: {
    status: 400,
    message: 'sort must be top, newest or oldest.',
    meaning: "a thread's `sort` is not `top`, `newest` or `oldest` (or its older `order` not `oldest` or `newest`)",
  },
  INVALID_VOTE: {
    status: 400,
    message: 'value must be 1 (up), -1 (down) or 0 (take the vote back).',
    meaning: "a vote's `value` is not 1, -1 or 0",
  },
  INVALID_REPLIES: {
    status: 400,
    message: 'replies must be a comment id.',
    meaning: "a thread's `replies` is not a comment id",
  },
  INVALID_CURSOR: {
    status: 400,
    message: 'The cursor is not valid.',
    meaning: 'a `cursor` (thread, audit log) was not one we gave out',
  },
  TOO_MANY_PAGES: {
    status: 400,
    message: 'Too many pages in one request.',
    meaning: 'more than 100 `page`s in one counts request',
  },
  INVALID_ACTION: {
    status: 400,
    message: 'Unknown action.',
    meaning: 'a moderation, bulk or audit-filter action we do not know',
  },
  INVALID_IDS: {
    status: 400,
    message: 'The selection names something that is not a comment.',
    meaning: 'a bulk selection holds something that is not a comment id',
  },
  INVALID_FILTER: {
    status: 400,
    message: 'Unknown queue.',
    meaning: 'a bulk "whole view" names a queue tab we do not know',
  },
  INVALID_SCOPE: {
    status: 400,
    message: 'Choose the selection or the whole view.',
    meaning: "a bulk action's `scope` is neither the selection nor the view",
  },
  INVALID_DATE: {
    status: 400,
    message: 'Dates look like 2024-05-31.',
    meaning: 'an audit-log date filter is not a date',
  },
  INVALID_COMMENT_ID: {
    status: 400,
    message: 'That is not a comment id.',
    meaning: 'an audit-log comment filter is not a comment id',
  },
  INVALID_BATCH_ID: {
    status: 400,
    message: 'That is not a batch id.',
    meaning: 'an audit-log batch filter is not a batch id',
  },

  // 400 or 422: a value missing, too long or with forbidden characters (see the comment at the top).
  REQUIRED: {
    status: [400, 422],
    message: 'A value is missing.',
    meaning:
      "400: the body's `site`, a body field or a query parameter is missing; 422: a comment's or a moderator's field is empty",
  },
  TOO_LONG: {
    status: [400, 422],
    message: 'A value is too long.',
    meaning: '400: a query value is too long; 422: a field is over its limit',
  },
  INVALID_CHARACTERS: {
    status: [400, 422],
    message: 'A value contains characters that are not allowed.',
    meaning: "a control character or a lone surrogate: 400 in a query or dashboard value, 422 in a comment's field",
  },

  // 401 / 403: who is asking.
  SIGNED_OUT: { status: 401, message: 'Please sign in again.', meaning: 'a dashboard request without a live session' },
  SSO_INVALID: {
    status: 401,
    message: 'The sign-in token from this site could not be verified.',
    meaning:
      "an SSO token not signed HS256 with the site's SSO secret, or missing `sub`, `name` or `exp`, or `exp` over 7 days ahead",
  },
  SSO_EXPIRED: {
    status: 401,
    message: 'The sign-in token from this site has expired.',
    meaning: 'an SSO token past its `exp`',
  },
  SIGN_IN_REQUIRED: {
    status: 401,
    message: 'Please sign in to comment on this site.',
    meaning:
      'a comment without a reader token on a site that takes no guests (`guests: false`), or a vote where guests may not vote (`guestVotes: false`)',
  },
  READER_SIGNED_OUT: {
    status: 401,
    message: 'You have been signed out. Please sign in again.',
    meaning: "a reader token that is unknown, expired, revoked (sign out, erase) or another site's",
  },
  SIGN_IN_METHOD_OFF: {
    status: 403,
    message: 'This way of signing in is not offered on this site.',
    meaning: "a sign-in by a method the site does not offer (settings' `signInMethods`) or has not configured",
  },
  EDIT_WINDOW_CLOSED: {
    status: 403,
    message: 'This comment can no longer be changed.',
    meaning: "an edit or delete of one's own comment after the site's `editWindowMinutes`",
  },
  VOTES_OFF: {
    status: 403,
    message: 'Voting is off on this site.',
    meaning: 'a vote on a site (or a page) whose `votes` is `off`, or a down vote where it is `up`',
  },
  OWN_COMMENT: {
    status: 403,
    message: 'You cannot vote on your own comment.',
    meaning: "a vote on a comment by the same reader (or, for a guest, sent from the comment's own network)",
  },
  NOT_YOUR_COMMENT: {
    status: 403,
    message: 'Only its author can change this comment.',
    meaning: "an edit or delete without the author's reader token or the comment's `editKey`",
  },
  CSRF_INVALID: {
    status: 403,
    message: 'This form has expired or did not come from Reply Desk. Reload the page and try again.',
    meaning: 'a dashboard form or call without a valid CSRF token',
  },
  ADMIN_ONLY: {
    status: 403,
    message: 'Only admins can do this.',
    meaning: "a moderator asked for an admin's page or action",
  },
  FORBIDDEN: {
    status: 403,
    message: 'You do not moderate this site.',
    meaning: 'the comment, selection or site belongs to a site the moderator does not moderate',
  },
  VIEWER_READ_ONLY: {
    status: 403,
    message: 'You are a viewer here: you can read the queue and the audit log, but not act.',
    meaning:
      'a viewer (read-only role, sql/0041) tried an action on a site where that is their role, or on any site when it is their only one',
  },
  TWO_FACTOR_REQUIRED: {
    status: 403,
    message: 'A site of yours requires two-factor sign-in: set it up under My settings → Two-factor first.',
    meaning:
      'an account without two-factor sign-in, on a site with `requireTwoFactor`, asked for anything but enrolling (or tried to turn it off)',
  },
  NOT_YOURS: {
    status: 403,
    message: 'Only its moderator or an admin can undo this action.',
    meaning: "another moderator's action or bulk action",
  },
  SUSPENDED: {
    status: 403,
    message: 'You cannot comment on this site for now.',
    meaning:
      'a comment from an author a moderator suspended; the message gives the end time (UTC) and `Retry-After` the seconds until it',
  },
  SAME_MODERATOR: {
    status: 403,
    message: 'Another moderator must decide this appeal: the decision appealed against is yours.',
    meaning: 'deciding the appeal of a decision one made oneself',
  },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: 'Comments for this site cannot be sent from this page.',
    meaning: "a browser `Origin` that is not one of the site's (`null` included)",
  },
  UNKNOWN_SITE: {
    status: [403, 404],
    message: 'No such site.',
    meaning: '403: a comment for a site that is not here; 404: a read (thread, counts, feed, embed) for one',
  },

  // 404 / 409: the thing asked about.
  NOT_FOUND: {
    status: 404,
    message: 'There is nothing here.',
    meaning: 'no such comment, site, webhook, job, bulk action or address',
  },
  UNKNOWN_PAGE: {
    status: 404,
    message: 'No such page.',
    meaning: 'a page title, close, reopen or settings for a page the site does not have (or no page of that id)',
  },
  NOTHING_TO_UNDO: {
    status: 404,
    message: 'There is nothing to undo.',
    meaning: 'an undo of an action that is gone or was never there',
  },
  BULK_RUNNING: {
    status: 409,
    message: 'This bulk action is still running; undo it when it is done.',
    meaning: 'an undo of a bulk action that has not finished',
  },
  COMMENT_NOT_EDITABLE: {
    status: 409,
    message: 'This comment cannot be changed.',
    meaning: "an edit or delete of one's own comment that was refused, or is still being checked (with `Retry-After`)",
  },
  NOT_REPLYABLE: {
    status: 409,
    message: 'This comment takes no reply.',
    meaning:
      "a moderator's reply from the desk to a comment that is not published, on a closed page, too deep, or the same reply again",
  },
  ALREADY_VOTED: {
    status: 409,
    message: 'Someone on your network has already voted on this comment.',
    meaning: "a guest's vote from a network that already voted on the comment with another browser key",
  },
  NOT_PUBLISHED: {
    status: 409,
    message: "Only a published comment can be an editors' pick.",
    meaning: 'featuring a comment that is held, refused or removed',
  },
  APPEAL_DECIDED: {
    status: 409,
    message: 'This appeal has already been decided.',
    meaning: 'deciding an appeal that another moderator decided first',
  },
  ALREADY_UNDONE: {
    status: 409,
    message: 'This bulk action has already been undone.',
    meaning: 'a second undo of a bulk action',
  },
  SIGN_IN_EXPIRED: {
    status: 410,
    message: 'This sign-in has expired or was already used; please start again.',
    meaning: 'an email sign-in poll whose link expired unconfirmed, or whose session was already handed out',
  },

  // 413 / 415: the body as a whole.
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.', meaning: 'a body over 512 KB' },
  TOO_MANY_FIELDS: {
    status: 413,
    message: 'The form has too many fields.',
    meaning: 'a form post with more than 100 fields',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Send the comment as application/json or as a form (application/x-www-form-urlencoded).',
    meaning: 'a body that is not JSON or a form (a flag: not JSON)',
  },
  UNSUPPORTED_CHARSET: {
    status: 415,
    message: 'Send the body as UTF-8.',
    meaning: 'a body in a charset other than UTF-8',
  },
  UNSUPPORTED_ENCODING: {
    status: 415,
    message: 'Compressed request bodies are not accepted.',
    meaning: 'a compressed body (`Content-Encoding`)',
  },

  // 422: the request was read, and a value in it is refused.
  INVALID_SETTING: {
    status: 422,
    message: 'A setting has a value it cannot take.',
    meaning:
      "a page's setting (`PATCH /admin/api/pages/:id`) or a backtest's (`POST /admin/api/sites/:id/backtest`, its `days` too) with a value it cannot take; `field` names it (`settings.holdLinks`)",
  },
  UNKNOWN_SETTING: {
    status: 422,
    message: 'There is no such setting here.',
    meaning:
      'a page setting that pages cannot override, or an unknown key of `PATCH /admin/api/pages/:id` or of a backtest (`POST /admin/api/sites/:id/backtest`)',
  },
  INVALID_EMAIL: {
    status: 422,
    message: 'Please enter a valid email address.',
    meaning: "a comment's email is not an email address",
  },
  INVALID_URL: {
    status: 422,
    message: 'The website must be an http:// or https:// address.',
    meaning: "a comment's website is not an http(s) address",
  },
  NAME_FROM_PROVIDER: {
    status: 422,
    message: 'Your name comes from the account you signed in with; change it there.',
    meaning: "a signed-in reader's new `name` when their name comes from the host site's SSO or an OpenID provider",
  },
  INVALID_PARENT: {
    status: 422,
    message: 'The comment you are replying to does not exist.',
    meaning: "a comment's `parent` is not a comment id",
  },
  INVALID_TEXT: {
    status: 422,
    message: 'A page title is one line of text, without control characters.',
    meaning: 'a page title with a line break or a control character',
  },
  INVALID_CHAT_TARGET: {
    status: 422,
    message: 'This chat target cannot be saved.',
    meaning:
      "a chat target's `service` (slack, teams, mattermost), `url` (http or https), `events` (held, surge, appeal) or `heldEveryMinutes` (1–1440) is not one the service takes, `field` naming it",
  },
  INVALID_KIND: {
    status: 422,
    message: 'Ban an email, an IP, a domain or a signed-in reader.',
    meaning: 'a ban that is not of an email, an IP, a domain or a signed-in reader',
  },
  INVALID_REASON: {
    status: 422,
    message: 'Choose a reason for the flag.',
    meaning: "a flag's `reason` is not one of `spam`, `abuse`, `off_topic`, `other`",
  },
  UNKNOWN_DECISION_REASON: {
    status: 422,
    message: "Pick a reason from the site's list.",
    meaning:
      "a reject or spam whose `reason` is not a code of the site's `decisionReasons`, or a `note` without a reason",
  },
  INVALID_KEY: {
    status: 422,
    message: 'The browser key is not valid.',
    meaning: "a flag's or a guest vote's browser `key` is malformed or missing",
  },
  NOTHING_SELECTED: {
    status: 422,
    message: 'Tick the comments to act on first.',
    meaning: 'a bulk action on an empty selection or view',
  },
  TOO_MANY: {
    status: 422,
    message: 'The selection is too large; act on the whole view instead.',
    meaning: 'a bulk selection over its limit',
  },
  CONFIRMATION_MISMATCH: {
    status: 422,
    message: 'Type the site id exactly to confirm.',
    meaning: 'a site deletion whose typed confirmation is not the site id',
  },

  // 429: too much, too soon.
  TOO_MANY_STREAMS: {
    status: 429,
    message: 'Too many live threads are open from your network; close some tabs and reload.',
    meaning: 'a live thread (`GET /api/live`) past the cap per network (IPv4 address or IPv6 /64)',
  },
  RATE_LIMITED: {
    status: 429,
    message: 'Too many requests just now; please try again shortly.',
    meaning: 'over a comment, flag, vote or preview rate limit; `Retry-After` says when to try again',
  },

  // 500 / 503: our side.
  INTERNAL: {
    status: 500,
    message: 'Something went wrong on our side.',
    meaning: 'a bug of ours: logged with the error id the message carries',
  },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: 'Comments are briefly unavailable; please try again shortly.',
    meaning: 'Postgres is down or overloaded (never a bad value); with `Retry-After`',
  },
  QUEUE_UNAVAILABLE: {
    status: 503,
    message: 'We cannot take comments this moment; please try again shortly.',
    meaning:
      'Redis did not take the job in time (`ENQUEUE_TIMEOUT_MS`), or this server has no such queue; with `Retry-After` when it may pass',
  },
  SIGN_IN_UNAVAILABLE: {
    status: 503,
    message: 'Signing in is briefly unavailable; please try again shortly.',
    meaning: 'the sign-in throttle (Redis) did not answer; with `Retry-After`',
  },
  BULK_UNAVAILABLE: {
    status: 503,
    message: 'Bulk actions are not available on this server.',
    meaning: 'this API runs without the bulk queue',
  },
  LIVE_UNAVAILABLE: {
    status: 503,
    message: 'Live updates are not available.',
    meaning:
      'this API runs without live updates, has as many open live threads as it takes, or cannot reach Redis for them; with `Retry-After` when it is busy',
  },
  DEMO_UNAVAILABLE: {
    status: 503,
    message: 'The demo site is not set up: run npm start or reply-desk migrate (with DEMO=true).',
    meaning: 'the demo page was asked for before the demo site exists',
  },
} as const satisfies Record<string, ErrorEntry>;

/** A code of the catalogue: a typo is a type error. */
export type ErrorCode = keyof typeof errorCatalogue;

/** Whether `code` is one of the catalogue's (for codes that come as data, e.g. a field problem's). */
export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorCatalogue, code);
}

/** The statuses a code can answer with. */
export function statusesOf(code: ErrorCode): readonly number[] | '4xx' {
  const s: ErrorEntry['status'] = errorCatalogue[code].status;
  return typeof s === 'number' ? [s] : s;
}
