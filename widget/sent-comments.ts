/*
 * Comments sent from this browser, kept (in the host page's localStorage, per site) for as long as
 * their author may still edit them: a guest's edit key from the 202, which is their only proof of
 * authorship, and the text as typed (the thread has only the rendered HTML, and an edit starts from
 * the Markdown the author wrote).
 */
import { readStored, writeStored } from './storage';

export interface SentRecord {
  /** A guest's `editKey`; none for a signed-in reader (their token is the key). */
  key?: string;
  body: string;
  /** When it was sent (ms): the edit window runs from here. */
  at: number;
}

/** The localStorage key's prefix (the site id follows): embed.js loads the reader's part when it is there. */
export const SENT_KEY = 'reply-desk:sent:';
const keyOf = (site: string): string => SENT_KEY + site;

/** The records still inside a window of `minutes`, by comment id; older ones are forgotten. */
export function sentComments(site: string, minutes: number): Record<string, SentRecord> {
  const all = readStored<Record<string, SentRecord>>('local', keyOf(site)) ?? {};
  const live = Object.fromEntries(Object.entries(all).filter(([, r]) => Date.now() - r.at < minutes * 60_000));
  writeStored('local', keyOf(site), Object.keys(live).length ? live : null);
  return live;
}

export function rememberSent(site: string, minutes: number, id: string, record: SentRecord): void {
  if (minutes > 0) writeStored('local', keyOf(site), { ...sentComments(site, minutes), [id]: record });
}
