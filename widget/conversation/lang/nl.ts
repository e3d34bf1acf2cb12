/* The conversation part's words in Dutch. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Geverifieerd',
  staff: 'Redactie',
  pick: 'Keuze van de redactie',
  picks: 'Keuzes van de redactie',
  sortLabel: 'Reacties sorteren',
  oldest: 'Oudste',
  newest: 'Nieuwste',
  top: 'Beste',
  voteUp: 'Stem omhoog',
  voteDown: 'Stem omlaag',
  newComments: { one: '# nieuwe reactie', other: '# nieuwe reacties' },
  voteErrors: {
    OWN_COMMENT: 'Je kunt niet op je eigen reactie stemmen.',
    SIGN_IN_REQUIRED: 'Log in om te stemmen.',
    RATE_LIMITED: 'Te veel stemmen tegelijk; probeer het over een minuut opnieuw.',
    ALREADY_VOTED: 'Iemand op jouw netwerk heeft al op deze reactie gestemd.',
    '': 'Je stem kon niet worden opgeslagen; probeer het opnieuw.',
  },
};
