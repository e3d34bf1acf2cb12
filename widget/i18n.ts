/*
 * The widget's words. English is the fallback for every key; a language is chosen by the script's
 * data-lang, else the host page's <html lang>, matched on the primary subtag ("de-AT" → de).
 * Pure: no DOM, so the unit tests can check every language has every key.
 */

export interface Messages {
  /** Heading over the thread: n approved comments. */
  count: (n: number) => string;
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
  flagReasons: [spam: string, abuse: string, offTopic: string, other: string];
  flagged: string;
  cancel: string;
  leaveReply: string;
  leaveReplyTo: (name: string) => string;
  cancelReply: string;
  notes: string;
  requiredNote: string;
  comment: string;
  name: string;
  email: string;
  website: string;
  save: string;
  notify: string;
  post: string;
  /** The form's Write / Preview toggle (the preview itself is widget/preview.ts, loaded on demand). */
  write: string;
  preview: string;
  sending: string;
  awaiting: string;
  checking: string;
  published: string;
  sent: string;
  rejected: string;
  editAgain: string;
  fixFields: string;
  retryIn: (seconds: number) => string;
  retrySoon: string;
  /** A 429: this reader sent too many comments; `seconds` from Retry-After when it came. */
  tooQuickly: (seconds: number | null) => string;
  offline: string;
  failed: string;
  /** A comment whose text its author changed. */
  edited: string;
  /** The host's own sign-in page (data-sso-login). */
  signIn: string;
  signInEmail: string;
  signInWith: (provider: string) => string;
  /** Over the sign-in choices where the site takes no guests. */
  signInToComment: string;
  /** A 401 on posting: the session ended meanwhile. */
  signedOut: string;
  /** Field error messages by code; "REQUIRED_<field>" for a missing field. */
  errors: Record<string, string>;
}

const en: Messages = {
  count: (n) => (n === 0 ? 'No comments yet' : n === 1 ? '1 Comment' : `${n} Comments`),
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
  flagReasons: ['Spam', 'Abusive', 'Off topic', 'Other'],
  flagged: 'Reported. Thank you.',
  cancel: 'Cancel',
  leaveReply: 'Leave a Reply',
  leaveReplyTo: (name) => `Leave a Reply to ${name}`,
  cancelReply: 'Cancel reply',
  notes: 'Your email address will not be published.',
  requiredNote: 'Required fields are marked *',
  comment: 'Comment',
  name: 'Name',
  email: 'Email',
  website: 'Website',
  save: 'Save my name, email, and website in this browser for the next time I comment.',
  notify: 'Notify me of replies by mail (the first time, we send a link to confirm).',
  post: 'Post Comment',
  write: 'Write',
  preview: 'Preview',
  sending: 'Sending your comment…',
  awaiting: 'Your comment is awaiting moderation.',
  checking: 'Your comment was received and is being checked.',
  published: 'Your comment is published.',
  sent: 'Thanks! Your comment was sent.',
  rejected: 'Your comment could not be published:',
  editAgain: 'Edit and send again',
  fixFields: 'Please correct the marked fields.',
  retryIn: (s) => `The comment service is busy. Your text is kept; please try again in ${s} seconds.`,
  retrySoon: 'The comment service is busy. Your text is kept; please try again in a moment.',
  tooQuickly: (s) =>
    `You are posting comments too quickly. Your text is kept; please try again in ${s === null ? 'a minute' : s === 1 ? '1 second' : `${s} seconds`}.`,
  offline: 'The comment service could not be reached. Your text is kept; please try again.',
  failed: 'Something went wrong. Your text is kept; please try again.',
  edited: 'edited',
  signIn: 'Sign in',
  signInEmail: 'Sign in with email',
  signInWith: (p) => `Sign in with ${p}`,
  signInToComment: 'Sign in to comment',
  signedOut: 'You were signed out; please sign in again.',
  errors: {
    REQUIRED_body: 'Please type your comment.',
    REQUIRED_author: 'Please enter your name.',
    REQUIRED_email: 'Please enter your email address.',
    INVALID_EMAIL: 'Please enter a valid email address.',
    INVALID_URL: 'Please enter a web address starting with http:// or https://.',
    TOO_LONG: 'This is too long.',
    INVALID_CHARACTERS: 'This contains characters that are not allowed.',
  },
};

