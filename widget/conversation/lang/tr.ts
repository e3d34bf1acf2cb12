/* The conversation part's words in Turkish. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'Doğrulanmış',
  staff: 'Ekip',
  pick: 'Editörün seçimi',
  picks: 'Editörün seçimleri',
  sortLabel: 'Yorumları sırala',
  oldest: 'En eski',
  newest: 'En yeni',
  top: 'En iyi',
  voteUp: 'Beğen',
  voteDown: 'Beğenme',
  newComments: { one: '# yeni yorum', other: '# yeni yorum' },
  voteErrors: {
    OWN_COMMENT: 'Kendi yorumunuza oy veremezsiniz.',
    SIGN_IN_REQUIRED: 'Oy vermek için giriş yapın.',
    RATE_LIMITED: 'Aynı anda çok fazla oy verildi; lütfen bir dakika sonra tekrar deneyin.',
    ALREADY_VOTED: 'Ağınızdaki biri bu yoruma zaten oy verdi.',
    '': 'Oyunuz kaydedilemedi; lütfen tekrar deneyin.',
  },
};
