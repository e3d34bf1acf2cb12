import { isObject, toFieldErrors, type Api } from './api';
import { renderComment, type CommentView } from './comment-view';
import type { WidgetContext } from './context';
import { adoptStyles, h } from './dom';
import { emitHostEvent } from './host-events';
import type { ReplyForm, SentComment } from './form';
import { readStored, storageKey, writeStored } from './storage';
import type { Thread } from './thread';
import type { FieldError, SubmissionStatus } from './types';
import { withMore } from './more-words';
import css from './notes.css';

/**
 * The reader's own comments that are not public yet. Each shows in place (under its parent, or at the
 * end of the thread) marked "awaiting moderation", and is kept in localStorage so it is still there
 * after a reload in the same browser — as WordPress shows its author a held comment. Its status URL is
 * polled for a while (quickly at first, then slower) until it is published or refused.
 */
interface OwnComment extends SentComment {
  status: SubmissionStatus['status'];
  html: string | null;
  errors: FieldError[];
  /** Why a moderator removed it, when they gave the reason (issue 16). */
  decision?: SubmissionStatus['decision'];
  sentAt: string;
}

/** Stop polling after this long; a reload checks once more. Moderators may take hours. */
const POLL_FOR_MS = 10 * 60_000;
const POLL_DELAYS_MS = [1000, 1000, 2000, 2000, 3000, 5000, 5000, 10_000, 15_000];
/** Kept at most this long, and at most this many per page. */
const KEEP_MS = 30 * 86_400_000;
const KEEP_COUNT = 20;

/**
 * GET statusUrl, narrowed: only this part asks it, so it lives here and not in the plain thread's
 * client. `decision`: a moderator's removal with a reason (issue 16), shown with its note.
 */
async function loadStatus(api: Api, url: string): Promise<SubmissionStatus | null> {
  const r = await api.call(url, { cache: 'no-store' });
  if (r.status === 404) return { status: 'rejected', html: null, errors: [] };
  const b = isObject(r.body) ? r.body : null;
  const s = b?.status;
  if (!b || (s !== 'queued' && s !== 'published' && s !== 'held' && s !== 'rejected')) return null;
  const d = isObject(b.decision) ? b.decision : null;
  return {
    status: s,
    html: typeof b.html === 'string' ? b.html : null,
    errors: toFieldErrors(b.errors),
    ...(d && typeof d.label === 'string'
      ? { decision: { label: d.label, note: typeof d.note === 'string' ? d.note : '' } }
      : {}),
  };
}

/** What own-comments.ts forwards to once this part is loaded. */
export interface OwnCommentsPart {
  add(sent: SentComment): void;
  /** Shows the stored ones (after a reload) and checks their status again. */
  restore(): void;
  /** A comment from the API is on screen: its pending copy goes. */
  shown(id: string): void;
  /** The thread was rebuilt: put the pending replies back under their parents. */
  replace(): void;
}

/**
 * `shown` is told of every comment put on screen (the reader's part adds Edit and Delete to it); `el`
 * and `views` are own-comments.ts', which embed.js and the reader's part hold before this part loads.
 */
