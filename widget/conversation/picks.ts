import type { WidgetContext } from '../context';
import { loadPart } from '../parts';
import type { ConversationMessages } from './words';

/**
 * Which comments are editors' picks, and the "Editors' picks" strip at the top of `home`. Most pages
 * have none, so the strip's code is in the conversation's extras (extras.ts), fetched only for a page
 * that has some.
 */
export function createPicks(ctx: WidgetContext, ct: ConversationMessages, home: HTMLElement) {
  const ids = new Set<string>();

  async function load(): Promise<void> {
    const q = `site=${encodeURIComponent(ctx.site)}&page=${encodeURIComponent(ctx.page)}&featured=1`;
    const r = await ctx.api.call(`api/comments?${q}`);
    const items = (r.status === 200 && (r.body as { comments?: unknown } | null)?.comments) || [];
    if (!Array.isArray(items) || items.length === 0) return;
    await loadPart<typeof import('./extras')>('extras').then(
      (m) => m.showPicks(ctx, ct, home, items, ids),
      () => {},
    );
  }

  return { load, has: (id: string) => ids.has(id) };
}
