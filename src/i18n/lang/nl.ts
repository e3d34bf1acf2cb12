/* Readers' pages and mails in Dutch. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# reactie', other: '# reacties' },
    noComments: 'Nog geen reacties',
    title: 'Reacties',
    anonymous: 'Anoniem',
    says: 'schreef:',
    reply: 'Beantwoorden',
    replyTo: (name) => `${name} beantwoorden`,
    published: 'Bedankt! [Je reactie] is gepubliceerd.',
    queued:
      'Bedankt! Je reactie is ontvangen en wordt gecontroleerd. Laad deze pagina zo meteen opnieuw om haar te zien.',
    awaiting: 'Je reactie wacht op goedkeuring.',
    rejected: 'Je reactie kon niet worden gepubliceerd:',
    leaveReply: 'Laat een reactie achter',
    leaveReplyTo: (name) => `Reageer op ${name}`,
    cancelReply: 'Antwoord annuleren',
    notes: 'Je e-mailadres wordt niet gepubliceerd.',
    requiredNote: 'Verplichte velden zijn gemarkeerd met *',
    comment: 'Reactie',
    name: 'Naam',
    email: 'E-mail',
    website: 'Website',
    notify: 'Stuur me een e-mail bij antwoorden (de eerste keer sturen we een bevestigingslink).',
    honeypot: 'Laat dit veld leeg',
    post: 'Reactie plaatsen',
    closed: 'Reageren is gesloten.',
    reviewed: 'Reacties op dit artikel worden beoordeeld voordat ze verschijnen.',
    reviewedUntil: (time) =>
      `Onze moderatoren zijn er weer om ${time}; tot dan worden reacties beoordeeld voordat ze verschijnen.`,
    closedUntil: (time) => `Reageren is gesloten tot ${time}.`,
    errorTitle: 'Reactie kon niet worden verstuurd',
    errorLabel: 'Fout:',
    back: '« Terug',
    backKeeps: '(met de terugknop van je browser blijft bewaard wat je hebt getypt)',
    useBack: 'Ga met de terugknop van je browser terug naar je reactie.',
    errors: {
      REQUIRED_body: 'Typ je reactie.',
      REQUIRED_author: 'Vul je naam in.',
      REQUIRED_email: 'Vul je e-mailadres in.',
      INVALID_EMAIL: 'Vul een geldig e-mailadres in.',
      INVALID_URL: 'De website moet een http://- of https://-adres zijn.',
      TOO_LONG: 'Dit is te lang.',
      INVALID_CHARACTERS: 'Dit bevat tekens die niet zijn toegestaan.',
      QUEUE_UNAVAILABLE: 'De reactiedienst is overbelast. Ga terug en probeer het zo meteen opnieuw.',
      SIGN_IN_REQUIRED:
        'Op deze site kunnen alleen ingelogde lezers reageren. Log in via het reactievak op de pagina (daarvoor is JavaScript nodig) en verstuur je reactie opnieuw.',
    },
    rateLimited: {
      one: 'Te veel reacties op dit moment; probeer het over # seconde opnieuw.',
      other: 'Te veel reacties op dit moment; probeer het over # seconden opnieuw.',
    },
  },
  mail: {
    hello: (name) => `Hallo ${name},`,
    helloAnyone: 'Hallo,',
    helloThere: 'Hallo,',
    someone: 'Iemand',
    replySubject: (replier, page) => `${replier} heeft gereageerd op je reactie bij ${page}`,
    replied: (replier, page) => `${replier} heeft gereageerd op je reactie bij ${page}:`,
    readIt: 'Lees het antwoord',
    replyWhy: 'Je hebt gevraagd om bericht bij antwoorden op deze reactie.',
    stop: 'Stoppen',
    unsubscribe: 'Afmelden',
    confirmSubject: (site) => `Bevestig meldingen van antwoorden van ${site}`,
    confirmIntro: (site) =>
      `Iemand, hopelijk jij, heeft met dit adres een reactie geplaatst op ${site} en gevraagd om een e-mail bij antwoorden.`,
    confirmPrompt: {
      one: 'Bevestig dit adres om die e-mails te krijgen (de link werkt # dag):',
      other: 'Bevestig dit adres om die e-mails te krijgen (de link werkt # dagen):',
    },
    confirmLink: 'Bevestig dit adres',
    confirmAfterLink: {
      one: 'om die e-mails te krijgen (de link werkt # dag).',
      other: 'om die e-mails te krijgen (de link werkt # dagen).',
    },
    confirmIgnore: (site) =>
      `Was jij het niet? Negeer deze e-mail dan: zonder bevestiging stuurt ${site} niets meer naar dit adres.`,
    signInSubject: (site) => `Log in om te reageren op ${site}`,
    signInIntro: (site) => `Iemand, hopelijk jij, wil met dit adres inloggen bij de reacties van ${site}.`,
    signInPrompt: {
      one: 'Open deze link om in te loggen (hij werkt één keer, # minuut lang):',
      other: 'Open deze link om in te loggen (hij werkt één keer, # minuten lang):',
    },
    signInLink: 'Inloggen',
    signInAfterLink: {
      one: '(de link werkt één keer, # minuut lang).',
      other: '(de link werkt één keer, # minuten lang).',
    },
    signInIgnore:
      'Was jij het niet? Negeer deze e-mail dan: niemand wordt ingelogd voordat de link is geopend en bevestigd.',
  },
};
