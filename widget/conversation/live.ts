import type { WidgetContext } from '../context';
import { loadPart } from '../parts';
import type { Thread } from '../thread';
import type { Votes } from './votes';
import type { ConversationMessages } from './words';

/** What the live stream's events work on (extras.ts handles them). */
export interface LiveHost {
  ctx: WidgetContext;
  ct: ConversationMessages;
  thread: Thread;
  opts: { votes: Votes | null; reload: () => Promise<void>; order: () => string };
}

/** The events of GET /api/live; `ready` opens every stream and says only whether the page is closed. */
const EVENTS = ['comment', 'vote', 'removed', 'closed', 'reset'];

/**
 * The page's live stream (GET /api/live). A quiet thread hears nothing after `ready`, so what handles
 * the events (extras.ts: new comments behind a "3 new comments" button, votes and removals in place, a
 * closed page losing its form, a `reset` fetching the thread again) is fetched with the first event,
 * and the events that arrive meanwhile wait for it, in their order.
 */
export function startLive(ctx: WidgetContext, ct: ConversationMessages, thread: Thread, opts: LiveHost['opts']): void {
  if (typeof EventSource !== 'function' || ctx.signal.aborted) return;
  let handle: Promise<(e: Event) => void> | undefined;
  const heard = (e: Event): void => {
    handle ??= loadPart<typeof import('./extras')>('extras').then((m) => m.startLiveEvents({ ctx, ct, thread, opts }));
    void handle.then(
      (f) => f(e),
      () => {},
    );
  };
  const q = `site=${encodeURIComponent(ctx.site)}&page=${encodeURIComponent(ctx.page)}`;
  const source = new EventSource(`${ctx.api.base}api/live?${q}`);
  ctx.signal.addEventListener('abort', () => source.close());
  for (const type of EVENTS) source.addEventListener(type, heard);
  source.addEventListener('ready', (e) => {
    if (/"closed":\s*true/.test((e as MessageEvent<string>).data)) heard(e);
  });
}
