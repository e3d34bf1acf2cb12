/* The conversation part's words in Spanish. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Verificado',
  staff: 'Equipo',
  pick: 'Selección de la redacción',
  picks: 'Selección de la redacción',
  sortLabel: 'Ordenar comentarios',
  oldest: 'Más antiguos',
  newest: 'Más recientes',
  top: 'Mejores',
  voteUp: 'Votar a favor',
  voteDown: 'Votar en contra',
  newComments: { one: '# comentario nuevo', other: '# comentarios nuevos' },
  voteErrors: {
    OWN_COMMENT: 'No puedes votar tu propio comentario.',
    SIGN_IN_REQUIRED: 'Inicia sesión para votar.',
    RATE_LIMITED: 'Demasiados votos a la vez; vuelve a intentarlo dentro de un minuto.',
    ALREADY_VOTED: 'Alguien de tu red ya ha votado este comentario.',
    '': 'No se ha podido guardar tu voto; vuelve a intentarlo.',
  },
};