export function startOwnComments(
  ctx: WidgetContext,
  thread: Thread,
  form: ReplyForm,
  shown: (view: CommentView) => void,
  el: HTMLOListElement,
  views: Map<string, CommentView>,
): OwnCommentsPart {
  const { api } = ctx;
  const t = withMore(ctx.t);
  adoptStyles(ctx.root, css);
  const key = storageKey(ctx, 'mine');
  let entries: OwnComment[] = (readStored<OwnComment[]>('local', key) ?? []).filter(
    (e) => typeof e?.id === 'string' && Date.now() - Date.parse(e.sentAt) < KEEP_MS,
  );

  const persist = (): void => {
    writeStored('local', key, entries.length ? entries.slice(-KEEP_COUNT) : null);
    // The heading must not say "No comments yet" right above the reader's own comment on its way.
    thread.ownWaiting(entries.some((e) => views.has(e.id) && (e.status === 'queued' || e.status === 'held')));
  };

  function render(entry: OwnComment): CommentView {
    const view = renderComment(ctx, {
      id: entry.id,
      parent: entry.parent,
      depth: 0,
      author: entry.author,
      website: entry.website || null,
      html: entry.html ?? '',
      createdAt: entry.sentAt,
    });
    view.li.classList.add('rd-own');
    if (entry.html === null) {
      // Not rendered by the worker yet: the reader's own words as plain text (a text node, never markup).
      view.body.append(h('p', { class: 'rd-plain' }, entry.body));
    }
    views.set(entry.id, view);
    thread.listFor(entry.parent, el).append(view.li);
    update(entry, view);
    shown(view);
    return view;
  }

  function update(entry: OwnComment, view: CommentView): void {
    const { note } = view;
    note.hidden = false;
    note.className = `rd-note rd-note-${entry.status}`;
    const text = { queued: t.checking, held: t.awaiting, published: t.published, rejected: t.rejected }[entry.status];
    note.replaceChildren(text);
    if (entry.status === 'rejected') {
      const reasons = entry.errors.map((e) => h('li', null, t.errors[`${e.code}_${e.field}`] ?? e.message));
      const d = entry.decision;
      // The site's own words for the reason, and the moderator's note: as the status page gives them.
      if (d) reasons.push(h('li', { class: 'rd-decision' }, d.note ? `${d.label}: ${d.note}` : d.label));
      note.append(
        h('ul', null, ...reasons),
        h('button', { type: 'button', class: 'rd-link', onclick: () => editAgain(entry) }, t.editAgain),
      );
    }
  }

  function editAgain(entry: OwnComment): void {
    drop(entry.id);
    form.edit(entry.body, entry.parent ? (thread.views.get(entry.parent) ?? null) : null);
  }

  function drop(id: string): void {
    entries = entries.filter((e) => e.id !== id);
    views.get(id)?.li.remove();
    views.delete(id);
    persist();
  }

  function apply(entry: OwnComment, s: SubmissionStatus): void {
    const view = views.get(entry.id);
    if (!view || s.status === entry.status) return;
    entry.status = s.status;
    entry.errors = s.errors;
    entry.decision = s.decision;
    if (s.html !== null && s.html !== entry.html) {
      entry.html = s.html;
      const fresh = render(entry);
      // The fresh element takes the old one's place, keeping any replies to it.
      view.li.replaceWith(fresh.li);
    } else {
      update(entry, view);
    }
    ctx.announce(view.note.firstChild?.textContent ?? '');
    if (s.status === 'published') {
      // Public now: it stays on screen, but a reload will find it in the thread.
      thread.counted();
      emitHostEvent(ctx.root.host, 'published', { id: entry.id });
      entries = entries.filter((e) => e.id !== entry.id);
    }
    persist();
  }

  function poll(entry: OwnComment, startedAt: number, attempt = 0): void {
    const delay = POLL_DELAYS_MS[Math.min(attempt, POLL_DELAYS_MS.length - 1)] ?? 15_000;
    setTimeout(
      () => {
        // An unmounted widget (a single-page app left the page) stops asking.
        if (ctx.signal.aborted) return;
        void loadStatus(api, entry.statusUrl).then((s) => {
          if (s) apply(entry, s);
          const done = entry.status === 'published' || entry.status === 'rejected' || !views.has(entry.id);
          if (!done && Date.now() - startedAt < POLL_FOR_MS) poll(entry, startedAt, attempt + 1);
        });
      },
      attempt === 0 && entry.status !== 'queued' ? 0 : delay,
    );
  }

  return {
    add(sent) {
      const entry: OwnComment = { ...sent, status: 'queued', html: null, errors: [], sentAt: new Date().toISOString() };
      entries = entries.filter((e) => e.id !== sent.id).concat(entry);
      views.get(sent.id)?.li.remove();
      const view = render(entry);
      persist();
      view.article.focus();
      ctx.announce(`${t.sent} ${t.checking}`);
      poll(entry, Date.now());
    },
    restore() {
      for (const entry of entries) {
        if (thread.views.has(entry.id) || views.has(entry.id)) continue;
        render(entry);
        poll(entry, Date.now());
      }
      persist();
    },
    shown(id) {
      if (!views.has(id)) return;
      views.get(id)?.li.remove();
      views.delete(id);
      entries = entries.filter((e) => e.id !== id);
      persist();
    },
    replace() {
      for (const [id, view] of views) {
        const entry = entries.find((e) => e.id === id);
        thread.listFor(entry?.parent ?? null, el).append(view.li);
      }
    },
  };
}
