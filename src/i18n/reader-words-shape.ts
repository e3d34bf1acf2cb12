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
  /**
   * Why the checks refused a comment, by the code of their verdict (src/moderation/rules/refusal-rules.ts;
   * not HTTP errors, so not in the error catalogue): the status the widget polls and the no-JS page show it.
   */
  refusals: Record<string, string>;
  /** A 429: `#` seconds to wait. */
  rateLimited: PluralForms;
  /** A comment refused as one too soon after the author's last (TOO_FAST): `#` seconds to wait. */
  tooFast: PluralForms;
  /** A reply refused as nested too deep (TOO_DEEP): the site's `#` levels. */
  tooDeep: PluralForms;
}

/**
 * The pages a reader lands on from a link in one of our mails: stopping and confirming reply notices
 * (/mail/unsubscribe, /mail/confirm) and the email sign-in link (/readers/email/confirm).
 */
export interface LandingWords {
  invalidTitle: string;
  invalid: string;
  expiredTitle: string;
  /** A confirmation link that is broken or too old. */
  confirmAgain: string;
  unsubscribeTitle: string;
  /** Both before the button and after it is pressed. */
  unsubscribeText: string;
  unsubscribeButton: string;
  unsubscribedTitle: string;
  confirmTitle: string;
  confirmText: string;
  confirmButton: string;
  nothingTitle: string;
  nothing: string;
  confirmedTitle: string;
  confirmed: string;
  signInTitle: (site: string) => string;
  signInText: (site: string) => string;
  signInButton: string;
  signedInTitle: string;
  signedIn: (site: string) => string;
  usedTitle: string;
  used: string;
  /** A sign-in link past its time: links work for `#` minutes. */
  signInExpired: PluralForms;
  signInInvalid: string;
  busyTitle: string;
  busy: string;
}

/**
 * The OpenID Connect popup's pages (src/http/readers/oidc-routes.ts), in the language the widget asked
 * in: why a sign-in could not start or finish, and the hand-off page. The failures also reach the widget.
 */
export interface OidcWords {
  busyTitle: string;
  busy: string;
  noSiteTitle: string;
  noSite: string;
  notHereTitle: string;
  /** The start came from a page that is not one of the site's origins. */
  notHere: string;
  notOfferedTitle: string;
  notOffered: string;
  noProviderTitle: string;
  noProvider: string;
  unreachable: (provider: string) => string;
  expiredTitle: string;
  expired: string;
  /** The callback came without the popup's cookie: started elsewhere. */
  otherBrowser: string;
  cancelled: string;
  refused: string;
  providerGone: string;
  unverified: string;
  failedTitle: string;
  signedInTitle: string;
  signedInAs: (name: string) => string;
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
  landing: LandingWords;
  oidc: OidcWords;
}
