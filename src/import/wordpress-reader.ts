import { htmlToCommentText } from './html-to-text.js';
import type { ImportRecord } from './import-records.js';
import {
  isLinkback,
  toAuthorName,
  toAuthorUrl,
  toEmail,
  toIp,
  toWordPressDate,
  toWordPressStatus,
} from './source-mapping.js';
import {
  FieldText,
  oversizedReason,
  readXmlRecords,
  type XmlHandler,
  type XmlProblems,
  type XmlTag,
} from './xml-records.js';

type Fields = Map<string, string>;

/** Set on a comment's fields when one was too long to keep: the skip reason (not an XML name, so no clash). */
const OVERSIZED = ' oversized';

function field(f: Fields, name: string): string {
  return f.get(name) ?? '';
}

/** One `<wp:comment>` → a comment record, or a skip with its reason. */
export function toWordPressRecords(post: Fields, c: Fields): ImportRecord[] {
  const postId = field(post, 'post_id').trim();
  const commentId = field(c, 'comment_id').trim();
  if (commentId === '') return [{ kind: 'skip', sourceId: `${postId}/?`, reason: 'no wp:comment_id' }];
  // wp:comment_parent names a wp:comment_id of the same post (WordPress' importer maps them per post),
  // so a comment is known by post and comment id: "12/345".
  const sourceId = `${postId}/${commentId}`;
  const type = field(c, 'comment_type');
  if (isLinkback(type))
    return [
      {
        kind: 'skip',
        sourceId,
        reason: `${type.trim().toLowerCase()} (a link from another site, not a reader's comment)`,
      },
    ];
  const status = toWordPressStatus(field(c, 'comment_approved'));
  if (status === null)
    return [
      { kind: 'skip', sourceId, reason: `unknown wp:comment_approved "${field(c, 'comment_approved').slice(0, 40)}"` },
    ];
  const when = toWordPressDate(field(c, 'comment_date_gmt'), field(c, 'comment_date'));
  if (when === null) return [{ kind: 'skip', sourceId, reason: 'no readable wp:comment_date' }];
  const parent = field(c, 'comment_parent').trim();
  const rawIp = field(c, 'comment_author_IP');
  const ip = toIp(rawIp);
  const records: ImportRecord[] = [];
  if (when.assumedUtc)
    records.push({ kind: 'note', sourceId, note: 'no GMT date: the site-local wp:comment_date was read as UTC' });
  if (ip === null && rawIp.trim() !== '')
    records.push({ kind: 'note', sourceId, note: 'IP address unreadable: stored without one' });
  records.push({
    kind: 'comment',
    comment: {
      sourceId,
      pageSourceId: postId,
      parentSourceId: parent === '' || parent === '0' ? null : `${postId}/${parent}`,
      authorName: toAuthorName(field(c, 'comment_author')),
      authorEmail: toEmail(field(c, 'comment_author_email')),
      authorUrl: toAuthorUrl(field(c, 'comment_author_url')),
      body: htmlToCommentText(field(c, 'comment_content')),
      status,
      receivedAt: when.date,
      ip,
      userAgent: (field(c, 'comment_agent') ?? '').slice(0, 500),
      referrer: '',
      editedAt: null,
      verdict: null,
      idempotencyKey: null,
    },
  });
  return records;
}

/**
 * WordPress WXR (1.0–1.2): `<item>`s with `wp:post_id`, `link`, `title`, `wp:comment_status` and
 * `wp:comment` children. A post's page record is emitted at its first comment (WordPress writes the
 * post's fields before its comments; a comment before `wp:post_id` waits for it), so only posts with
 * comments become pages.
 */
function createWordPressHandler(emit: (r: ImportRecord) => void): XmlHandler {
  let itemDepth = 0;
  let commentDepth = 0;
  let post: Fields = new Map();
  let comment: Fields | null = null;
  let pageEmitted = false;
  let waiting: Fields[] = [];
  const text = new FieldText();
  // The current comment's fields longer than FieldText keeps: the comment is skipped, not cut short.
  let oversized: { name: string; length: number }[] = [];

  const emitPage = () => {
    const postId = field(post, 'post_id').trim();
    if (pageEmitted || postId === '') return false;
    pageEmitted = true;
    const link = field(post, 'link').trim();
    emit({
      kind: 'page',
      page: {
        sourceId: postId,
        identifiers: [postId, ...(link ? [link] : [])],
        url: /^https?:\/\//i.test(link) ? link : null,
        title: field(post, 'title').trim() || null,
        closed: field(post, 'comment_status').trim() === 'closed',
      },
    });
    return true;
  };
  const emitComment = (c: Fields) => {
    const tooLong = c.get(OVERSIZED);
    if (tooLong !== undefined) {
      emit({
        kind: 'skip',
        sourceId: `${field(post, 'post_id').trim()}/${field(c, 'comment_id').trim() || '?'}`,
        reason: tooLong,
      });
      return;
    }
    for (const r of toWordPressRecords(post, c)) emit(r);
  };

  return {
    open(tag: XmlTag, depth: number) {
      text.reset();
      if (tag.local === 'item' && itemDepth === 0) {
        itemDepth = depth;
        post = new Map();
        pageEmitted = false;
        waiting = [];
      } else if (itemDepth > 0 && tag.local === 'comment' && tag.prefix === 'wp' && depth === itemDepth + 1) {
        commentDepth = depth;
        comment = new Map();
        oversized = [];
      }
    },
    text(t: string) {
      text.add(t);
    },
    close(tag: XmlTag, depth: number) {
      const value = () => text.value();
      if (comment !== null && depth === commentDepth + 1) {
        if (text.overflowed)
          oversized.push({ name: `${tag.prefix ? `${tag.prefix}:` : ''}${tag.local}`, length: text.length });
        comment.set(tag.local, value());
      } else if (comment !== null && depth === commentDepth) {
        if (oversized.length > 0) comment.set(OVERSIZED, oversizedReason(oversized));
        if (emitPage() || pageEmitted) emitComment(comment);
        else waiting.push(comment);
        comment = null;
        commentDepth = 0;
      } else if (itemDepth > 0 && depth === itemDepth + 1) {
        // Post fields; `title` and `link` are RSS's, the rest `wp:`.
        if (!post.has(tag.local)) post.set(tag.local, value());
      } else if (depth === itemDepth && itemDepth > 0) {
        if (waiting.length > 0) {
          if (emitPage()) for (const c of waiting) emitComment(c);
          else
            for (const c of waiting)
              emit({ kind: 'skip', sourceId: `?/${field(c, 'comment_id')}`, reason: 'its item has no wp:post_id' });
        }
        itemDepth = 0;
        waiting = [];
      }
      text.reset();
    },
  };
}

/** Streams the records of a WordPress export. */
export function readWordPressExport(
  source: AsyncIterable<Uint8Array>,
  problems: XmlProblems,
): AsyncGenerator<ImportRecord> {
  return readXmlRecords(source, createWordPressHandler, problems);
}
