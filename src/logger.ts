import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; one logger per process, children per component. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    // Readers' emails and IPs are personal data: never let them reach the logs by accident.
    redact: { paths: ['email', '*.email', 'ip', '*.ip', 'req.headers.cookie'], censor: '[redacted]' },
  });
}
