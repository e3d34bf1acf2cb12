import { randomUUID } from 'node:crypto';
import type { Site } from '../../domain/site-settings.js';
import type { PublicComment } from '../../store/comments.js';
import { FORM_TOKEN_FIELD, HONEYPOT_FIELD } from '../public/comment-input.js';
import { html, layout, markup, type SafeHtml } from '../../html/html.js';
import type { SubmissionStatus } from '../public/submission-status.js';
import { directionOf } from '../../i18n/reader-language.js';
import { wordsFor, type PageWords } from '../../i18n/reader-words.js';
import { formatCommentDate, threadHeading } from './thread-words.js';

export const DEMO_SITE_ID = 'demo';
export const DEMO_PAGE_ID = 'demo-article';

interface ThreadNode {
  comment: PublicComment;
  replies: ThreadNode[];
}

/** Nests a page of comments under their parents; a reply whose parent is not in the page stands alone. */
export function toThread(comments: PublicComment[]): ThreadNode[] {
  const nodes = new Map(comments.map((c) => [c.id, { comment: c, replies: [] as ThreadNode[] }]));
  const roots: ThreadNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.comment.parentId ? nodes.get(node.comment.parentId) : undefined;
    (parent ? parent.replies : roots).push(node);
  }
  return roots;
}

/** "Thanks! [Your comment] is published.": the words in brackets become the link. */
function withLink(text: string, href: string): SafeHtml {
  const [before = '', inside = '', after = ''] = text.split(/\[|\]/);
  return html`${before}<a href="${href}">${inside}</a>${after}`;
}

function renderComment(node: ThreadNode, maxDepth: number, closed: boolean, w: PageWords, lang: string): SafeHtml {
  const c = node.comment;
  const name = c.author || w.anonymous;
  const author = c.website
    ? html`<a class="url" href="${c.website}" rel="nofollow ugc noopener">${name}</a>`
    : html`${name}`;
  const canReply = !closed && c.depth + 2 <= maxDepth;
  return html`<li class="comment depth-${c.depth + 1}" id="comment-${c.id}">
    <article>
      <footer class="comment-meta">
        <b class="fn">${author}</b> <span class="says">${w.says}</span>
        <a class="comment-time" href="#comment-${c.id}"
          ><time datetime="${c.createdAt.toISOString()}">${formatCommentDate(c.createdAt, lang)}</time></a
        >
      </footer>
      <div class="comment-content">${markup(c.html)}</div>
      ${canReply ? html`<a class="comment-reply-link" href="?replytocom=${c.id}${lang === 'en' ? '' : `&lang=${lang}`}#respond" aria-label="${w.replyTo(name)}">${w.reply}</a>` : ''}
    </article>
    ${
      node.replies.length
        ? html`<ol class="children">
            ${node.replies.map((r) => renderComment(r, maxDepth, closed, w, lang))}
          </ol>`
        : ''
    }
  </li>`;
}

function renderNotice(status: SubmissionStatus | null, w: PageWords): SafeHtml {
  if (status === null) return html``;
  switch (status.status) {
    case 'published':
      return html`<p class="rd-notice" role="status">${withLink(w.published, `#comment-${status.id}`)}</p>`;
    case 'queued':
      return html`<p class="rd-notice" role="status">${w.queued}</p>`;
    case 'held':
      // The preview reads as the comment will in the thread: the name it goes under, then the text.
      return html`<div class="rd-notice" role="status">
        <p><em class="comment-awaiting-moderation">${w.awaiting}</em></p>
        <footer class="comment-meta">
          <b class="fn">${status.author || w.anonymous}</b> <span class="says">${w.says}</span>
        </footer>
        <div class="comment-content">${markup(status.html ?? '')}</div>
      </div>`;
    case 'rejected':
      return html`<div class="rd-notice rd-notice-error" role="alert"><p>${w.rejected}</p>
<ul>${(status.errors ?? []).map((e) => html`<li>${e.message}</li>`)}</ul></div>`;
  }
}

export interface DemoPageInput {
  site: Site;
  comments: PublicComment[];
  replyTo: PublicComment | null;
  justPosted: SubmissionStatus | null;
  /** The signed form token (render time, site, page) for the form's hidden field; left out, none. */
  formToken?: string;
  /** Offer "notify me of replies by mail" (SMTP is configured). @defaultValue false */
  replyMail?: boolean;
  /** The page takes no more comments: "Comments are closed." instead of the form. @defaultValue false */
  closed?: boolean;
  /** Closed outside staffed hours: when the desk opens. @defaultValue null */
  closedUntil?: Date | null;
  /** Every comment waits for a moderator: said over the form. @defaultValue false */
  reviewed?: boolean;
  /** Outside staffed hours: when the desk opens. @defaultValue null */
  reviewedUntil?: Date | null;
  /** The desk's time zone, in which those times are shown. @defaultValue 'UTC' */
  timeZone?: string;
  /** The reader's language (src/i18n/reader-language.ts) for the thread and form. @defaultValue 'en' */
  lang?: string;
}

/** The desk's opening as its clock shows it, with the weekday and the zone: a server page knows no reader's clock. */
function deskTime(at: Date, timeZone: string, lang: string): string {
  return at.toLocaleString(lang, {
    weekday: 'long',
    hour: '2-digit',
    minute: '2-digit',
    // The desk's hours are set as 07:00: the page says it the same way.
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'short',
  });
}

