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
  sortLabel: string;
  oldest: string;
  newest: string;
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
  sortLabel: 'Sort comments',
  oldest: 'Oldest',
  newest: 'Newest',
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
  sortLabel: 'Kommentare sortieren',
  oldest: 'Älteste',
  newest: 'Neueste',
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
