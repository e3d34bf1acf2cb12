/* Readers' pages and mails in French. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# commentaire', other: '# commentaires' },
    noComments: 'Aucun commentaire pour l’instant',
    title: 'Commentaires',
    anonymous: 'Anonyme',
    says: 'a écrit :',
    reply: 'Répondre',
    replyTo: (name) => `Répondre à ${name}`,
    published: 'Merci ! [Votre commentaire] est publié.',
    queued:
      'Merci ! Votre commentaire a bien été reçu et est en cours de vérification. Rechargez cette page dans un instant pour le voir.',
    awaiting: 'Votre commentaire est en attente de modération.',
    rejected: 'Votre commentaire n’a pas pu être publié :',
    leaveReply: 'Laisser un commentaire',
    leaveReplyTo: (name) => `Répondre à ${name}`,
    cancelReply: 'Annuler la réponse',
    notes: 'Votre adresse e-mail ne sera pas publiée.',
    requiredNote: 'Les champs obligatoires sont indiqués avec *',
    comment: 'Commentaire',
    name: 'Nom',
    email: 'E-mail',
    website: 'Site web',
    notify: 'M’avertir des réponses par e-mail (la première fois, nous envoyons un lien de confirmation).',
    honeypot: 'Laissez ce champ vide',
    post: 'Publier le commentaire',
    closed: 'Les commentaires sont fermés.',
    reviewed: 'Les commentaires sur cet article sont relus avant d’être publiés.',
    reviewedUntil: (time) =>
      `Nos modérateurs reviennent à ${time} ; d’ici là, les commentaires sont relus avant d’être publiés.`,
    closedUntil: (time) => `Les commentaires sont fermés jusqu’à ${time}.`,
    errorTitle: 'Échec de l’envoi du commentaire',
    errorLabel: 'Erreur :',
    back: '« Retour',
    backKeeps: '(le bouton Retour de votre navigateur conserve ce que vous avez écrit)',
    useBack: 'Utilisez le bouton Retour de votre navigateur pour revenir à votre commentaire.',
    errors: {
      REQUIRED_body: 'Veuillez saisir votre commentaire.',
      REQUIRED_author: 'Veuillez indiquer votre nom.',
      REQUIRED_email: 'Veuillez indiquer votre adresse e-mail.',
      INVALID_EMAIL: 'Veuillez saisir une adresse e-mail valide.',
      INVALID_URL: 'Le site web doit être une adresse http:// ou https://.',
      TOO_LONG: 'C’est trop long.',
      INVALID_CHARACTERS: 'Ce texte contient des caractères non autorisés.',
      QUEUE_UNAVAILABLE: 'Le service de commentaires est surchargé. Revenez en arrière et réessayez dans un instant.',
      SIGN_IN_REQUIRED:
        'Ce site n’accepte que les commentaires de lecteurs connectés. Connectez-vous dans la zone de commentaires de la page (JavaScript est nécessaire) et renvoyez votre commentaire.',
    },
    rateLimited: {
      one: 'Trop de commentaires en ce moment ; réessayez dans # seconde.',
      other: 'Trop de commentaires en ce moment ; réessayez dans # secondes.',
    },
  },
  mail: {
    hello: (name) => `Bonjour ${name},`,
    helloAnyone: 'Bonjour,',
    helloThere: 'Bonjour,',
    someone: 'Quelqu’un',
    replySubject: (replier, page) => `${replier} a répondu à votre commentaire sur ${page}`,
    replied: (replier, page) => `${replier} a répondu à votre commentaire sur ${page} :`,
    readIt: 'Lire la réponse',
    replyWhy: 'Vous avez demandé à être averti des réponses à ce commentaire.',
    stop: 'Se désabonner',
    unsubscribe: 'Se désabonner',
    confirmSubject: (site) => `Confirmez les avis de réponse de ${site}`,
    confirmIntro: (site) =>
      `Quelqu’un, vous sans doute, a laissé un commentaire sur ${site} avec cette adresse et a demandé à être averti des réponses.`,
    confirmPrompt: {
      one: 'Pour recevoir ces e-mails, confirmez cette adresse (le lien est valable # jour) :',
      other: 'Pour recevoir ces e-mails, confirmez cette adresse (le lien est valable # jours) :',
    },
    confirmLink: 'Confirmer cette adresse',
    confirmAfterLink: {
      one: 'pour recevoir ces e-mails (le lien est valable # jour).',
      other: 'pour recevoir ces e-mails (le lien est valable # jours).',
    },
    confirmIgnore: (site) =>
      `Si ce n’était pas vous, ignorez cet e-mail : sans confirmation, ${site} n’enverra plus rien à cette adresse.`,
    signInSubject: (site) => `Connectez-vous pour commenter sur ${site}`,
    signInIntro: (site) =>
      `Quelqu’un, vous sans doute, a demandé à se connecter aux commentaires de ${site} avec cette adresse.`,
    signInPrompt: {
      one: 'Pour vous connecter, ouvrez ce lien (il n’est valable qu’une fois, pendant # minute) :',
      other: 'Pour vous connecter, ouvrez ce lien (il n’est valable qu’une fois, pendant # minutes) :',
    },
    signInLink: 'Se connecter',
    signInAfterLink: {
      one: '(le lien n’est valable qu’une fois, pendant # minute).',
      other: '(le lien n’est valable qu’une fois, pendant # minutes).',
    },
    signInIgnore:
      'Si ce n’était pas vous, ignorez cet e-mail : personne n’est connecté tant que le lien n’a pas été ouvert et confirmé.',
  },
};
