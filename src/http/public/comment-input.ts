import { z } from 'zod';
import { LINE_FORBIDDEN, TEXT_FORBIDDEN } from '../../domain/forbidden-characters.js';
import { AppError, type FieldError } from '../../errors.js';
import { findFieldErrors, toWebsite, type CommentFields } from '../../domain/comment-fields.js';
import { byteLength, fieldLimits } from '../../domain/field-limits.js';
import type { Site } from '../../domain/site-settings.js';

/**
 * The fields a reader may send, and nothing else: server-owned fields (id, status, IP, time) are never
 * read from the body, so `{"status":"approved"}` is simply ignored.
 */
export interface CommentInput extends CommentFields {
  site: string;
  pageUrl: string | null;
  pageTitle: string | null;
  key: string | null;
  honeypot: string;
  /** Form posts only: where to send the reader back to. */
  redirectTo: string | null;
  /** Opt-in to a mail when someone replies (JSON `notifyReplies: true`, form checkbox `notify_replies`). */
  notifyReplies: boolean;
  /** The signed form token the widget fetched or the form carried ('' when none). */
  formToken: string;
  /** The page's language ('' unknown): a tag such as `en` or `de-AT`; anything else is dropped. */
  lang: string;
}

const optionalText = z.string().optional();
const nullableText = z.string().nullable().optional();

const jsonShape = z.object({
  site: z.string(),
  page: optionalText,
  pageUrl: nullableText,
  pageTitle: nullableText,
  parent: nullableText,
  author: optionalText,
  email: optionalText,
  url: optionalText,
  body: optionalText,
  key: nullableText,
  honeypot: optionalText,
  notifyReplies: z.boolean().optional(),
  formToken: nullableText,
  lang: nullableText,
});

// WordPress' comment form names (wp-comments-post.php), so an existing theme's form can post here.
const formShape = z.object({
  site: z.string(),
  comment_post_ID: optionalText,
  comment_parent: optionalText,
  author: optionalText,
  email: optionalText,
  url: optionalText,
  comment: optionalText,
  key: optionalText,
  redirect_to: optionalText,
  page_url: optionalText,
  page_title: optionalText,
  reply_desk_hp: optionalText,
  notify_replies: optionalText,
  reply_desk_token: optionalText,
  reply_desk_lang: optionalText,
});

// Where a field's problem is reported: under the API's name (a form's `comment` is `body`), as the
// other field errors are, with words a reader understands.
const fieldNames: Record<string, [field: string, label: string]> = {
  site: ['site', 'The site'],
  page: ['page', 'The page identifier'],
  comment_post_ID: ['page', 'The page identifier'],
  pageUrl: ['pageUrl', 'The page address'],
  page_url: ['pageUrl', 'The page address'],
  pageTitle: ['pageTitle', 'The page title'],
  page_title: ['pageTitle', 'The page title'],
  parent: ['parent', 'The comment you reply to'],
  comment_parent: ['parent', 'The comment you reply to'],
  author: ['author', 'The name'],
  email: ['email', 'The email address'],
  url: ['url', 'The website'],
  body: ['body', 'The comment'],
  comment: ['body', 'The comment'],
  key: ['key', 'The idempotency key'],
  honeypot: ['honeypot', 'A hidden field'],
  reply_desk_hp: ['honeypot', 'A hidden field'],
  formToken: ['formToken', 'The form token'],
  reply_desk_token: ['formToken', 'The form token'],
  lang: ['lang', 'The language'],
  reply_desk_lang: ['lang', 'The language'],
  redirect_to: ['redirectTo', 'The return address'],
  notify_replies: ['notifyReplies', 'The reply-notice choice'],
};

/**
 * Every accepted string field of a body (JSON or form) that holds control characters or broken
 * Unicode, as a 422 field error each. Checked on the values as sent, before trimming or dropping (a
 * NUL must be refused, not quietly turned into something else), so no field can carry one to the
 * queue, the worker or Postgres. Invalid UTF-8 bytes never get this far: body-parsers.ts refuses them.
 */
export function findCharacterErrors(body: unknown, source: 'json' | 'form'): FieldError[] {
  if (typeof body !== 'object' || body === null) return [];
  const shape = source === 'json' ? jsonShape : formShape;
  const errors: FieldError[] = [];
  for (const name of Object.keys(shape.shape)) {
    const value: unknown = Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
    if (typeof value !== 'string') continue;
    const [field, label] = fieldNames[name] ?? [name, `The field "${name}"`];
    if ((field === 'body' ? TEXT_FORBIDDEN : LINE_FORBIDDEN).test(value)) {
      errors.push({ field, code: 'INVALID_CHARACTERS', message: `${label} contains characters that are not allowed.` });
    }
  }
  return errors;
}

/** The form's hidden honeypot field; people never see it, bots fill it in. */
export const HONEYPOT_FIELD = 'reply_desk_hp';
/** The form's hidden signed token (render time, site, page; src/flood/form-token.ts). */
export const FORM_TOKEN_FIELD = 'reply_desk_token';

