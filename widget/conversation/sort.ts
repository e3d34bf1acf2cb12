import { h } from '../dom';
import type { ConversationMessages } from './words';
import type { Order } from '../types';

const orders: Order[] = ['oldest', 'newest', 'top'];

/** Oldest / Newest / Top: pressing one fetches the thread again in that order. */
export function createSort(ct: ConversationMessages, initial: Order, change: (o: Order) => Promise<void>) {
  let value = initial;
  let busy = false;
  const buttons = orders.map((o) =>
    h('button', { type: 'button', 'aria-pressed': String(o === value), onclick: () => void pick(o) }, ct[o]),
  );
  async function pick(o: Order): Promise<void> {
    if (o === value || busy) return;
    value = o;
    buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(orders[i] === o)));
    busy = true;
    await change(o);
    busy = false;
  }
  const el = h('div', { class: 'rd-sort', role: 'group', 'aria-label': ct.sortLabel }, ...buttons);
  return { el, value: () => value, busy: () => busy };
}
