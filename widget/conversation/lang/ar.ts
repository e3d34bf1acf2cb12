/* The conversation part's words in Arabic. */
import type { ConversationMessages } from '../words.js';

export const words: ConversationMessages = {
  verified: 'موثَّق',
  staff: 'فريق التحرير',
  pick: 'اختيار المحررين',
  picks: 'اختيارات المحررين',
  sortLabel: 'ترتيب التعليقات',
  oldest: 'الأقدم',
  newest: 'الأحدث',
  top: 'الأفضل',
  voteUp: 'تصويت إيجابي',
  voteDown: 'تصويت سلبي',
  newComments: {
    zero: 'لا تعليقات جديدة',
    one: 'تعليق جديد واحد',
    two: 'تعليقان جديدان',
    few: '# تعليقات جديدة',
    many: '# تعليقًا جديدًا',
    other: '# تعليق جديد',
  },
  voteErrors: {
    OWN_COMMENT: 'لا يمكنك التصويت على تعليقك.',
    SIGN_IN_REQUIRED: 'سجّل الدخول للتصويت.',
    RATE_LIMITED: 'أصوات كثيرة دفعة واحدة؛ يرجى المحاولة مجددًا بعد دقيقة.',
    ALREADY_VOTED: 'صوّت شخص على شبكتك على هذا التعليق من قبل.',
    '': 'تعذّر حفظ صوتك؛ يرجى المحاولة مجددًا.',
  },
};
