/* The reader's part's words: English here, the others in ./lang/, as widget/i18n.ts does for embed.js. */
import { loadWords, type WordsModule } from '../load-words.js';

/**
 * The words of the reader's part (widget/reader/: sign-in forms, the account panel, editing), apart
 * from `Messages` so that embed.js does not carry them: only the reader's part imports these. English
 * is here, every other language in reader/lang/<code>.ts, imported on demand (load-words.ts).
 */
export interface ReaderMessages {
  /** "Commenting as <name>" over the form. */
  commentingAs: string;
  verified: string;
  myAccount: string;
  signOut: string;
  signOutEverywhere: string;
  /** The email sign-in form. */
  emailAddress: string;
  yourName: string;
  sendLink: string;
  /** After the link went out: `address` is what the reader typed. */
  checkMail: (address: string) => string;
  linkExpired: string;
  popupBlocked: string;
  signInFailed: string;
  cancel: string;
  edit: string;
  delete: string;
  save: string;
  confirmDelete: string;
  deleted: string;
  saving: string;
  editHeld: string;
  /** Why the API refused an edit or delete, by error code. */
  errors: Record<string, string>;
  myComments: string;
  noComments: string;
  loadMore: string;
  /** Status of a comment in "my comments", by the API's status. */
  status: Record<'published' | 'held' | 'rejected' | 'deleted', string>;
  replyMails: string;
  replyMailsOne: string;
  download: string;
  erase: string;
  confirmErase: string;
  erased: string;
  failed: string;
  /** Over a moderator's warning to this reader (issue 16), shown once. */
  warningTitle: string;
  /** The button that says it was read (and marks it seen). */
  warningDismiss: string;
}

export const en: ReaderMessages = {
  commentingAs: 'Commenting as',
  verified: 'Verified',
  myAccount: 'My account',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  emailAddress: 'Email',
  yourName: 'Name',
  sendLink: 'Send me a sign-in link',
  checkMail: (a) => `Check your mail: we sent a link to ${a}. Open it to sign in; this page notices by itself.`,
  linkExpired: 'The sign-in link expired. Please ask for a new one.',
  popupBlocked: 'The sign-in window was blocked. Please allow pop-ups for this page and try again.',
  signInFailed: 'Signing in did not work.',
  cancel: 'Cancel',
  edit: 'Edit',
  delete: 'Delete',
  save: 'Save',
  confirmDelete: 'Delete this comment for good?',
  deleted: 'You deleted this comment.',
  saving: 'Saving…',
  editHeld: 'Your edit is awaiting moderation.',
  errors: {
    EDIT_WINDOW_CLOSED: 'The time to change this comment has passed.',
    NOT_YOUR_COMMENT: 'Only its author can change this comment.',
    COMMENT_NOT_EDITABLE: 'This comment is still being checked (or was refused); please try again in a moment.',
    NOT_FOUND: 'This comment is gone.',
    RATE_LIMITED: 'Please wait a moment before you try again.',
    REQUIRED: 'Please type your comment.',
    TOO_LONG: 'This is too long.',
    INVALID_EMAIL: 'Please enter a valid email address.',
    SIGN_IN_METHOD_OFF: 'This way of signing in is not offered here.',
    READER_SIGNED_OUT: 'You were signed out.',
  },
  myComments: 'My comments',
  noComments: 'You have not commented yet.',
  loadMore: 'Show more',
  status: { published: 'published', held: 'awaiting moderation', rejected: 'not published', deleted: 'deleted' },
  replyMails: 'Email me when someone replies to my comments',
  replyMailsOne: 'Reply mails',
  download: 'Download my data',
  erase: 'Erase my account',
  confirmErase: 'Erase your account? Your sessions end and your name goes from your comments. This cannot be undone.',
  erased: 'Your account was erased.',
  failed: 'Something went wrong; please try again.',
  warningTitle: 'A message from the moderators',
  warningDismiss: 'Understood',
};

/* One import() per language, written out so that the bundler makes each a chunk of its own. */
const loaders: Record<string, () => Promise<WordsModule<ReaderMessages>>> = {
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

/** The reader's part's words in `lang` (English when the language's file does not load). */
export const loadReaderMessages = (lang: string): Promise<ReaderMessages> => loadWords(lang, en, loaders);
