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
    reviewed: 'この記事へのコメントは、掲載前に確認されます。',
    reviewedUntil: (time) => `モデレーターは${time}に戻ります。それまでコメントは掲載前に確認されます。`,
    closedUntil: (time) => `コメントは${time}まで受け付けていません。`,
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
    rateLimited: {
      other: '現在コメントが集中しています。#秒後にもう一度お試しください。',
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
    statementSubject: (site) => `${site} のあなたのコメントは削除されました`,
    statementIntro: (site, page) => `${site} のモデレーターが「${page}」へのあなたのコメントを削除しました。`,
    statementYourComment: 'あなたのコメント:',
    statementWhy: '理由:',
    statementRule: '違反したルール:',
    statementNote: 'モデレーターからのメモ:',
    statementByPerson: 'この判断は自動フィルターではなく、人が行いました。',
    statementAppeal:
      '誤りだと思う場合は、6か月以内に異議を申し立てられます。この判断をしていないモデレーターが改めて確認します。',
    statementAppealLink: 'この判断に異議を申し立てる',
    appealTitle: '削除への異議申し立て',
    appealExplain:
      'コメントを公開すべき理由をモデレーターに伝えてください。最初の判断をしていないモデレーターが決定します。',
    appealLabel: '公開すべき理由(任意)',
    appealSend: '異議を送信',
    appealOpened: 'ありがとうございます。異議を受け付けました。別のモデレーターが決定します。',
    appealAlready: 'この判断にはすでに異議を申し立てています。モデレーターが決定します。',
    appealGone: 'この判断はすでに有効ではありません。異議を申し立てる対象がありません。',
  },
};
