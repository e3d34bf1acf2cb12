/* The conversation part's words: English here, the others in ./lang/, loaded with the widget's (widget/i18n.ts). */
import { languageFiles } from '../i18n.js';
import { loadWords, type WordsModule } from '../load-words.js';
import type { PluralForms } from '../plural.js';

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
  /** The button over the thread while new comments wait: `#` of them. */
  newComments: PluralForms;
  /** Why a vote did not count, by error code ("" for any other failure). */
  voteErrors: Record<string, string>;
}

export const en: ConversationMessages = {
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
  newComments: { one: '# new comment', other: '# new comments' },
  voteErrors: {
    OWN_COMMENT: 'You can’t vote on your own comment.',
    SIGN_IN_REQUIRED: 'Sign in to vote.',
    RATE_LIMITED: 'Too many votes at once; please try again in a minute.',
    ALREADY_VOTED: 'Someone on your network has voted on this comment already.',
    '': 'Your vote could not be saved; please try again.',
  },
};

/* Each language's file of the widget's words brings the conversation's too (i18n.ts): one file per language. */
const loaders: Record<string, () => Promise<WordsModule<ConversationMessages>>> = Object.fromEntries(
  Object.entries(languageFiles).map(([lang, load]) => [lang, () => load().then((m) => ({ words: m.conversation }))]),
);

/** The conversation part's words in `lang` (English when the language's file does not load). */
export const loadConversationMessages = (lang: string): Promise<ConversationMessages> => loadWords(lang, en, loaders);
