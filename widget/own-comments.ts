import type { CommentView } from './comment-view';
import type { WidgetContext } from './context';
import { h } from './dom';
import type { ReplyForm, SentComment } from './form';
import type { OwnCommentsPart } from './own-comments-part';
import { loadPart } from './parts';
import { readStored, storageKey } from './storage';
import type { Thread } from './thread';

/**
 * The reader's own comments that are not public yet (own-comments-part.ts shows and polls them). Most
 * readers of a thread never sent one from this browser, so the part is a file of its own, imported
 * only when there are stored ones to show or the reader sends one; until then this holds its list and
 * its map, which embed.js and the reader's part use from the start.
 */
export interface OwnComments {
  /** The list for the reader's own top-level comments, at the end of the thread. */
  el: HTMLOListElement;
  /** Those on screen, by id. */
  views: Map<string, CommentView>;
  add(sent: SentComment): void;
  /** Shows the stored ones (after a reload) and checks their status again. */
  restore(): void;
  /** A comment from the API is on screen: its pending copy goes. */
  shown(id: string): void;
  /** The thread was rebuilt: put the pending replies back under their parents. */
  replace(): void;
}

/** `shown` is told of every comment put on screen (the reader's part adds Edit and Delete to it). */
export function createOwnComments(
  ctx: WidgetContext,
  thread: Thread,
  form: ReplyForm,
  shown: (view: CommentView) => void,
): OwnComments {
  const el = h('ol', { class: 'rd-list rd-mine' });
  const views = new Map<string, CommentView>();
  let part: Promise<OwnCommentsPart> | undefined;
  const load = (): Promise<OwnCommentsPart> =>
    (part ??= loadPart<typeof import('./own-comments-part')>('own-comments').then(
      (m) => m.startOwnComments(ctx, thread, form, shown, el, views),
      (err: unknown) => {
        // Tried again on the next use (a flaky network), not given up for the page's life.
        part = undefined;
        throw err;
      },
    ));
  const later = (f: (p: OwnCommentsPart) => void): void => void load().then(f, () => {});
  return {
    el,
    views,
    add: (sent) => later((p) => p.add(sent)),
    restore() {
      const stored = readStored<unknown[]>('local', storageKey(ctx, 'mine'));
      if (Array.isArray(stored) && stored.length > 0) later((p) => p.restore());
    },
    // Before the part is asked for, there is nothing of the reader's own on screen to move or drop.
    shown: (id) =>
      void part?.then(
        (p) => p.shown(id),
        () => {},
      ),
    replace: () =>
      void part?.then(
        (p) => p.replace(),
        () => {},
      ),
  };
}
