/* Readers' pages and mails in Japanese. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { other: 'コメント #件' },
    noComments: 'まだコメントはありません',
    title: 'コメント',
    anonymous: '匿名',
    says: 'より:',
    reply: '返信',
    replyTo: (name) => `${name}さんに返信`,
    published: 'ありがとうございます。[コメント]が公開されました。',
    queued:
      'ありがとうございます。コメントを受け付け、確認しています。しばらくしてからこのページを再読み込みすると表示されます。',
    awaiting: 'コメントは承認待ちです。',
    rejected: 'コメントを公開できませんでした:',
    leaveReply: 'コメントを残す',
    leaveReplyTo: (name) => `${name}さんに返信する`,
    cancelReply: '返信をキャンセル',
    notes: 'メールアドレスが公開されることはありません。',
    requiredNote: '* が付いている欄は必須項目です',
    comment: 'コメント',
    name: '名前',
    email: 'メール',
    website: 'サイト',
    notify: '返信をメールで知らせる（初回は確認用のリンクをお送りします）。',
    honeypot: 'この欄は空のままにしてください',
    post: 'コメントを送信',
    closed: 'コメントの受け付けは終了しました。',
    errorTitle: 'コメントを送信できませんでした',
    errorLabel: 'エラー:',
    back: '« 戻る',
    backKeeps: '（ブラウザの「戻る」ボタンなら入力内容は残ります）',
    useBack: 'ブラウザの「戻る」ボタンでコメントに戻ってください。',
    errors: {
      REQUIRED_body: 'コメントを入力してください。',
      REQUIRED_author: '名前を入力してください。',
      REQUIRED_email: 'メールアドレスを入力してください。',
      INVALID_EMAIL: '正しいメールアドレスを入力してください。',
      INVALID_URL: 'サイトは http:// または https:// で始まるアドレスにしてください。',
      TOO_LONG: '長すぎます。',
      INVALID_CHARACTERS: '使用できない文字が含まれています。',
      QUEUE_UNAVAILABLE:
        'コメントサービスが混み合っています。前のページに戻り、しばらくしてからもう一度お試しください。',
      SIGN_IN_REQUIRED:
        'このサイトでは、ログインした読者のみコメントできます。ページのコメント欄からログインして（JavaScript が必要です）、もう一度送信してください。',
    },
    refusals: {
      THREAD_CLOSED: 'このページのコメントは締め切られました。',
      PARENT_NOT_FOUND: '返信先のコメントはこのページにありません。',
      PARENT_NOT_APPROVED: '返信先のコメントは公開されていません。',
      DUPLICATE: '同じコメントがすでにあります。同じ内容をもう投稿したようです。',
    },
    rateLimited: {
      other: '現在コメントが集中しています。#秒後にもう一度お試しください。',
    },
    tooFast: {
      other: 'コメントの投稿が速すぎます。#秒後にもう一度お試しください。',
    },
    tooDeep: {
      other: 'ここでは返信は#階層までです。',
    },
  },
  mail: {
    hello: (name) => `${name}様`,
    helloAnyone: 'こんにちは。',
    helloThere: 'こんにちは。',
    someone: 'どなたか',
    replySubject: (replier, page) => `${page}のあなたのコメントに${replier}さんが返信しました`,
    replied: (replier, page) => `${page}のあなたのコメントに${replier}さんが返信しました:`,
    readIt: '返信を読む',
    replyWhy: 'このコメントへの返信の通知をご希望いただいたため、お送りしています。',
    stop: '通知を停止',
    unsubscribe: '配信停止',
    confirmSubject: (site) => `${site}からの返信通知の確認`,
    confirmIntro: (site) =>
      `どなたか（おそらくご本人）が、このアドレスで${site}にコメントし、返信があったらメールで知らせるよう希望されました。`,
    confirmPrompt: {
      other: 'メールを受け取るには、このアドレスを確認してください（リンクの有効期限は#日です）:',
    },
    confirmLink: 'このアドレスを確認する',
    confirmAfterLink: {
      other: 'と、返信メールが届くようになります（リンクの有効期限は#日です）。',
    },
    confirmIgnore: (site) =>
      `お心当たりがない場合は、このメールを無視してください。確認されない限り、${site}からこのアドレスに今後メールが届くことはありません。`,
    signInSubject: (site) => `${site}でコメントするためのログイン`,
    signInIntro: (site) =>
      `どなたか（おそらくご本人）が、このアドレスで${site}のコメントへのログインを希望されました。`,
    signInPrompt: {
      other: 'ログインするには、このリンクを開いてください（1回限り、#分間有効です）:',
    },
    signInLink: 'ログイン',
    signInAfterLink: {
      other: '（リンクは1回限り、#分間有効です）。',
    },
    signInIgnore:
      'お心当たりがない場合は、このメールを無視してください。リンクが開かれて確認されるまで、誰もログインされません。',
  },
  landing: {
    invalidTitle: 'このリンクは無効です',
    invalid: 'リンクが不完全か、変更されています。',
    expiredTitle: 'このリンクは有効期限が切れています',
    confirmAgain: '返信のお知らせは、最近のメールからアドレスを確認すると始まります。',
    unsubscribeTitle: '返信のお知らせを停止しますか？',
    unsubscribeText: 'このコメントへの返信についてのメールは今後届きません。',
    unsubscribeButton: '配信を停止',
    unsubscribedTitle: '配信を停止しました',
    confirmTitle: '返信のお知らせを確認しますか？',
    confirmText: 'このサイトでお知らせを希望したコメントに返信があると、このアドレスにメールが届きます。',
    confirmButton: '確認する',
    nothingTitle: '確認するものはありません',
    nothing: 'このアドレスはもう登録されていません。',
    confirmedTitle: '確認しました',
    confirmed: 'お知らせを希望したコメントに返信があると、メールでお知らせします。',
    signInTitle: (site) => `${site}にログインしますか？`,
    signInText: (site) => `このアドレスで${site}のコメントにログインするには確認してください。`,
    signInButton: 'ログインする',
    signedInTitle: 'ログインしました',
    signedIn: (site) => `${site}にログインしました。記事に戻ってください。このページは閉じてかまいません。`,
    usedTitle: 'リンクは使用済みです',
    used: 'このログインリンクはすでに使われています。必要ならコメント欄から新しいリンクを依頼してください。',
    signInExpired: {
      other:
        'このログインリンクは有効期限が切れています（リンクの有効期間は#分です）。コメント欄から新しいリンクを依頼してください。',
    },
    signInInvalid: 'このログインリンクは無効です。コメント欄から新しいリンクを依頼してください。',
    busyTitle: 'しばらくしてからお試しください',
    busy: 'ログインは一時的に利用できません。少ししてからもう一度リンクを開いてください。',
  },
};
