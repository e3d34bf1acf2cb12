/*
 * English words only the widget's on-demand parts say (MoreMessages in i18n.ts): the form's part, the
 * reader's own waiting comments, the preview, the Report reasons, a page's state (staffed hours,
 * pre-moderation: the conversation's extras). They are bundled into those parts,
 * not the widget module, which every reader of a thread downloads; another language's file has them
 * with the rest of its words.
 */
import type { AllMessages, Messages, MoreMessages } from './i18n.js';

export const enMore: MoreMessages = {
  reviewed: 'Comments on this story are reviewed before they appear.',
  reviewedUntil: (time) => `Our moderators are back at ${time}; until then, comments are reviewed before they appear.`,
  closedUntil: (time) => `Comments are closed until ${time}.`,
  flagReasons: ['Spam', 'Abusive', 'Off topic', 'Other'],
  flagged: 'Reported. Thank you.',
  cancel: 'Cancel',
  save: 'Save my name, email, and website in this browser for the next time I comment.',
  notify: 'Notify me of replies by mail (the first time, we send a link to confirm).',
  sending: 'Sending your comment…',
  awaiting: 'Your comment is awaiting moderation.',
  checking: 'Your comment was received and is being checked.',
  published: 'Your comment is published.',
  sent: 'Thanks! Your comment was sent.',
  rejected: 'Your comment could not be published:',
  editAgain: 'Edit and send again',
  fixFields: 'Please correct the marked fields.',
  retryIn: {
    one: 'The comment service is busy. Your text is kept; please try again in # second.',
    other: 'The comment service is busy. Your text is kept; please try again in # seconds.',
  },
  retrySoon: 'The comment service is busy. Your text is kept; please try again in a moment.',
  tooQuickly: {
    one: 'You are posting comments too quickly. Your text is kept; please try again in # second.',
    other: 'You are posting comments too quickly. Your text is kept; please try again in # seconds.',
  },
  tooQuicklyMinute: 'You are posting comments too quickly. Your text is kept; please try again in a minute.',
  offline: 'The comment service could not be reached. Your text is kept; please try again.',
  failed: 'Something went wrong. Your text is kept; please try again.',
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

/** The words in the reader's language with the on-demand parts' ones: English's from here when it has none. */
export const withMore = (t: Messages): AllMessages => ('errors' in t ? (t as AllMessages) : { ...t, ...enMore });
