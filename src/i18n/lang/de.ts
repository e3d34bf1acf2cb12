/* Readers' pages and mails in German. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# Kommentar', other: '# Kommentare' },
    noComments: 'Noch keine Kommentare',
    title: 'Kommentare',
    anonymous: 'Anonym',
    says: 'sagt:',
    reply: 'Antworten',
    replyTo: (name) => `${name} antworten`,
    published: 'Danke! [Dein Kommentar] ist veröffentlicht.',
    queued: 'Danke! Dein Kommentar ist angekommen und wird geprüft. Lade diese Seite gleich neu, um ihn zu sehen.',
    awaiting: 'Dein Kommentar wartet auf Freischaltung.',
    rejected: 'Dein Kommentar konnte nicht veröffentlicht werden:',
    leaveReply: 'Schreibe einen Kommentar',
    leaveReplyTo: (name) => `Antworte ${name}`,
    cancelReply: 'Antworten abbrechen',
    notes: 'Deine E-Mail-Adresse wird nicht veröffentlicht.',
    requiredNote: 'Erforderliche Felder sind mit * markiert.',
    comment: 'Kommentar',
    name: 'Name',
    email: 'E-Mail',
    website: 'Website',
    notify: 'Bei Antworten per E-Mail benachrichtigen (beim ersten Mal senden wir einen Link zur Bestätigung).',
    honeypot: 'Dieses Feld leer lassen',
    post: 'Kommentar abschicken',
    closed: 'Die Kommentarfunktion ist geschlossen.',
    reviewed: 'Kommentare zu diesem Artikel werden vor dem Erscheinen geprüft.',
    reviewedUntil: (time) =>
      `Unsere Moderation ist ab ${time} wieder da; bis dahin werden Kommentare vor dem Erscheinen geprüft.`,
    closedUntil: (time) => `Die Kommentarfunktion ist bis ${time} geschlossen.`,
    errorTitle: 'Kommentar konnte nicht gesendet werden',
    errorLabel: 'Fehler:',
    back: '« Zurück',
    backKeeps: '(die Zurück-Taste deines Browsers behält, was du geschrieben hast)',
    useBack: 'Mit der Zurück-Taste deines Browsers kommst du zu deinem Kommentar zurück.',
    errors: {
      REQUIRED_body: 'Bitte schreibe einen Kommentar.',
      REQUIRED_author: 'Bitte gib deinen Namen ein.',
      REQUIRED_email: 'Bitte gib deine E-Mail-Adresse ein.',
      INVALID_EMAIL: 'Bitte gib eine gültige E-Mail-Adresse ein.',
      INVALID_URL: 'Die Website muss eine http://- oder https://-Adresse sein.',
      TOO_LONG: 'Das ist zu lang.',
      INVALID_CHARACTERS: 'Das enthält unzulässige Zeichen.',
      QUEUE_UNAVAILABLE: 'Der Kommentardienst ist ausgelastet. Bitte geh zurück und versuche es gleich noch einmal.',
      SIGN_IN_REQUIRED:
        'Auf dieser Website können nur angemeldete Leser kommentieren. Bitte melde dich im Kommentarfeld der Seite an (dafür ist JavaScript nötig) und sende erneut.',
    },
    rateLimited: {
      one: 'Gerade kamen zu viele Kommentare; bitte versuche es in # Sekunde erneut.',
      other: 'Gerade kamen zu viele Kommentare; bitte versuche es in # Sekunden erneut.',
    },
  },
  mail: {
    hello: (name) => `Hallo ${name},`,
    helloAnyone: 'Hallo,',
    helloThere: 'Hallo,',
    someone: 'Jemand',
    replySubject: (replier, page) => `${replier} hat auf deinen Kommentar zu ${page} geantwortet`,
    replied: (replier, page) => `${replier} hat auf deinen Kommentar zu ${page} geantwortet:`,
    readIt: 'Antwort lesen',
    replyWhy: 'Du wolltest über Antworten auf diesen Kommentar informiert werden.',
    stop: 'Abbestellen',
    unsubscribe: 'Abbestellen',
    confirmSubject: (site) => `Bestätige Antwort-Benachrichtigungen von ${site}`,
    confirmIntro: (site) =>
      `Jemand, hoffentlich du, hat mit dieser Adresse einen Kommentar auf ${site} geschrieben und möchte bei Antworten benachrichtigt werden.`,
    confirmPrompt: {
      one: 'Um diese E-Mails zu bekommen, bestätige diese Adresse (der Link gilt # Tag):',
      other: 'Um diese E-Mails zu bekommen, bestätige diese Adresse (der Link gilt # Tage):',
    },
    confirmLink: 'Adresse bestätigen',
    confirmAfterLink: {
      one: 'um diese E-Mails zu bekommen (der Link gilt # Tag).',
      other: 'um diese E-Mails zu bekommen (der Link gilt # Tage).',
    },
    confirmIgnore: (site) =>
      `Warst du es nicht, ignoriere diese E-Mail: Ohne Bestätigung schickt ${site} nichts weiter an diese Adresse.`,
    signInSubject: (site) => `Anmelden, um auf ${site} zu kommentieren`,
    signInIntro: (site) =>
      `Jemand, hoffentlich du, möchte sich mit dieser Adresse bei den Kommentaren von ${site} anmelden.`,
    signInPrompt: {
      one: 'Öffne zum Anmelden diesen Link (er gilt einmal, # Minute lang):',
      other: 'Öffne zum Anmelden diesen Link (er gilt einmal, # Minuten lang):',
    },
    signInLink: 'Anmelden',
    signInAfterLink: {
      one: '(der Link gilt einmal, # Minute lang).',
      other: '(der Link gilt einmal, # Minuten lang).',
    },
    signInIgnore:
      'Warst du es nicht, ignoriere diese E-Mail: Niemand wird angemeldet, bevor der Link geöffnet und bestätigt wurde.',
  },
};
