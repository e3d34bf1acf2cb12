import type { Logger } from 'pino';
import type { EmailQueue } from '../../queue/email-queue.js';
import type { ReaderQueueStore } from '../../readers/reader-account.js';
import type { Pool } from '../../store/db.js';
import type { ClientAddressReader } from '../kit/client-address.js';
import type { SiteDirectory } from '../kit/site-directory.js';

/** What the readers' wing's routes are given (src/http/readers/readers-door.ts). */
export interface ReadersDoorDeps {
  db: Pool;
  sites: SiteDirectory;
  logger: Logger;
  publicUrl: string;
  clientAddress: ClientAddressReader;
  /** Sign-in links go out through the mail queue; left out (no SMTP_URL), email sign-in is not offered. */
  emailQueue?: EmailQueue;
  /** Where the queues live, so a reader's erasure purges their queued submissions; left out, it does not. */
  queues?: ReaderQueueStore;
}
