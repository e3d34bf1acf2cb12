import nodemailer from 'nodemailer';

/** One outgoing mail. `to` is always exactly one recipient: nobody sees anybody else's address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** RFC 8058 one-click unsubscribe: sets List-Unsubscribe and List-Unsubscribe-Post. */
  unsubscribeUrl?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/** Subjects carry reader text (page titles); no line break may reach a header. */
export function toHeaderText(value: string, max = 150): string {
  const flat = value
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** SMTP through nodemailer: `smtpUrl` like smtp://user:pass@host:587 or smtps://host:465. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: toHeaderText(m.subject),
        text: m.text,
        ...(m.html === undefined ? {} : { html: m.html }),
        ...(m.unsubscribeUrl === undefined
          ? {}
          : {
              list: { unsubscribe: { url: m.unsubscribeUrl, comment: 'Unsubscribe' } },
              headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            }),
      });
    },
    close() {
      transport.close();
    },
  };
}