const de: Messages = {
  count: (n) => (n === 0 ? 'Noch keine Kommentare' : n === 1 ? '1 Kommentar' : `${n} Kommentare`),
  title: 'Kommentare',
  loading: 'Kommentare werden geladen…',
  loadFailed: 'Die Kommentare konnten nicht geladen werden.',
  notAllowed: 'Kommentare sind für diese Adresse nicht freigeschaltet.',
  retry: 'Erneut versuchen',
  loadMore: 'Weitere Kommentare laden',
  loadMoreReplies: 'Weitere Antworten laden',
  closed: 'Die Kommentarfunktion ist geschlossen.',
  anonymous: 'Anonym',
  reply: 'Antworten',
  replyTo: (name) => `${name} antworten`,
  flag: 'Melden',
  flagReasons: ['Spam', 'Beleidigend', 'Themenfremd', 'Sonstiges'],
  flagged: 'Gemeldet. Danke!',
  cancel: 'Abbrechen',
  leaveReply: 'Schreibe einen Kommentar',
  leaveReplyTo: (name) => `Antworte ${name}`,
  cancelReply: 'Antworten abbrechen',
  notes: 'Deine E-Mail-Adresse wird nicht veröffentlicht.',
  requiredNote: 'Erforderliche Felder sind mit * markiert.',
  comment: 'Kommentar',
  name: 'Name',
  email: 'E-Mail',
  website: 'Website',
  save: 'Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser für die nächste Kommentierung speichern.',
  notify: 'Bei Antworten per E-Mail benachrichtigen (beim ersten Mal senden wir einen Link zur Bestätigung).',
  post: 'Kommentar abschicken',
  write: 'Schreiben',
  preview: 'Vorschau',
  sending: 'Dein Kommentar wird gesendet…',
  awaiting: 'Dein Kommentar wartet auf Freischaltung.',
  checking: 'Dein Kommentar ist angekommen und wird geprüft.',
  published: 'Dein Kommentar ist veröffentlicht.',
  sent: 'Danke! Dein Kommentar wurde gesendet.',
  rejected: 'Dein Kommentar konnte nicht veröffentlicht werden:',
  editAgain: 'Bearbeiten und erneut senden',
  fixFields: 'Bitte korrigiere die markierten Felder.',
  retryIn: (s) =>
    `Der Kommentardienst ist ausgelastet. Dein Text bleibt erhalten; bitte versuche es in ${s} Sekunden erneut.`,
  retrySoon: 'Der Kommentardienst ist ausgelastet. Dein Text bleibt erhalten; bitte versuche es gleich erneut.',
  tooQuickly: (s) =>
    `Du schreibst zu schnell hintereinander. Dein Text bleibt erhalten; bitte versuche es in ${s === null ? 'einer Minute' : s === 1 ? '1 Sekunde' : `${s} Sekunden`} erneut.`,
  offline: 'Der Kommentardienst ist nicht erreichbar. Dein Text bleibt erhalten; bitte versuche es erneut.',
  failed: 'Etwas ist schiefgegangen. Dein Text bleibt erhalten; bitte versuche es erneut.',
  edited: 'bearbeitet',
  signIn: 'Anmelden',
  signInEmail: 'Mit E-Mail anmelden',
  signInWith: (p) => `Mit ${p} anmelden`,
  signInToComment: 'Melde dich an, um zu kommentieren',
  signedOut: 'Du wurdest abgemeldet; bitte melde dich erneut an.',
  errors: {
    REQUIRED_body: 'Bitte schreibe einen Kommentar.',
    REQUIRED_author: 'Bitte gib deinen Namen ein.',
    REQUIRED_email: 'Bitte gib deine E-Mail-Adresse ein.',
    INVALID_EMAIL: 'Bitte gib eine gültige E-Mail-Adresse ein.',
    INVALID_URL: 'Bitte gib eine Webadresse ein, die mit http:// oder https:// beginnt.',
    TOO_LONG: 'Das ist zu lang.',
    INVALID_CHARACTERS: 'Das enthält unzulässige Zeichen.',
  },
};

/** Every language the widget speaks, by primary language subtag. */
export const languages: Record<string, Messages> = { en, de };

