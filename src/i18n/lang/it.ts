/* Readers' pages and mails in Italian. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# commento', other: '# commenti' },
    noComments: 'Ancora nessun commento',
    title: 'Commenti',
    anonymous: 'Anonimo',
    says: 'ha scritto:',
    reply: 'Rispondi',
    replyTo: (name) => `Rispondi a ${name}`,
    published: 'Grazie! [Il tuo commento] è pubblicato.',
    queued:
      'Grazie! Il tuo commento è stato ricevuto ed è in fase di verifica. Ricarica la pagina tra un momento per vederlo.',
    awaiting: 'Il tuo commento è in attesa di moderazione.',
    rejected: 'Non è stato possibile pubblicare il tuo commento:',
    leaveReply: 'Lascia un commento',
    leaveReplyTo: (name) => `Rispondi a ${name}`,
    cancelReply: 'Annulla risposta',
    notes: 'Il tuo indirizzo email non sarà pubblicato.',
    requiredNote: 'I campi obbligatori sono contrassegnati con *',
    comment: 'Commento',
    name: 'Nome',
    email: 'Email',
    website: 'Sito web',
    notify: 'Avvisami delle risposte via email (la prima volta inviamo un link di conferma).',
    honeypot: 'Lascia vuoto questo campo',
    post: 'Invia commento',
    closed: 'I commenti sono chiusi.',
    reviewed: 'I commenti a questo articolo vengono controllati prima di apparire.',
    reviewedUntil: (time) =>
      `I nostri moderatori tornano alle ${time}; fino ad allora i commenti vengono controllati prima di apparire.`,
    closedUntil: (time) => `I commenti sono chiusi fino alle ${time}.`,
    errorTitle: 'Invio del commento non riuscito',
    errorLabel: 'Errore:',
    back: '« Indietro',
    backKeeps: '(il pulsante Indietro del browser conserva quello che hai scritto)',
    useBack: 'Usa il pulsante Indietro del browser per tornare al tuo commento.',
    errors: {
      REQUIRED_body: 'Scrivi il tuo commento.',
      REQUIRED_author: 'Inserisci il tuo nome.',
      REQUIRED_email: 'Inserisci il tuo indirizzo email.',
      INVALID_EMAIL: 'Inserisci un indirizzo email valido.',
      INVALID_URL: 'Il sito web deve essere un indirizzo http:// o https://.',
      TOO_LONG: 'È troppo lungo.',
      INVALID_CHARACTERS: 'Contiene caratteri non consentiti.',
      QUEUE_UNAVAILABLE: 'Il servizio dei commenti è sovraccarico. Torna indietro e riprova tra un momento.',
      SIGN_IN_REQUIRED:
        'Questo sito accetta commenti solo da lettori che hanno effettuato l’accesso. Accedi dal riquadro dei commenti della pagina (serve JavaScript) e invia di nuovo.',
    },
    rateLimited: {
      one: 'Troppi commenti in questo momento; riprova tra # secondo.',
      other: 'Troppi commenti in questo momento; riprova tra # secondi.',
    },
  },
  mail: {
    hello: (name) => `Ciao ${name},`,
    helloAnyone: 'Ciao,',
    helloThere: 'Ciao,',
    someone: 'Qualcuno',
    replySubject: (replier, page) => `${replier} ha risposto al tuo commento su ${page}`,
    replied: (replier, page) => `${replier} ha risposto al tuo commento su ${page}:`,
    readIt: 'Leggi la risposta',
    replyWhy: 'Hai chiesto di essere avvisato delle risposte a questo commento.',
    stop: 'Non avvisarmi più',
    unsubscribe: 'Annulla l’iscrizione',
    confirmSubject: (site) => `Conferma gli avvisi di risposta da ${site}`,
    confirmIntro: (site) =>
      `Qualcuno, speriamo tu, ha lasciato un commento su ${site} con questo indirizzo e ha chiesto di ricevere un’email quando qualcuno risponde.`,
    confirmPrompt: {
      one: 'Per ricevere queste email, conferma questo indirizzo (il link vale # giorno):',
      other: 'Per ricevere queste email, conferma questo indirizzo (il link vale # giorni):',
    },
    confirmLink: 'Conferma questo indirizzo',
    confirmAfterLink: {
      one: 'per ricevere queste email (il link vale # giorno).',
      other: 'per ricevere queste email (il link vale # giorni).',
    },
    confirmIgnore: (site) =>
      `Se non sei stato tu, ignora questa email: senza conferma ${site} non invierà altro a questo indirizzo.`,
    signInSubject: (site) => `Accedi per commentare su ${site}`,
    signInIntro: (site) => `Qualcuno, speriamo tu, ha chiesto di accedere ai commenti di ${site} con questo indirizzo.`,
    signInPrompt: {
      one: 'Per accedere, apri questo link (vale una sola volta, per # minuto):',
      other: 'Per accedere, apri questo link (vale una sola volta, per # minuti):',
    },
    signInLink: 'Accedi',
    signInAfterLink: {
      one: '(il link vale una sola volta, per # minuto).',
      other: '(il link vale una sola volta, per # minuti).',
    },
    signInIgnore:
      'Se non sei stato tu, ignora questa email: nessuno accede finché il link non viene aperto e confermato.',
  },
};
