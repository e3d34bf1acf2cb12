/*
 * The DOM events a host page listens to on the widget's container (issue 15, for single-page apps):
 * `reply-desk:posted` {id, status}, `reply-desk:published` {id} (a comment this reader sent is now
 * public), `reply-desk:count` {count} (the page's published count, once known and on every change).
 * They bubble and are composed, so a listener on the document hears every widget on the page.
 */
export interface HostEvents {
  posted: { id: string; status: string };
  published: { id: string };
  count: { count: number };
}

export function emitHostEvent<K extends keyof HostEvents>(host: Element, name: K, detail: HostEvents[K]): void {
  host.dispatchEvent(new CustomEvent(`reply-desk:${name}`, { bubbles: true, composed: true, detail }));
}
