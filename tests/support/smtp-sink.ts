import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './harness.js';

/**
 * A local SMTP server that keeps every mail it is given (smtp-server + mailparser), for tests of what
 * the mail worker sends: start it, give `url` to `startWorker({ notifications: { smtpUrl } })`, then
 * `waitForMail(address)`. No TLS, no auth; listens on 127.0.0.1 on a free port.
 */
export interface SmtpSink {
  /** smtp://127.0.0.1:<port> */
  url: string;
  /** Every mail so far, in arrival order, with the envelope's recipients. */
  mails: { to: string[]; mail: ParsedMail }[];
  /** The mails sent to `address` so far (envelope recipient, case-insensitive). */
  mailsTo(address: string): ParsedMail[];
  /** Waits for the `count`-th mail to `address` (default: the first) and returns it. */
  waitForMail(address: string, opts?: { count?: number; timeoutMs?: number }): Promise<ParsedMail>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: { to: string[]; mail: ParsedMail }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), mail });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const mailsTo = (address: string): ParsedMail[] =>
    mails.filter((m) => m.to.includes(address.toLowerCase())).map((m) => m.mail);
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    mailsTo,
    waitForMail(address, opts = {}) {
      const count = opts.count ?? 1;
      return waitFor(`mail #${count} to ${address}`, () => mailsTo(address)[count - 1], opts.timeoutMs ?? 30_000);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
