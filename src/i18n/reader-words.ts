/*
 * The words of what the server shows and sends readers: the thread and "Leave a Reply" form of the
 * page without JavaScript, the page a refused form post gets, and the reader mails (reply notices,
 * the reply-mail confirmation, the sign-in link). Moderators' pages and mails stay English. English is
 * here; every other language is src/i18n/lang/<code>.ts. The thread's words match the widget's
 * (widget/i18n.ts; tests/unit/thread-words.test.ts holds the English ones equal), so a reader switching
 * JavaScript on or off reads one product.
 *
 * Texts are plain: the pages and mails escape them (src/html/html.ts). Where a text holds a link,
 * the link's words are [in brackets] and the renderer makes them the link.
 */
import { READER_LANGUAGES, type ReaderLanguage } from './reader-language.js';
import type { ReaderWords } from './reader-words-shape.js';
import { words as ar } from './lang/ar.js';
import { words as de } from './lang/de.js';
import { words as es } from './lang/es.js';
import { words as fr } from './lang/fr.js';
import { words as it } from './lang/it.js';
import { words as ja } from './lang/ja.js';
import { words as nl } from './lang/nl.js';
import { words as pl } from './lang/pl.js';
import { words as pt } from './lang/pt.js';
import { words as ru } from './lang/ru.js';
import { words as tr } from './lang/tr.js';

export type { LandingWords, MailWords, OidcWords, PageWords, ReaderWords } from './reader-words-shape.js';

