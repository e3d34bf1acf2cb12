/* The conversation part's words in German. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
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
  newComments: { one: '# neuer Kommentar', other: '# neue Kommentare' },
  voteErrors: {
    OWN_COMMENT: 'Den eigenen Kommentar kannst du nicht bewerten.',
    SIGN_IN_REQUIRED: 'Melde dich an, um abzustimmen.',
    RATE_LIMITED: 'Zu viele Bewertungen auf einmal; bitte versuche es in einer Minute erneut.',
    ALREADY_VOTED: 'Aus deinem Netzwerk wurde dieser Kommentar schon bewertet.',
    '': 'Deine Bewertung konnte nicht gespeichert werden; bitte versuche es erneut.',
  },
};
