import { toApiError } from '../api';
import type { CommentView } from '../comment-view';
import type { WidgetContext } from '../context';
import { h, randomId } from '../dom';
import type { ConversationMessages } from './words';
import { readStored, storageKey, writeStored } from '../storage';
import type { Thread } from '../thread';

/** A guest's browser key, one per browser for every site (the API counts a guest once per key and network). */
const KEY = 'reply-desk:vote-key';

type Mark = 1 | -1 | 0;
const count = (v: unknown): number => (typeof v === 'number' && v >= 0 ? v : 0);

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

  function guestKey(): string {
    let key = readStored<string>('local', KEY);
    if (typeof key !== 'string' || key.length < 16) {
      key = randomId();
      writeStored('local', KEY, key);
    }
    return key;
  }

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

  async function vote(id: string, pressed: 1 | -1): Promise<void> {
    const b = on.get(id);
    if (!b || b.up.getAttribute('aria-busy')) return;
    const signedIn = api.session.get() !== null;
    const value: Mark = mine.get(id) === pressed ? 0 : pressed;
    b.message.hidden = true;
    b.up.setAttribute('aria-busy', 'true');
    const r = await api.send('PUT', `api/comments/${encodeURIComponent(id)}/vote`, {
      value,
      ...(signedIn ? {} : { key: guestKey() }),
    });
    b.up.removeAttribute('aria-busy');
    const body = r.body as { up?: unknown; down?: unknown; mine?: unknown } | null;
    if (r.status === 200 && body) {
      b.counts = { up: count(body.up), down: count(body.down) };
      const m = body.mine === 1 || body.mine === -1 ? body.mine : 0;
      if (m === 0) mine.delete(id);
      else mine.set(id, m);
      if (!signedIn) writeStored('local', guestMarksKey, Object.fromEntries(mine));
      paint(id);
      return;
    }
    const code = toApiError(r.body)?.code ?? '';
    b.message.textContent = ct.voteErrors[code] ?? ct.voteErrors['']!;
    b.message.hidden = false;
  }

  function decorate(view: CommentView): void {
    const id = view.comment.id;
    if (on.has(id) && on.get(id)!.up.isConnected) return;
    const up = h('button', { type: 'button', class: 'rd-vote rd-vote-up', onclick: () => void vote(id, 1) });
    const down =
      settings.votes === 'updown'
        ? h('button', { type: 'button', class: 'rd-vote rd-vote-down', onclick: () => void vote(id, -1) })
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