export const en: ReaderWords = {
  page: {
    count: { one: '# Comment', other: '# Comments' },
    noComments: 'No comments yet',
    title: 'Comments',
    anonymous: 'Anonymous',
    says: 'says:',
    reply: 'Reply',
    replyTo: (name) => `Reply to ${name}`,
    published: 'Thanks! [Your comment] is published.',
    queued: 'Thanks! Your comment was received and is being checked. Reload this page in a moment to see it.',
    awaiting: 'Your comment is awaiting moderation.',
    rejected: 'Your comment could not be published:',
    leaveReply: 'Leave a Reply',
    leaveReplyTo: (name) => `Leave a Reply to ${name}`,
    cancelReply: 'Cancel reply',
    notes: 'Your email address will not be published.',
    requiredNote: 'Required fields are marked *',
    comment: 'Comment',
    name: 'Name',
    email: 'Email',
    website: 'Website',
    notify: 'Notify me of replies by mail (the first time, we send a link to confirm).',
    honeypot: 'Leave this field empty',
    post: 'Post Comment',
    closed: 'Comments are closed.',
    reviewed: 'Comments on this story are reviewed before they appear.',
    reviewedUntil: (time) =>
      `Our moderators are back at ${time}; until then, comments are reviewed before they appear.`,
    closedUntil: (time) => `Comments are closed until ${time}.`,
    errorTitle: 'Comment Submission Failure',
    errorLabel: 'Error:',
    back: '« Back',
    backKeeps: '(your browser’s Back button keeps what you typed)',
    useBack: 'Use your browser’s Back button to return to your comment.',
    errors: {
      REQUIRED_body: 'Please type your comment.',
      REQUIRED_author: 'Please fill in your name.',
      REQUIRED_email: 'Please fill in your email address.',
      INVALID_EMAIL: 'Please enter a valid email address.',
      INVALID_URL: 'The website must be an http:// or https:// address.',
      TOO_LONG: 'This is too long.',
      INVALID_CHARACTERS: 'This contains characters that are not allowed.',
      QUEUE_UNAVAILABLE: 'The comment service is busy. Please go back and try again in a moment.',
      SIGN_IN_REQUIRED:
        'This site takes comments from signed-in readers only. Please sign in with the comment box on the page (it needs JavaScript) and post again.',
    },
    refusals: {
      THREAD_CLOSED: 'Comments are closed on this page.',
      PARENT_NOT_FOUND: 'The comment you are replying to does not exist on this page.',
      PARENT_NOT_APPROVED: 'The comment you are replying to is not published.',
      DUPLICATE: "Duplicate comment detected; it looks as though you've already said that!",
    },
    rateLimited: {
      one: 'Too many comments just now; please try again in # second.',
      other: 'Too many comments just now; please try again in # seconds.',
    },
    tooFast: {
      one: 'You are posting comments too quickly; please try again in # second.',
      other: 'You are posting comments too quickly; please try again in # seconds.',
    },
    tooDeep: {
      one: 'Replies nest at most # level deep here.',
      other: 'Replies nest at most # levels deep here.',
    },
  },
  mail: {
    hello: (name) => `Hello ${name},`,
    helloAnyone: 'Hello,',
    helloThere: 'Hello there,',
    someone: 'Someone',
    replySubject: (replier, page) => `${replier} replied to your comment on ${page}`,
    replied: (replier, page) => `${replier} replied to your comment on ${page}:`,
    readIt: 'Read it',
    replyWhy: 'You asked to hear about replies to this comment.',
    stop: 'Stop',
    unsubscribe: 'Unsubscribe',
    confirmSubject: (site) => `Confirm reply notices from ${site}`,
    confirmIntro: (site) =>
      `Someone, hopefully you, left a comment on ${site} with this address and asked to be mailed when people reply.`,
    confirmPrompt: {
      one: 'To get those mails, confirm this address (the link works for # day):',
      other: 'To get those mails, confirm this address (the link works for # days):',
    },
    confirmLink: 'Confirm this address',
    confirmAfterLink: {
      one: 'to get those mails (the link works for # day).',
      other: 'to get those mails (the link works for # days).',
    },
    confirmIgnore: (site) =>
      `If it was not you, ignore this mail: without confirmation nothing more is sent to this address from ${site}.`,
    signInSubject: (site) => `Sign in to comment on ${site}`,
    signInIntro: (site) => `Someone, hopefully you, asked to sign in to the comments of ${site} with this address.`,
    signInPrompt: {
      one: 'To sign in, open this link (it works once, for # minute):',
      other: 'To sign in, open this link (it works once, for # minutes):',
    },
    signInLink: 'Sign in',
    signInAfterLink: {
      one: '(the link works once, for # minute).',
      other: '(the link works once, for # minutes).',
    },
    signInIgnore: 'If it was not you, ignore this mail: nobody is signed in until the link is opened and confirmed.',
    statementSubject: (site) => `Your comment on ${site} was removed`,
    statementIntro: (site, page) => `A moderator of ${site} removed your comment on “${page}”.`,
    statementYourComment: 'Your comment:',
    statementWhy: 'Why:',
    statementRule: 'The rule it breaks:',
    statementNote: 'The moderator’s note:',
    statementByPerson: 'This was decided by a person, not by an automatic filter.',
    statementAppeal:
      'If you think this is a mistake, you can appeal within six months: a moderator who did not make this decision will look at it again.',
    statementAppealLink: 'Appeal this decision',
    appealTitle: 'Appeal a removal',
    appealExplain:
      'Tell the moderators why your comment should be published. A moderator who did not make the first decision will decide.',
    appealLabel: 'Why should it be published? (optional)',
    appealSend: 'Send my appeal',
    appealOpened: 'Thank you: your appeal was received. Another moderator will decide it.',
    appealAlready: 'You have already appealed this decision; a moderator will decide it.',
    appealGone: 'This decision no longer stands: there is nothing to appeal.',
  },
  landing: {
    invalidTitle: 'This link is not valid',
    invalid: 'The link is incomplete or was changed.',
    expiredTitle: 'This link has expired',
    confirmAgain: 'Reply notices start once an address is confirmed from a recent mail.',
    unsubscribeTitle: 'Stop reply notices?',
    unsubscribeText: 'You will get no more mail about replies to this comment.',
    unsubscribeButton: 'Unsubscribe',
    unsubscribedTitle: 'Unsubscribed',
    confirmTitle: 'Confirm reply notices?',
    confirmText:
      'Mail will be sent to this address when people reply to comments you asked to hear about on this site.',
    confirmButton: 'Confirm',
    nothingTitle: 'Nothing to confirm',
    nothing: 'This address is no longer on record.',
    confirmedTitle: 'Confirmed',
    confirmed: 'You will get a mail when someone replies to the comments you asked about.',
    signInTitle: (site) => `Sign in to ${site}?`,
    signInText: (site) => `Confirm to sign in to the comments of ${site} with this address.`,
    signInButton: 'Sign me in',
    signedInTitle: 'Signed in',
    signedIn: (site) => `You are signed in to ${site}; return to the article. You may close this page.`,
    usedTitle: 'Link already used',
    used: 'This sign-in link was already used. Ask for a new one from the comments if you need to.',
    signInExpired: {
      one: 'This sign-in link has expired (links work for # minute). Ask for a new one from the comments.',
      other: 'This sign-in link has expired (links work for # minutes). Ask for a new one from the comments.',
    },
    signInInvalid: 'This sign-in link is not valid. Ask for a new one from the comments.',
    busyTitle: 'Try again in a moment',
    busy: 'Signing in is briefly unavailable; please open the link again shortly.',
  },
  oidc: {
    busyTitle: 'Sign-in unavailable',
    busy: 'Signing in is briefly unavailable; please try again shortly.',
    noSiteTitle: 'No such site',
    noSite: 'This sign-in link names no site we know.',
    notHereTitle: 'Not allowed here',
    notHere: 'Sign-in for this site can only be started from its own pages.',
    notOfferedTitle: 'Not offered',
    notOffered: 'This site does not offer this way of signing in.',
    noProviderTitle: 'No such provider',
    noProvider: 'This site has no such sign-in provider.',
    unreachable: (provider) => `${provider} cannot be reached just now; please try again later.`,
    expiredTitle: 'Sign-in expired',
    expired: 'This sign-in has expired or was already used. Please start again.',
    otherBrowser: 'This sign-in was started in another browser. Please start again.',
    cancelled: 'Sign-in was cancelled.',
    refused: 'The provider refused the sign-in.',
    providerGone: 'This sign-in provider is no longer offered.',
    unverified: 'The sign-in could not be verified. Please start again.',
    failedTitle: 'Sign-in failed',
    signedInTitle: 'Signed in',
    signedInAs: (name) => `You are signed in as ${name}. This window closes by itself; you may close it.`,
  },
};

/** Every language's words, by the codes of READER_LANGUAGES. */
export const readerWords: Record<ReaderLanguage, ReaderWords> = { en, de, fr, es, it, pt, nl, pl, tr, ru, ja, ar };

/** The words of `lang`; English for a language we do not speak. */
export function wordsFor(lang: string): ReaderWords {
  return (READER_LANGUAGES as readonly string[]).includes(lang) ? readerWords[lang as ReaderLanguage] : en;
}
