/* The conversation part's words in French. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Vérifié',
  staff: 'Équipe',
  pick: 'Choix de la rédaction',
  picks: 'Les choix de la rédaction',
  sortLabel: 'Trier les commentaires',
  oldest: 'Plus anciens',
  newest: 'Plus récents',
  top: 'Meilleurs',
  voteUp: 'Voter pour',
  voteDown: 'Voter contre',
  newComments: { one: '# nouveau commentaire', other: '# nouveaux commentaires' },
  voteErrors: {
    OWN_COMMENT: 'Vous ne pouvez pas voter pour votre propre commentaire.',
    SIGN_IN_REQUIRED: 'Connectez-vous pour voter.',
    RATE_LIMITED: 'Trop de votes à la fois ; réessayez dans une minute.',
    ALREADY_VOTED: 'Quelqu’un sur votre réseau a déjà voté pour ce commentaire.',
    '': 'Votre vote n’a pas pu être enregistré ; veuillez réessayer.',
  },
};
