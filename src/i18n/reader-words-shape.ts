/*
 * The shape of the words readers get from the server (src/i18n/reader-words.ts holds English and the
 * list; src/i18n/lang/<code>.ts the other languages). Apart from both so a language file and the list
 * that imports it never import each other.
 */
import type { PluralForms } from './plural.js';

/** The no-JS thread, its form and the refused-post page. */
export interface PageWords {
  /** Heading over the thread: `#` (at least 1) approved comments. */
  count: PluralForms;
  noComments: string;
  /** The heading instead of "No comments yet" when the reader's own comment waits below it. */
  title: string;
  anonymous: string;
  /** After the author's name: "Ann says:". */
  says: string;
  reply: string;
  replyTo: (name: string) => string;
  /** "[Your comment]" is the link to it. */
  published: string;
  queued: string;
  awaiting: string;
  rejected: string;
  leaveReply: string;
  leaveReplyTo: (name: string) => string;
  cancelReply: string;
  notes: string;
  /** `*` becomes the marked star. */
  requiredNote: string;
  comment: string;
  name: string;
  email: string;
  website: string;
  notify: string;
  /** The honeypot's label, which only bots and screen readers that ignore aria-hidden see. */
  honeypot: string;
  post: string;
  closed: string;
  /** Over the form where every comment waits for a moderator (pre-moderation; issue 16). */
  reviewed: string;
  /** Over the form outside the desk's staffed hours: `time` is when it opens. */
  reviewedUntil: (time: string) => string;
  /** In place of the form while staffed hours close the threads: until `time`. */
  closedUntil: (time: string) => string;
  /** The page a refused form post gets (WordPress' "Comment Submission Failure"). */
  errorTitle: string;
  errorLabel: string;
  back: string;
  backKeeps: string;
  useBack: string;
  /** Why a form post was refused, by code (a field's missing value is "REQUIRED_<field>"); others stay the API's English. */
  errors: Record<string, string>;
  /** A 429: `#` seconds to wait. */
  rateLimited: PluralForms;
}

/** The mails a reader gets. Names, page titles and site names are the reader's or admin's text, passed in. */
export interface MailWords {
  hello: (name: string) => string;
  /** "Hello," to an address whose owner we know nothing of. */
  helloAnyone: string;
  /** "Hello there," to a recipient without a name. */
  helloThere: string;
  /** A replier without a name. */
  someone: string;
  replySubject: (replier: string, page: string) => string;
  replied: (replier: string, page: string) => string;
  readIt: string;
  replyWhy: string;
  stop: string;
  unsubscribe: string;
  confirmSubject: (site: string) => string;
  confirmIntro: (site: string) => string;
  /** Before the link in the text part: `#` days. */
  confirmPrompt: PluralForms;
  confirmLink: string;
  /** After the link in the HTML part: `#` days. */
  confirmAfterLink: PluralForms;
  confirmIgnore: (site: string) => string;
  signInSubject: (site: string) => string;
  signInIntro: (site: string) => string;
  /** Before the link in the text part: `#` minutes. */
  signInPrompt: PluralForms;
  signInLink: string;
  /** After the link in the HTML part: `#` minutes. */
  signInAfterLink: PluralForms;
  signInIgnore: string;
  /** The statement of reasons (issue 16): a moderator removed the reader's comment, with a reason. */
  statementSubject: (site: string) => string;
  statementIntro: (site: string, page: string) => string;
  statementYourComment: string;
  /** Before the reason's label. */
  statementWhy: string;
  /** Before the rule the reason rests on. */
  statementRule: string;
  /** Before the moderator's note. */
  statementNote: string;
  /** Who decided: a person (the DSA asks whether automated means were used). */
  statementByPerson: string;
  statementAppeal: string;
  statementAppealLink: string;
  /** The appeal page the statement links to. */
  appealTitle: string;
  appealExplain: string;
  appealLabel: string;
  appealSend: string;
  appealOpened: string;
  appealAlready: string;
  /** The decision was undone or reinstated since: nothing left to appeal. */
  appealGone: string;
}

export interface ReaderWords {
  page: PageWords;
  mail: MailWords;
}
