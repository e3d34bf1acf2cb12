/* Readers' pages and mails in Portuguese. */
import type { ReaderWords } from '../reader-words-shape.js';

export const words: ReaderWords = {
  page: {
    count: { one: '# comentário', other: '# comentários' },
    noComments: 'Ainda não há comentários',
    title: 'Comentários',
    anonymous: 'Anónimo',
    says: 'diz:',
    reply: 'Responder',
    replyTo: (name) => `Responder a ${name}`,
    published: 'Obrigado! [O seu comentário] foi publicado.',
    queued:
      'Obrigado! O seu comentário foi recebido e está a ser verificado. Recarregue esta página daqui a pouco para o ver.',
    awaiting: 'O seu comentário aguarda moderação.',
    rejected: 'Não foi possível publicar o seu comentário:',
    leaveReply: 'Deixe um comentário',
    leaveReplyTo: (name) => `Responder a ${name}`,
    cancelReply: 'Cancelar resposta',
    notes: 'O seu endereço de email não será publicado.',
    requiredNote: 'Os campos obrigatórios estão assinalados com *',
    comment: 'Comentário',
    name: 'Nome',
    email: 'Email',
    website: 'Site',
    notify: 'Avisar-me de respostas por email (da primeira vez enviamos um link para confirmar).',
    honeypot: 'Deixe este campo vazio',
    post: 'Publicar comentário',
    closed: 'Os comentários estão fechados.',
    reviewed: 'Os comentários desta matéria são revistos antes de aparecerem.',
    reviewedUntil: (time) =>
      `Os nossos moderadores voltam às ${time}; até lá, os comentários são revistos antes de aparecerem.`,
    closedUntil: (time) => `Os comentários estão fechados até às ${time}.`,
    errorTitle: 'Falha no envio do comentário',
    errorLabel: 'Erro:',
    back: '« Voltar',
    backKeeps: '(o botão Voltar do navegador guarda o que escreveu)',
    useBack: 'Use o botão Voltar do navegador para regressar ao seu comentário.',
    errors: {
      REQUIRED_body: 'Escreva o seu comentário.',
      REQUIRED_author: 'Indique o seu nome.',
      REQUIRED_email: 'Indique o seu endereço de email.',
      INVALID_EMAIL: 'Indique um endereço de email válido.',
      INVALID_URL: 'O site tem de ser um endereço http:// ou https://.',
      TOO_LONG: 'É demasiado longo.',
      INVALID_CHARACTERS: 'Contém caracteres que não são permitidos.',
      QUEUE_UNAVAILABLE: 'O serviço de comentários está sobrecarregado. Volte atrás e tente novamente daqui a pouco.',
      SIGN_IN_REQUIRED:
        'Este site só aceita comentários de leitores com sessão iniciada. Inicie sessão na caixa de comentários da página (precisa de JavaScript) e envie novamente.',
    },
    rateLimited: {
      one: 'Demasiados comentários neste momento; tente novamente dentro de # segundo.',
      other: 'Demasiados comentários neste momento; tente novamente dentro de # segundos.',
    },
  },
  mail: {
    hello: (name) => `Olá ${name},`,
    helloAnyone: 'Olá,',
    helloThere: 'Olá,',
    someone: 'Alguém',
    replySubject: (replier, page) => `${replier} respondeu ao seu comentário em ${page}`,
    replied: (replier, page) => `${replier} respondeu ao seu comentário em ${page}:`,
    readIt: 'Ler a resposta',
    replyWhy: 'Pediu para ser avisado das respostas a este comentário.',
    stop: 'Deixar de receber',
    unsubscribe: 'Cancelar subscrição',
    confirmSubject: (site) => `Confirme os avisos de resposta de ${site}`,
    confirmIntro: (site) =>
      `Alguém, esperamos que tenha sido você, deixou um comentário em ${site} com este endereço e pediu para receber um email quando houver respostas.`,
    confirmPrompt: {
      one: 'Para receber esses emails, confirme este endereço (o link é válido durante # dia):',
      other: 'Para receber esses emails, confirme este endereço (o link é válido durante # dias):',
    },
    confirmLink: 'Confirmar este endereço',
    confirmAfterLink: {
      one: 'para receber esses emails (o link é válido durante # dia).',
      other: 'para receber esses emails (o link é válido durante # dias).',
    },
    confirmIgnore: (site) =>
      `Se não foi você, ignore este email: sem confirmação, ${site} não envia mais nada para este endereço.`,
    signInSubject: (site) => `Inicie sessão para comentar em ${site}`,
    signInIntro: (site) =>
      `Alguém, esperamos que tenha sido você, pediu para iniciar sessão nos comentários de ${site} com este endereço.`,
    signInPrompt: {
      one: 'Para iniciar sessão, abra este link (só funciona uma vez, durante # minuto):',
      other: 'Para iniciar sessão, abra este link (só funciona uma vez, durante # minutos):',
    },
    signInLink: 'Iniciar sessão',
    signInAfterLink: {
      one: '(o link só funciona uma vez, durante # minuto).',
      other: '(o link só funciona uma vez, durante # minutos).',
    },
    signInIgnore:
      'Se não foi você, ignore este email: ninguém inicia sessão enquanto o link não for aberto e confirmado.',
  },
};
