import type { CommentView } from '../comment-view';
import type { WidgetContext } from '../context';
import { h } from '../dom';
import { loadPart } from '../parts';
import type { ConversationMessages } from './words';
import { readStored, storageKey } from '../storage';
import type { Thread } from '../thread';

type Mark = 1 | -1 | 0;
const count = (v: unknown): number => (typeof v === 'number' && v >= 0 ? v : 0);

/** What sending a vote (extras.ts) works on. */
export interface VoteHost {
  ctx: WidgetContext;
  ct: ConversationMessages;
  on: Map<string, Buttons>;
  mine: Map<string, Mark>;
  guestMarksKey: string;
  paint(id: string): void;
  count(v: unknown): number;
}

interface Buttons {
  up: HTMLButtonElement;
  down: HTMLButtonElement | null;
  message: HTMLElement;
  counts: { up: number; down: number };
}

/** The vote buttons on each comment, the reader's own marks, and the counts kept true. */
export function createVotes(
  ctx: WidgetContext,
  ct: ConversationMessages,
  settings: { votes: 'up' | 'updown' | 'off'; guestVotes: boolean },
) {
  const { api } = ctx;
  const on = new Map<string, Buttons>();
  // A guest's own marks stay in this browser (the API tells only a signed-in reader theirs).
  const guestMarksKey = storageKey(ctx, 'votes');
  const mine = new Map<string, Mark>(Object.entries(readStored<Record<string, Mark>>('local', guestMarksKey) ?? {}));

  function paint(id: string): void {
    const b = on.get(id);
    if (!b) return;
    const m = mine.get(id) ?? 0;
    b.up.textContent = `▲ ${b.counts.up}`;
    b.up.setAttribute('aria-pressed', String(m === 1));
    // "Vote up, 7": the visible count is part of the name (WCAG 2.5.3, label in name; "(7)" is not, to axe).
    b.up.setAttribute('aria-label', `${ct.voteUp}, ${b.counts.up}`);
    if (b.down) {
      b.down.textContent = `▼ ${b.counts.down}`;
      b.down.setAttribute('aria-pressed', String(m === -1));
      b.down.setAttribute('aria-label', `${ct.voteDown}, ${b.counts.down}`);
    }
  }

  // Sending a vote is in the conversation's extras, fetched on the first press.
  const host: VoteHost = { ctx, ct, on, mine, guestMarksKey, paint, count };
  const vote = (id: string, pressed: 1 | -1): void =>
    void loadPart<typeof import('./extras')>('extras').then(
      (m) => m.vote(host, id, pressed),
      () => {},
    );

  function decorate(view: CommentView): void {
    const id = view.comment.id;
    if (on.has(id) && on.get(id)!.up.isConnected) return;
    const up = h('button', { type: 'button', class: 'rd-vote rd-vote-up', onclick: () => vote(id, 1) });
    const down =
      settings.votes === 'updown'
        ? h('button', { type: 'button', class: 'rd-vote rd-vote-down', onclick: () => vote(id, -1) })
        : null;
    const message = h('span', { class: 'rd-vote-message', role: 'alert', hidden: true });
    on.set(id, { up, down, message, counts: { up: count(view.comment.up), down: count(view.comment.down) } });
    view.actions.prepend(h('span', { class: 'rd-votes' }, up, down, message));
    paint(id);
  }

  /** A signed-in reader's marks on this page, from the API. */
  async function loadMine(thread: Thread): Promise<void> {
    if (!api.session.get()) return;
    const q = `site=${encodeURIComponent(ctx.site)}&page=${encodeURIComponent(ctx.page)}`;
    const r = await api.call(`api/readers/me/votes?${q}`);
    const votes = (r.body as { votes?: unknown } | null)?.votes;
    if (r.status !== 200 || typeof votes !== 'object' || votes === null) return;
    mine.clear();
    for (const [id, v] of Object.entries(votes)) if (v === 1 || v === -1) mine.set(id, v);
    for (const id of thread.views.keys()) paint(id);
  }

  /** New counts from elsewhere (the live stream). */
  function update(id: string, up: unknown, down: unknown): void {
    const b = on.get(id);
    if (!b) return;
    b.counts = { up: count(up), down: count(down) };
    paint(id);
  }

  return { decorate, loadMine, update };
}

export type Votes = ReturnType<typeof createVotes>;
