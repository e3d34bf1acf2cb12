/*
 * Elements are built with DOM calls only: reader strings become text nodes or attribute values, never
 * markup. (The one exception, the server's sanitised comment HTML, goes through safe-html.ts.)
 */

type AttrValue = string | number | boolean | null | undefined;
type Child = Node | string | null | undefined | false;

/** Attributes by name; `on<event>` keys take listeners. `false`, null and undefined leave one out. */
export type Attrs = Record<string, AttrValue | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined && value !== false)
      el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return el;
}

/**
 * Adds a stylesheet to the widget's shadow root. A constructed stylesheet is not inline CSS, so a host
 * page whose CSP forbids inline styles still styles the widget; older browsers get a <style> element.
 */
export function adoptStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    root.append(h('style', null, css));
  }
}

/** A random id: for idempotency keys, element ids and the reader's flag key. */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
