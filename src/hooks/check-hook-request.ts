import type { Submission } from '../domain/submission.js';
import type { Verdict } from '../moderation/verdict.js';

/**
 * The JSON a site's check hook receives for one comment (README: "External check hook"). What a
 * newsroom's model needs to judge the words and their setting, and nothing that identifies the reader
 * beyond what the comment itself shows:
 * - the text, the name and the website, as typed (abuse and spam hide in names and links too);
 * - where: the site, the page (its key, URL and title) and the comment it replies to;
 * - the local verdict so far (status and reason codes), so a hook can weigh its answer against it;
 * - never the email (it names a person and says nothing about the words; bans and spam memory on it
 *   stay local), and never the IP or user agent: address rules run here, and sending them would make
 *   every hook a processor of readers' personal data for no gain in judging the text.
 */
export interface CheckHookRequest {
  type: 'comment.check';
  /** The comment's id (a UUID): the same id webhooks and the desk use, for the hook's own logs. */
  id: string;
  /**
   * Set when this is an author's edit of their comment (issue 14): the edit's id, and `text` is the new
   * text. Null: a new comment. An edit can carry what a new comment could not, so it is asked about too.
   */
  editId: string | null;
  site: string;
  page: { id: string; url: string | null; title: string | null };
  parentId: string | null;
  text: string;
  name: string;
  website: string;
  /** The page's language ('' unknown). */
  lang: string;
  /** Written by a signed-in reader (their name is their identity's) rather than a guest. */
  signedIn: boolean;
  receivedAt: string;
  local: { status: Verdict['status']; reasons: string[] };
}

/**
 * The request for submission `s` (or an author's edit of a stored comment, with its `editId`), with the
 * local rules' verdict. Pure.
 */
export function toCheckHookRequest(
  s: Pick<
    Submission,
    'id' | 'siteId' | 'page' | 'pageUrl' | 'pageTitle' | 'parentId' | 'body' | 'author' | 'url' | 'lang' | 'receivedAt'
  > & { reader?: object | null },
  local: Pick<Verdict, 'status' | 'reasons'>,
  editId: string | null = null,
): CheckHookRequest {
  return {
    type: 'comment.check',
    id: s.id,
    editId,
    site: s.siteId,
    page: { id: s.page, url: s.pageUrl, title: s.pageTitle },
    parentId: s.parentId,
    text: s.body,
    name: s.author,
    website: s.url,
    lang: s.lang ?? '',
    signedIn: s.reader != null,
    receivedAt: s.receivedAt,
    local: { status: local.status, reasons: local.reasons.map((r) => r.code) },
  };
}
