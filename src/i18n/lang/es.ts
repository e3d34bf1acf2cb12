/* Readers' pages and mails in Spanish. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# comentario', other: '# comentarios' },
    noComments: 'Todavía no hay comentarios',
    title: 'Comentarios',
    anonymous: 'Anónimo',
    says: 'dice:',
    reply: 'Responder',
    replyTo: (name) => `Responder a ${name}`,
    published: '¡Gracias! [Tu comentario] está publicado.',
    queued:
      '¡Gracias! Hemos recibido tu comentario y lo estamos revisando. Vuelve a cargar esta página en un momento para verlo.',
    awaiting: 'Tu comentario está pendiente de moderación.',
    rejected: 'No se ha podido publicar tu comentario:',
    leaveReply: 'Deja un comentario',
    leaveReplyTo: (name) => `Responder a ${name}`,
    cancelReply: 'Cancelar respuesta',
    notes: 'Tu dirección de correo electrónico no será publicada.',
    requiredNote: 'Los campos obligatorios están marcados con *',
    comment: 'Comentario',
    name: 'Nombre',
    email: 'Correo electrónico',
    website: 'Web',
    notify: 'Avisarme de las respuestas por correo (la primera vez enviamos un enlace para confirmarlo).',
    honeypot: 'Deja este campo vacío',
    post: 'Publicar el comentario',
    closed: 'Los comentarios están cerrados.',
    reviewed: 'Los comentarios de esta noticia se revisan antes de publicarse.',
    reviewedUntil: (time) =>
      `Nuestros moderadores vuelven a las ${time}; hasta entonces, los comentarios se revisan antes de publicarse.`,
    closedUntil: (time) => `Los comentarios están cerrados hasta las ${time}.`,
    errorTitle: 'No se pudo enviar el comentario',
    errorLabel: 'Error:',
    back: '« Volver',
    backKeeps: '(el botón Atrás del navegador conserva lo que escribiste)',
    useBack: 'Usa el botón Atrás del navegador para volver a tu comentario.',
    errors: {
      REQUIRED_body: 'Escribe tu comentario.',
      REQUIRED_author: 'Escribe tu nombre.',
      REQUIRED_email: 'Escribe tu dirección de correo electrónico.',
      INVALID_EMAIL: 'Escribe una dirección de correo electrónico válida.',
      INVALID_URL: 'La web debe ser una dirección http:// o https://.',
      TOO_LONG: 'Es demasiado largo.',
      INVALID_CHARACTERS: 'Contiene caracteres no permitidos.',
      QUEUE_UNAVAILABLE: 'El servicio de comentarios está saturado. Vuelve atrás e inténtalo de nuevo en un momento.',
      SIGN_IN_REQUIRED:
        'Este sitio solo acepta comentarios de lectores con sesión iniciada. Inicia sesión en el cuadro de comentarios de la página (necesita JavaScript) y vuelve a enviarlo.',
    },
    rateLimited: {
      one: 'Demasiados comentarios en este momento; vuelve a intentarlo dentro de # segundo.',
      other: 'Demasiados comentarios en este momento; vuelve a intentarlo dentro de # segundos.',
    },
  },
  mail: {
    hello: (name) => `Hola, ${name}:`,
    helloAnyone: 'Hola:',
    helloThere: 'Hola:',
    someone: 'Alguien',
    replySubject: (replier, page) => `${replier} ha respondido a tu comentario en ${page}`,
    replied: (replier, page) => `${replier} ha respondido a tu comentario en ${page}:`,
    readIt: 'Leer la respuesta',
    replyWhy: 'Pediste que te avisáramos de las respuestas a este comentario.',
    stop: 'Dejar de recibirlos',
    unsubscribe: 'Darse de baja',
    confirmSubject: (site) => `Confirma los avisos de respuestas de ${site}`,
    confirmIntro: (site) =>
      `Alguien, esperamos que tú, dejó un comentario en ${site} con esta dirección y pidió recibir un correo cuando le respondan.`,
    confirmPrompt: {
      one: 'Para recibir esos correos, confirma esta dirección (el enlace vale durante # día):',
      other: 'Para recibir esos correos, confirma esta dirección (el enlace vale durante # días):',
    },
    confirmLink: 'Confirmar esta dirección',
    confirmAfterLink: {
      one: 'para recibir esos correos (el enlace vale durante # día).',
      other: 'para recibir esos correos (el enlace vale durante # días).',
    },
    confirmIgnore: (site) =>
      `Si no fuiste tú, ignora este correo: sin confirmación, ${site} no enviará nada más a esta dirección.`,
    signInSubject: (site) => `Inicia sesión para comentar en ${site}`,
    signInIntro: (site) =>
      `Alguien, esperamos que tú, ha pedido iniciar sesión en los comentarios de ${site} con esta dirección.`,
    signInPrompt: {
      one: 'Para iniciar sesión, abre este enlace (vale una sola vez, durante # minuto):',
      other: 'Para iniciar sesión, abre este enlace (vale una sola vez, durante # minutos):',
    },
    signInLink: 'Iniciar sesión',
    signInAfterLink: {
      one: '(el enlace vale una sola vez, durante # minuto).',
      other: '(el enlace vale una sola vez, durante # minutos).',
    },
    signInIgnore: 'Si no fuiste tú, ignora este correo: nadie inicia sesión hasta que se abre y se confirma el enlace.',
  },
};
