/* The conversation part's words in Portuguese. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Verificado',
  staff: 'Equipa',
  pick: 'Escolha da redação',
  picks: 'Escolhas da redação',
  sortLabel: 'Ordenar comentários',
  oldest: 'Mais antigos',
  newest: 'Mais recentes',
  top: 'Melhores',
  voteUp: 'Votar a favor',
  voteDown: 'Votar contra',
  newComments: { one: '# comentário novo', other: '# comentários novos' },
  voteErrors: {
    OWN_COMMENT: 'Não pode votar no seu próprio comentário.',
    SIGN_IN_REQUIRED: 'Inicie sessão para votar.',
    RATE_LIMITED: 'Demasiados votos de uma vez; tente novamente dentro de um minuto.',
    ALREADY_VOTED: 'Alguém na sua rede já votou neste comentário.',
    '': 'Não foi possível guardar o seu voto; tente novamente.',
  },
};