/** The language to use: data-lang first, then the page's lang, then English. */
export function pickLanguage(...candidates: (string | null | undefined)[]): string {
  for (const c of candidates) {
    const primary = (c ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
    if (primary in languages) return primary;
  }
  return 'en';
}

/**
 * The words of the reader's part (widget/reader/: sign-in forms, the account panel, editing), apart
 * from `Messages` so that embed.js does not carry them: only the reader's part imports these.
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
}

const readerEn: ReaderMessages = {
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
};

const readerDe: ReaderMessages = {
  commentingAs: 'Du kommentierst als',
  verified: 'Verifiziert',
  myAccount: 'Mein Konto',
  signOut: 'Abmelden',
  signOutEverywhere: 'Überall abmelden',
  emailAddress: 'E-Mail',
  yourName: 'Name',
  sendLink: 'Anmeldelink senden',
  checkMail: (a) =>
    `Schau in dein Postfach: Wir haben einen Link an ${a} gesendet. Öffne ihn, um dich anzumelden; diese Seite bemerkt es von selbst.`,
  linkExpired: 'Der Anmeldelink ist abgelaufen. Bitte fordere einen neuen an.',
  popupBlocked: 'Das Anmeldefenster wurde blockiert. Bitte erlaube Pop-ups für diese Seite und versuche es erneut.',
  signInFailed: 'Die Anmeldung hat nicht geklappt.',
  cancel: 'Abbrechen',
  edit: 'Bearbeiten',
  delete: 'Löschen',
  save: 'Speichern',
  confirmDelete: 'Diesen Kommentar endgültig löschen?',
  deleted: 'Du hast diesen Kommentar gelöscht.',
  saving: 'Wird gespeichert…',
  editHeld: 'Deine Änderung wartet auf Freischaltung.',
  errors: {
    EDIT_WINDOW_CLOSED: 'Die Zeit, diesen Kommentar zu ändern, ist abgelaufen.',
    NOT_YOUR_COMMENT: 'Nur wer ihn geschrieben hat, kann diesen Kommentar ändern.',
    COMMENT_NOT_EDITABLE:
      'Dieser Kommentar wird noch geprüft (oder wurde abgelehnt); bitte versuche es gleich noch einmal.',
    NOT_FOUND: 'Dieser Kommentar ist nicht mehr da.',
    RATE_LIMITED: 'Bitte warte einen Moment, bevor du es erneut versuchst.',
    REQUIRED: 'Bitte schreibe einen Kommentar.',
    TOO_LONG: 'Das ist zu lang.',
    INVALID_EMAIL: 'Bitte gib eine gültige E-Mail-Adresse ein.',
    SIGN_IN_METHOD_OFF: 'Diese Art der Anmeldung wird hier nicht angeboten.',
    READER_SIGNED_OUT: 'Du wurdest abgemeldet.',
  },
  myComments: 'Meine Kommentare',
  noComments: 'Du hast noch nicht kommentiert.',
  loadMore: 'Mehr anzeigen',
  status: {
    published: 'veröffentlicht',
    held: 'wartet auf Freischaltung',
    rejected: 'nicht veröffentlicht',
    deleted: 'gelöscht',
  },
  replyMails: 'Mich per E-Mail benachrichtigen, wenn jemand auf meine Kommentare antwortet',
  replyMailsOne: 'Antwort-Mails',
  download: 'Meine Daten herunterladen',
  erase: 'Mein Konto löschen',
  confirmErase:
    'Dein Konto löschen? Deine Sitzungen enden und dein Name verschwindet von deinen Kommentaren. Das lässt sich nicht rückgängig machen.',
  erased: 'Dein Konto wurde gelöscht.',
  failed: 'Etwas ist schiefgegangen; bitte versuche es erneut.',
};

/** The reader's part's words, by the same language keys as `languages`. */
export const readerLanguages: Record<string, ReaderMessages> = { en: readerEn, de: readerDe };

/**
 * The words of the conversation part (widget/conversation/: badges, editors' picks, votes, the sort
 * selector, live updates), apart from `Messages` so that embed.js does not carry them.
 */
export interface ConversationMessages {
  verified: string;
  staff: string;
  /** The mark on a featured comment. */
  pick: string;
  /** Heading of the strip of editors' picks above the thread. */
  picks: string;
  sortLabel: string;
  oldest: string;
  newest: string;
  top: string;
  voteUp: string;
  voteDown: string;
  /** The button over the thread while new comments wait: n of them. */
  newComments: (n: number) => string;
  /** Why a vote did not count, by error code ("" for any other failure). */
  voteErrors: Record<string, string>;
}

/** "1 new comment" / "3 new comments": the language's plural rules, not a test for n === 1. */
const plural = (lang: string, n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) =>
  (forms[new Intl.PluralRules(lang).select(n)] ?? forms.other).replace('#', String(n));

const conversationEn: ConversationMessages = {
  verified: 'Verified',
  staff: 'Staff',
  pick: 'Editors’ pick',
  picks: 'Editors’ picks',
  sortLabel: 'Sort comments',
  oldest: 'Oldest',
  newest: 'Newest',
  top: 'Top',
  voteUp: 'Vote up',
  voteDown: 'Vote down',
  newComments: (n) => plural('en', n, { one: '# new comment', other: '# new comments' }),
  voteErrors: {
    OWN_COMMENT: 'You can’t vote on your own comment.',
    SIGN_IN_REQUIRED: 'Sign in to vote.',
    RATE_LIMITED: 'Too many votes at once; please try again in a minute.',
    ALREADY_VOTED: 'Someone on your network has voted on this comment already.',
    '': 'Your vote could not be saved; please try again.',
  },
};

const conversationDe: ConversationMessages = {
  verified: 'Verifiziert',
  staff: 'Team',
  pick: 'Empfehlung der Redaktion',
  picks: 'Empfehlungen der Redaktion',
  sortLabel: 'Kommentare sortieren',
  oldest: 'Älteste',
  newest: 'Neueste',
  top: 'Beste',
  voteUp: 'Positiv bewerten',
  voteDown: 'Negativ bewerten',
  newComments: (n) => plural('de', n, { one: '# neuer Kommentar', other: '# neue Kommentare' }),
  voteErrors: {
    OWN_COMMENT: 'Den eigenen Kommentar kannst du nicht bewerten.',
    SIGN_IN_REQUIRED: 'Melde dich an, um abzustimmen.',
    RATE_LIMITED: 'Zu viele Bewertungen auf einmal; bitte versuche es in einer Minute erneut.',
    ALREADY_VOTED: 'Aus deinem Netzwerk wurde dieser Kommentar schon bewertet.',
    '': 'Deine Bewertung konnte nicht gespeichert werden; bitte versuche es erneut.',
  },
};

export const conversationLanguages: Record<string, ConversationMessages> = { en: conversationEn, de: conversationDe };
