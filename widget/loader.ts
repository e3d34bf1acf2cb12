/*
 * embed.js: the stable script a page embeds. A page adds
 *   <div id="reply-desk"></div>
 *   <script src="https://comments.example.org/embed.js" data-site="news" async></script>
 * This classic script is only the door: it notes its own <script> tag (document.currentScript exists only
 * while a classic script runs) and imports the widget, an ES module (widget/embed.ts), which is all a
 * plain thread needs. What only some readers need (the reader's part, the form's code, the preview,
 * languages) is fetched when they need it, from files that import what they share from the widget
 * module itself; their names are handed to the widget from here (widget/parts.ts).
 */

/** Set by scripts/build-widget.mjs: the widget module's file name and the on-demand parts' names. */
declare const WIDGET_CHUNK: string;
declare const PART_FILES: Record<string, string>;

type Widget = typeof import('./embed');
type MountOptions = import('./embed').MountOptions;

function findScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Some loaders run scripts in ways that leave currentScript empty.
  return document.querySelector<HTMLScriptElement>('script[data-site][src*="embed"]');
}

import { whenNearViewport } from './near-viewport';

const script = findScript();
// The files sit in widget/ beside /embed.js (which redirects to widget/embed.<hash>.js); src is the
// address the page wrote, so a page that names the hashed file itself is already in widget/.
const src = new URL(script?.src || location.href);
const inWidgetDir = /\/widget\/[^/]*$/.test(src.pathname);
const dir = new URL(inWidgetDir ? '.' : 'widget/', src).href;
/** The API's address, ending in /. */
const api = new URL(inWidgetDir ? '..' : '.', src).href;
/**
 * data-loading="lazy": nothing is fetched (no script, no API call) until the container comes within
 * 800 px of the viewport. Without a container laid out yet to watch, the widget mounts as usual.
 */
async function nearEnough(): Promise<void> {
  if (script?.dataset.loading !== 'lazy') return;
  if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r));
  const container = document.querySelector(script.dataset.target || '#reply-desk');
  if (container) await whenNearViewport(container);
}
const widget: Promise<Widget | null> = nearEnough().then(() =>
  import(dir + WIDGET_CHUNK).then(
    (m: Widget) => (m.setPartFiles(PART_FILES), m),
    () => null,
  ),
);

/**
 * The page's handle on the widget: `ReplyDesk.signIn({ sso: token })`, `ReplyDesk.signOut()`, and for a
 * single-page app `ReplyDesk.mount(el, {site, page, url, lang, theme, ssoToken, ssoLogin, ssoLogout})`,
 * `ReplyDesk.setPage(el, page, url)` and `ReplyDesk.unmount(el)`. Each returns a promise, as the widget
 * module may still be on its way.
 */
(window as unknown as { ReplyDesk: unknown }).ReplyDesk = {
  signIn: (o: { sso: string }) => widget.then((m) => m?.signIn(o)),
  signOut: () => widget.then((m) => m?.signOut()),
  mount: (el: Element, o: MountOptions) => widget.then((m) => m?.mount(el, { ...o }, api)),
  setPage: (el: Element, page: string, url?: string) => widget.then((m) => m?.setPage(el, page, url)),
  unmount: (el: Element) => widget.then((m) => m?.unmount(el)),
};

// A script tag with data-site mounts its widget; one without is a single-page app's, which calls mount.
if (script?.dataset.site !== undefined) void widget.then((m) => m?.boot(script, api));

// A module to the type checker (its names are its own); esbuild wraps it as a classic script.
export {};