/** A language tag worth passing on (Akismet's blog_lang); anything else is dropped, not refused. */
function toLang(value: string | null | undefined): string {
  const v = (value ?? '').trim();
  return /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/.test(v) ? v : '';
}

function shapeError(error: z.ZodError, body: unknown): AppError {
  const issue = error.issues[0];
  const field = issue?.path.length ? String(issue.path[0]) : undefined;
  if (field === undefined) return AppError.of('INVALID_BODY');
  if (typeof body === 'object' && body !== null && !Object.hasOwn(body, field)) {
    return AppError.of('REQUIRED', { status: 400, message: `The field "${field}" is missing.`, field });
  }
  return AppError.of('INVALID_TYPE', { message: `The field "${field}" has the wrong type.`, field });
}

/**
 * The comment as written, minus what cannot matter: trailing whitespace and blank lines before the
 * first line of text. The first line's own indentation stays, because in Markdown four leading spaces
 * make an indented code block (a comment that starts with code must not lose it). Whitespace-only
 * text becomes '' and is refused as missing.
 */
export function toBodyText(value: string | undefined): string {
  // trimEnd, not /\s+$/: that regex is quadratic on a long run of spaces followed by text.
  return (value ?? '').trimEnd().replace(/^(?:[ \t]*(?:\r\n|\r|\n))+/, '');
}

function orNull(value: string | null | undefined): string | null {
  const v = value?.trim();
  return v ? v : null;
}

/** Narrows a parsed body (JSON or form) to the accepted fields; wrong shapes and types are a 400. */
export function readCommentInput(body: unknown, source: 'json' | 'form'): CommentInput {
  if (source === 'json') {
    const parsed = jsonShape.safeParse(body);
    if (!parsed.success) throw shapeError(parsed.error, body);
    const b = parsed.data;
    return {
      site: b.site.trim(),
      page: (b.page ?? '').trim(),
      pageUrl: orNull(b.pageUrl),
      pageTitle: orNull(b.pageTitle),
      parentId: orNull(b.parent),
      author: (b.author ?? '').trim(),
      email: (b.email ?? '').trim().toLowerCase(),
      url: toWebsite((b.url ?? '').trim()),
      body: toBodyText(b.body),
      key: orNull(b.key),
      honeypot: b.honeypot ?? '',
      redirectTo: null,
      notifyReplies: b.notifyReplies === true,
      formToken: (b.formToken ?? '').trim(),
      lang: toLang(b.lang),
    };
  }
  const parsed = formShape.safeParse(body);
  if (!parsed.success) throw shapeError(parsed.error, body);
  const f = parsed.data;
  const parent = orNull(f.comment_parent);
  return {
    site: f.site.trim(),
    page: (f.comment_post_ID ?? '').trim(),
    pageUrl: orNull(f.page_url),
    pageTitle: orNull(f.page_title),
    parentId: parent === '0' ? null : parent,
    author: (f.author ?? '').trim(),
    email: (f.email ?? '').trim().toLowerCase(),
    url: toWebsite((f.url ?? '').trim()),
    body: toBodyText(f.comment),
    key: orNull(f.key),
    honeypot: f.reply_desk_hp ?? '',
    redirectTo: orNull(f.redirect_to),
    notifyReplies: orNull(f.notify_replies) !== null,
    formToken: (f.reply_desk_token ?? '').trim(),
    lang: toLang(f.reply_desk_lang),
  };
}

/** Field problems under the site's current settings, plus the limits of the API-only fields. */
export function findInputErrors(input: CommentInput, site: Site): FieldError[] {
  const errors = findFieldErrors(input, site.settings);
  if (input.key !== null && byteLength(input.key) > fieldLimits.key) {
    errors.push({
      field: 'key',
      code: 'TOO_LONG',
      message: `The idempotency key is too long (at most ${fieldLimits.key} bytes).`,
    });
  }
  if (input.pageTitle !== null && byteLength(input.pageTitle) > fieldLimits.pageTitle) {
    errors.push({
      field: 'pageTitle',
      code: 'TOO_LONG',
      message: `The page title is too long (at most ${fieldLimits.pageTitle} bytes).`,
    });
  }
  if (byteLength(input.honeypot) > fieldLimits.honeypot) {
    errors.push({ field: 'honeypot', code: 'TOO_LONG', message: 'A hidden field is too long.' });
  }
  return errors;
}

/** A URL on one of the site's origins, or null: readers' input must not point our links elsewhere. */
export function sameSiteUrl(value: string | null, site: Site): string | null {
  if (value === null || byteLength(value) > fieldLimits.pageUrl) return null;
  try {
    const u = new URL(value);
    return site.allowedOrigins.includes(u.origin) ? u.toString() : null;
  } catch {
    return null;
  }
}
