/*
 * The widget's words. English lives here, in the widget module, and is the fallback (the words only
 * its on-demand parts say are in more-words.ts); every other language is a
 * file of its own (widget/lang/<code>.ts) that embed.js imports on demand, so a reader downloads the
 * words of one language at most. A language is chosen by the script's data-lang, else the host page's
 * <html lang>, matched on the primary subtag ("de-AT" → de). The conversation part and the reader's
 * part keep their words the same way (conversation/words.ts, reader/words.ts).
 * Pure: no DOM, so the unit tests can check every language has every key.
 */
import { loadWords, type WordsModule } from './load-words.js';
import type { ConversationMessages } from './conversation/words.js';
import type { PluralForms } from './plural.js';

export interface Messages {
  /** Heading over the thread: n (at least 1) approved comments. */
  count: PluralForms;
  /** Heading over a thread without comments. */
  noComments: string;
  /** The heading instead of "No comments yet" when the reader's own comment waits below it. */
  title: string;
  loading: string;
  loadFailed: string;
  notAllowed: string;
  retry: string;
  loadMore: string;
  /** Under a conversation whose other replies are not loaded yet. */
  loadMoreReplies: string;
  /** In place of the form on a closed page. */
  closed: string;
  anonymous: string;
  reply: string;
  replyTo: (name: string) => string;
  flag: string;
  leaveReply: string;
  leaveReplyTo: (name: string) => string;
  cancelReply: string;
  notes: string;
  requiredNote: string;
  comment: string;
  name: string;
  email: string;
  website: string;
  post: string;
  /** The form's Write / Preview toggle (the preview itself is widget/preview.ts, loaded on demand). */
  write: string;
  preview: string;
  /** A comment whose text its author changed. */
  edited: string;
  /** The host's own sign-in page (data-sso-login). */
  signIn: string;
  signInEmail: string;
  signInWith: (provider: string) => string;
  /** Over the sign-in choices where the site takes no guests. */
  signInToComment: string;
}

/**
 * The words only the on-demand parts say (the form's part, the reader's own waiting comments, the
 * preview, the Report reasons). English's are in more-words.ts, out of the widget module; every other
 * language has them in its file with the rest (`AllMessages`).
 */
export interface MoreMessages {
  /** Over the form where every comment waits for a moderator (pre-moderation; issue 16); a page's state is in the conversation's extras. */
  reviewed: string;
  /** Over the form outside the desk's staffed hours: `time` is when it opens, in the reader's clock. */
  reviewedUntil: (time: string) => string;
  /** In place of the form while staffed hours close the threads: until `time`. */
  closedUntil: (time: string) => string;
  flagReasons: [spam: string, abuse: string, offTopic: string, other: string];
  flagged: string;
  cancel: string;
  save: string;
  notify: string;
  sending: string;
  awaiting: string;
  checking: string;
  published: string;
  sent: string;
  rejected: string;
  editAgain: string;
  fixFields: string;
  /** A 503 with Retry-After: `#` seconds. */
  retryIn: PluralForms;
  retrySoon: string;
  /** A 429: this reader sent too many comments; `seconds` from Retry-After when it came. */
  tooQuickly: PluralForms;
  /** A 429 without Retry-After. */
  tooQuicklyMinute: string;
  offline: string;
  failed: string;
  /** A 401 on posting: the session ended meanwhile. */
  signedOut: string;
  /** Field error messages by code; "REQUIRED_<field>" for a missing field. */
  errors: Record<string, string>;
}

/** What a language file holds. */
export type AllMessages = Messages & MoreMessages;

export const en: Messages = {
  count: { one: '# Comment', other: '# Comments' },
  noComments: 'No comments yet',
  title: 'Comments',
  loading: 'Loading comments…',
  loadFailed: 'The comments could not be loaded.',
  notAllowed: 'Comments are not enabled for this address.',
  retry: 'Try again',
  loadMore: 'Load more comments',
  loadMoreReplies: 'Load more replies',
  closed: 'Comments are closed.',
  anonymous: 'Anonymous',
  reply: 'Reply',
  replyTo: (name) => `Reply to ${name}`,
  flag: 'Report',
  leaveReply: 'Leave a Reply',
  leaveReplyTo: (name) => `Leave a Reply to ${name}`,
  cancelReply: 'Cancel reply',
  notes: 'Your email address will not be published.',
  requiredNote: 'Required fields are marked *',
  comment: 'Comment',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  post: 'Post Comment',
  write: 'Write',
  preview: 'Preview',
  edited: 'edited',
  signIn: 'Sign in',
  signInEmail: 'Sign in with email',
  signInWith: (p) => `Sign in with ${p}`,
  signInToComment: 'Sign in to comment',
};

/** The languages the widget speaks, by primary language subtag (README lists them; tests hold every one complete). */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'ja', 'ar'] as const;

/** Languages written right to left: the widget's root gets dir="rtl" and its CSS mirrors (logical properties). */
const RIGHT_TO_LEFT = new Set(['ar']);

export const directionOf = (lang: string): 'rtl' | 'ltr' => (RIGHT_TO_LEFT.has(lang) ? 'rtl' : 'ltr');

/** The language to use: data-lang first, then the page's lang, then English. */
export function pickLanguage(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const primary = (c ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if ((LANGUAGES as readonly string[]).includes(primary)) return primary;
  }
  return 'en';
}

/** A language's file: the widget's words, and the conversation's (conversation/lang/, re-exported). */
export interface LanguageFile extends WordsModule<AllMessages> {
  conversation: ConversationMessages;
}

/* One import() per language, written out so that the bundler makes each a chunk of its own. */
export const languageFiles: Record<string, () => Promise<LanguageFile>> = {
  de: () => import('./lang/de.js'),
  fr: () => import('./lang/fr.js'),
  es: () => import('./lang/es.js'),
  it: () => import('./lang/it.js'),
  pt: () => import('./lang/pt.js'),
  nl: () => import('./lang/nl.js'),
  pl: () => import('./lang/pl.js'),
  tr: () => import('./lang/tr.js'),
  ru: () => import('./lang/ru.js'),
  ja: () => import('./lang/ja.js'),
  ar: () => import('./lang/ar.js'),
};

/** embed.js' words in `lang` (English when the language's file does not load). */
export const loadMessages = (lang: string): Promise<Messages> => loadWords(lang, en, languageFiles);
