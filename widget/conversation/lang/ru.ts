/* The conversation part's words in Russian. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Подтверждён',
  staff: 'Редакция',
  pick: 'Выбор редакции',
  picks: 'Выбор редакции',
  sortLabel: 'Сортировка комментариев',
  oldest: 'Сначала старые',
  newest: 'Сначала новые',
  top: 'Лучшие',
  voteUp: 'Голосовать за',
  voteDown: 'Голосовать против',
  newComments: {
    one: '# новый комментарий',
    few: '# новых комментария',
    many: '# новых комментариев',
    other: '# нового комментария',
  },
  voteErrors: {
    OWN_COMMENT: 'Нельзя голосовать за собственный комментарий.',
    SIGN_IN_REQUIRED: 'Войдите, чтобы голосовать.',
    RATE_LIMITED: 'Слишком много голосов сразу; попробуйте снова через минуту.',
    ALREADY_VOTED: 'Кто-то из вашей сети уже проголосовал за этот комментарий.',
    '': 'Не удалось сохранить ваш голос; попробуйте ещё раз.',
  },
};
