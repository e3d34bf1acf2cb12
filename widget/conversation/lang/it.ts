/* The conversation part's words in Italian. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Verificato',
  staff: 'Redazione',
  pick: 'Scelto dalla redazione',
  picks: 'Scelti dalla redazione',
  sortLabel: 'Ordina i commenti',
  oldest: 'Meno recenti',
  newest: 'Più recenti',
  top: 'Migliori',
  voteUp: 'Vota a favore',
  voteDown: 'Vota contro',
  newComments: { one: '# nuovo commento', other: '# nuovi commenti' },
  voteErrors: {
    OWN_COMMENT: 'Non puoi votare il tuo commento.',
    SIGN_IN_REQUIRED: 'Accedi per votare.',
    RATE_LIMITED: 'Troppi voti in una volta; riprova tra un minuto.',
    ALREADY_VOTED: 'Qualcuno sulla tua rete ha già votato questo commento.',
    '': 'Non è stato possibile salvare il tuo voto; riprova.',
  },
};