/**
 * The demo article: the approved thread rendered on the server and the classic "Leave a Reply" form,
 * which posts straight to the API, inside the widget's container. With JavaScript on, embed.js puts
 * the widget in a shadow root on that container, which hides the server's copy; with it off, the
 * server's thread and form are the page (they work on HTML alone).
 */
export function renderDemoPage({
  site,
  comments,
  replyTo,
  justPosted,
  formToken,
  replyMail = false,
  closed = false,
  closedUntil = null,
  reviewed = false,
  reviewedUntil = null,
  timeZone = 'UTC',
  lang = 'en',
}: DemoPageInput): string {
  const { requireName, requireEmail, maxDepth } = site.settings;
  const w = wordsFor(lang).page;
  const star = html`<span class="required" aria-hidden="true">*</span>`;
  const [starBefore = '', starAfter = ''] = w.requiredNote.split('*');
  const count = comments.length;
  // The page is in the reader's language (embed.js reads <html lang> too, so the widget agrees); the
  // demo article itself is English and says so.
  return layout(
    'Hello from Reply Desk — a demo article',
    html`<main class="rd-demo">
      <article class="post" lang="en" dir="ltr">
        <h1>Hello from Reply Desk</h1>
        <p>
          This is a demo article. Replies go through the same pipeline as on any site: the form below posts to
          <code>/api/comments</code>, a worker checks the reply, and approved replies appear in the thread.
        </p>
        ${
          site.settings.holdFirstTime
            ? html`<p>
                First-time commenters are held until a moderator approves one of their comments; to see replies appear
                at once, run <code>npx reply-desk site update demo --settings '{"holdFirstTime":false}'</code>.
              </p>`
            : ''
        }
      </article>
      <div id="reply-desk">
        <section id="comments" class="comments-area" aria-labelledby="comments-title">
          <h2 id="comments-title">
            ${threadHeading(count, justPosted?.status === 'queued' || justPosted?.status === 'held', lang)}
          </h2>
          ${renderNotice(justPosted, w)}
          <ol class="comment-list">
            ${toThread(comments).map((n) => renderComment(n, maxDepth, closed, w, lang))}
          </ol>
          ${
            closed
              ? html`<p id="respond" class="comments-closed no-comments">
                  ${closedUntil ? w.closedUntil(deskTime(closedUntil, timeZone, lang)) : w.closed}
                </p>`
              : html`<div id="respond" class="comment-respond">
                  ${reviewed ? html`<p class="comments-reviewed">${reviewedUntil ? w.reviewedUntil(deskTime(reviewedUntil, timeZone, lang)) : w.reviewed}</p>` : ''}
                  <h3 id="reply-title" class="comment-reply-title">
                    ${replyTo ? html`${w.leaveReplyTo(replyTo.author || w.anonymous)} <small><a rel="nofollow" id="cancel-comment-reply-link" href="/${lang === 'en' ? '' : `?lang=${lang}`}#respond">${w.cancelReply}</a></small>` : w.leaveReply}
                  </h3>
                  <form action="/api/comments" method="post" id="commentform" class="comment-form">
                    <p class="comment-notes">
                      <span id="email-notes">${w.notes}</span>
                      <span class="required-field-message">${starBefore.trimEnd()} ${star}${starAfter}</span>
                    </p>
                    <p class="comment-form-comment">
                      <label for="comment">${w.comment} ${star}</label>
                      <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea>
                    </p>
                    <p class="comment-form-author">
                      <label for="author">${w.name}${requireName ? html` ${star}` : ''}</label>
                      <input
                        id="author"
                        name="author"
                        type="text"
                        size="30"
                        maxlength="245"
                        autocomplete="name"
                        ${requireName ? markup(' required') : ''}
                      />
                    </p>
                    <p class="comment-form-email">
                      <label for="email">${w.email}${requireEmail ? html` ${star}` : ''}</label>
                      <input
                        id="email"
                        name="email"
                        type="email"
                        size="30"
                        maxlength="100"
                        aria-describedby="email-notes"
                        autocomplete="email"
                        ${requireEmail ? markup(' required') : ''}
                      />
                    </p>
                    <p class="comment-form-url">
                      <label for="url">${w.website}</label>
                      <input id="url" name="url" type="url" size="30" maxlength="200" autocomplete="url" />
                    </p>
                    ${
                      replyMail
                        ? html`<p class="comment-form-notify"><input id="notify_replies" name="notify_replies" type="checkbox" value="1">
<label for="notify_replies">${w.notify}</label></p>
`
                        : ''
                    }<p class="rd-hp" aria-hidden="true"><label for="${HONEYPOT_FIELD}">${w.honeypot}</label>
<input id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autocomplete="off"></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="${w.post}">
<input type="hidden" name="site" value="${site.id}">
<input type="hidden" name="comment_post_ID" value="${DEMO_PAGE_ID}">
<input type="hidden" name="comment_parent" id="comment_parent" value="${replyTo?.id ?? '0'}">
<input type="hidden" name="redirect_to" value="/${lang === 'en' ? '' : `?lang=${lang}`}">
<input type="hidden" name="key" value="${randomUUID()}">
<input type="hidden" name="reply_desk_lang" value="${lang}">
${formToken ? html`<input type="hidden" name="${FORM_TOKEN_FIELD}" value="${formToken}">` : ''}</p>
</form>
</div>`
          }
</section>
</div>
<script src="/embed.js" data-site="${site.id}" data-page="${DEMO_PAGE_ID}" async></script>
</main>`,
    lang,
    directionOf(lang),
  );
}
