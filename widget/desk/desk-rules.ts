import type { DeskCommentStatus, DeskLiveEvents, DeskTab } from '../../src/http-contract/desk-contract.js';

/*
 * What the desk script decides, as pure functions without the DOM (so tests/unit/desk-rules.test.ts
 * runs them in Node): which card is next, which tab a status counts in, where a new comment goes.
 */

/** The card `delta` steps from the one at `at` (-1: none current: the first or the last), stopping at the ends. */
export function stepIndex(at: number, delta: 1 | -1, count: number): number {
  if (at < 0) return delta > 0 ? 0 : count - 1;
  return Math.min(count - 1, Math.max(0, at + delta));
}

// Every tab once: a tab added to the contract and not here fails the type-check.
const deskTabs = Object.keys({
  pending: true,
  reported: true,
  spam: true,
  approved: true,
  rejected: true,
} satisfies Record<DeskTab, true>);

/** The list's `data-tab` as a tab; "pending", the queue's first, when it is missing or unknown. */
export function toDeskTab(v: string | undefined): DeskTab {
  return v !== undefined && deskTabs.includes(v) ? (v as DeskTab) : 'pending';
}

/** The tab a comment in this status is counted in; deleted comments are in none. */
export const tabOfStatus: Partial<Record<DeskCommentStatus, DeskTab>> = {
  pending: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  spam: 'spam',
};

/** Whether a comment in this status belongs in the tab's list ("reported" lists pending comments with flags). */
export function inTab(tab: DeskTab, status: DeskCommentStatus): boolean {
  return tab === 'reported' ? status === 'pending' : status === tab;
}

/** What the page shows of the queue: its tab, site, order, whether it is narrowed and which page it is. */
export interface QueueView {
  tab: DeskTab;
  /** The site filter, if any. */
  site: string | null;
  order: 'oldest' | 'newest';
  /** A page, reason or search narrows the list: the script cannot tell whether a new comment matches. */
  narrowed: boolean;
  /** Oldest first, a new comment belongs on the last page; newest first, on the first. */
  belongsHere: boolean;
}

/** The queue view of a page's address (`?site=&order=&page=&reason=&q=&cursor=`) and whether it has a next page. */
export function queueViewOf(tab: DeskTab, params: URLSearchParams, hasNextPage: boolean): QueueView {
  const order = params.get('order') === 'newest' ? 'newest' : 'oldest';
  return {
    tab,
    site: params.get('site') || null,
    order,
    narrowed: ['page', 'reason', 'q'].some((k) => (params.get(k) ?? '').trim() !== ''),
    belongsHere: order === 'oldest' ? !hasNextPage : !params.get('cursor'),
  };
}

/**
 * What a page does with a newly held comment whose card it does not show yet: nothing (another site's),
 * count it in its own tab, count it here and say so (the page cannot tell where it would appear), or
 * fetch its card and insert it.
 */
export type Arrival = 'ignore' | 'count-other-tab' | 'count-and-say' | 'insert';

export function arrivalOf(view: QueueView, event: DeskLiveEvents['comment']): Arrival {
  if (view.site !== null && event.siteId !== view.site) return 'ignore';
  if (!inTab(view.tab, event.status) || view.tab === 'reported') return 'count-other-tab';
  if (view.narrowed || !view.belongsHere) return 'count-and-say';
  return 'insert';
}

/** A `comment` event's data, or null when it is not one (the stream is ours, but JSON is still input). */
export function toCommentEvent(data: string): DeskLiveEvents['comment'] | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { id, siteId, status } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof siteId === 'string' && (status === 'pending' || status === 'spam')
    ? { id, siteId, status }
    : null;
}

/**
 * The N of "Apply to all N in this view": the comments surely in it, with "+" once a new comment arrived
 * that a narrowed view (page, reason, search) may or may not hold: the script cannot tell, the server can.
 */
export function viewCountText(known: number, unsure: boolean): string {
  return `${known.toLocaleString('en')}${unsure ? '+' : ''}`;
}
