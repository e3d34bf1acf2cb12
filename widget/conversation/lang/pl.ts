/* The conversation part's words in Polish. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Zweryfikowany',
  staff: 'Redakcja',
  pick: 'Wybór redakcji',
  picks: 'Wybór redakcji',
  sortLabel: 'Sortuj komentarze',
  oldest: 'Najstarsze',
  newest: 'Najnowsze',
  top: 'Najlepsze',
  voteUp: 'Głosuj za',
  voteDown: 'Głosuj przeciw',
  newComments: {
    one: '# nowy komentarz',
    few: '# nowe komentarze',
    many: '# nowych komentarzy',
    other: '# nowego komentarza',
  },
  voteErrors: {
    OWN_COMMENT: 'Nie możesz głosować na własny komentarz.',
    SIGN_IN_REQUIRED: 'Zaloguj się, aby głosować.',
    RATE_LIMITED: 'Zbyt wiele głosów naraz; spróbuj ponownie za minutę.',
    ALREADY_VOTED: 'Ktoś z Twojej sieci już głosował na ten komentarz.',
    '': 'Nie udało się zapisać głosu; spróbuj ponownie.',
  },
};
