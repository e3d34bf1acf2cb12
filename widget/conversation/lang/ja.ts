/* The conversation part's words in Japanese. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: '認証済み',
  staff: 'スタッフ',
  pick: '編集部のおすすめ',
  picks: '編集部のおすすめ',
  sortLabel: 'コメントの並べ替え',
  oldest: '古い順',
  newest: '新しい順',
  top: '人気順',
  voteUp: '高評価',
  voteDown: '低評価',
  newComments: { other: '新しいコメント #件' },
  voteErrors: {
    OWN_COMMENT: '自分のコメントには投票できません。',
    SIGN_IN_REQUIRED: '投票するにはログインしてください。',
    RATE_LIMITED: '一度に投票しすぎです。1分後にもう一度お試しください。',
    ALREADY_VOTED: '同じネットワークの誰かがすでにこのコメントに投票しています。',
    '': '投票を保存できませんでした。もう一度お試しください。',
  },
};
