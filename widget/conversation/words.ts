/* The conversation part's words: English here, the others in ./lang/, as widget/i18n.ts does for embed.js. */
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

/* One import() per language, written out so that the bundler makes each a chunk of its own. */
const loaders: Record<string, () => Promise<WordsModule<ConversationMessages>>> = {
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

/** The conversation part's words in `lang` (English when the language's file does not load). */
export const loadConversationMessages = (lang: string): Promise<ConversationMessages> => loadWords(lang, en, loaders);
