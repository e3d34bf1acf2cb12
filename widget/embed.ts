/*
 * The Reply Desk widget, an ES module that embed.js (widget/loader.ts) imports and boots with its own
 * <script> tag: the page gets the thread and the "Leave a Reply" form, in a shadow root so the page's
 * CSS and ours never meet. Options on the script tag: data-page (thread id; else the canonical URL, else
 * the address), data-lang (else the page's lang), data-theme ("light" | "dark"; else the reader's colour
 * scheme), data-target (a selector for the container; else #reply-desk); for the host's own sign-in
 * (SSO), data-sso-token, data-sso-login and data-sso-logout. `ReplyDesk.signIn({ sso })` and
 * `ReplyDesk.signOut()` let a page that signs its user in or out without a reload tell the widget.
 * A single-page app mounts it itself: `ReplyDesk.mount(el, {site, page, …})`, `ReplyDesk.setPage(el,
 * page, url)` on a route change, `ReplyDesk.unmount(el)`; each mount's live stream, timers and
 * listeners end with it (one AbortSignal, ctx.signal).
 */
import { loadPart } from './parts';
import { createApi } from './api';
import { startConversation } from './conversation/main';
import { emitHostEvent } from './host-events';
import type { CommentView } from './comment-view';
import type { WidgetContext } from './context';
import { adoptStyles, h } from './dom';
import { flagButton } from './flag';
import { createReplyForm } from './form';
import { directionOf, loadMessages, pickLanguage, type Messages } from './i18n';
import { createOwnComments } from './own-comments';
import { pageIdentity, pageUrlOf } from './page-identity';
export { setPartFiles } from './parts';
import { relativeTime } from './relative-time';
import { loadReader, type ReaderHost, type ReaderPart } from './reader-host';
import { rememberSent, SENT_KEY } from './sent-comments';
import { createSession } from './session';
import { createSignInChoices } from './sign-in';
import { readStored } from './storage';
import { createThread, PAGE_SIZE } from './thread';
import css from './styles.css';

/** Resolves, once a widget is up, to what loads the reader's part: ReplyDesk.signIn and signOut wait for it. */
let ready: (load: () => Promise<ReaderPart | null>) => void;
const mounted = new Promise<() => Promise<ReaderPart | null>>((resolve) => (ready = resolve));
/** The newest mount's loader (a single-page app's setPage replaces the widget it was first given). */
let latest: (() => Promise<ReaderPart | null>) | undefined;
const part = (): Promise<ReaderPart | null> => mounted.then((first) => (latest ?? first)());

/** What a mount reads: the script tag's data- (boot) or a single-page app's options (mount). */
export interface MountOptions {
  site?: string;
  page?: string;
  /** The page's address for permalinks (a single-page app's route); else the document's. */
  url?: string;
  lang?: string;
  theme?: string;
  ssoToken?: string;
  ssoLogin?: string;
  ssoLogout?: string;
}

/** Each mounted container's options and what ends it. */
const mounts = new WeakMap<Element, { options: MountOptions; base: string; stop: AbortController }>();
/** The shadow roots this widget made: another script's shadow root on the container is not ours to fill. */
const ours = new WeakSet<ShadowRoot>();

/** `ReplyDesk.signIn({ sso: token })`, for a page that signs its user in without a reload. */
export const signIn = (o: { sso: string }): Promise<boolean | undefined> => part().then((p) => p?.sso(o.sso));
/** `ReplyDesk.signOut()`. */
export const signOut = (): Promise<void> => part().then((p) => p?.signOut());

/**
 * `ReplyDesk.mount(el, options)`: the widget in `el` (a container already holding one is left as it
 * is). `base` is the API's address, ending in / (the loader knows it from its own script tag).
 */
export function mount(host: Element, data: MountOptions, base: string): Promise<void> {
  let root = host.shadowRoot;
  if (mounts.has(host) || (root && !ours.has(root))) return Promise.resolve();
  const stop = new AbortController();
  mounts.set(host, { options: data, base, stop });
  if (!root) {
    root = host.attachShadow({ mode: 'open' });
    ours.add(root);
    adoptStyles(root, css);
  }
  return show(host, root, data, base, stop.signal);
}

/** `ReplyDesk.unmount(el)`: the widget goes, with its live stream, timers and listeners. */
export function unmount(host: Element): void {
  const m = mounts.get(host);
  if (!m) return;
  m.stop.abort();
  mounts.delete(host);
  host.shadowRoot?.querySelector('.rd')?.remove();
}

/** `ReplyDesk.setPage(el, page, url)`: the same widget shows another page's thread (a route change). */
export const setPage = (host: Element, page: string, url?: string): Promise<void> => remount(host, { page, url });

/** The widget in `host` afresh, its options changed by `change`. */
function remount(host: Element, change: Partial<MountOptions> = {}): Promise<void> {
  const m = mounts.get(host);
  if (!m) return Promise.resolve();
  unmount(host);
  return mount(host, { ...m.options, ...change }, m.base);
}

async function show(
  host: Element,
  root: ShadowRoot,
  data: MountOptions,
  base: string,
  signal: AbortSignal,
): Promise<void> {
  const lang = pickLanguage(data.lang, document.documentElement.lang);
  // The words load beside the thread (English at once, another language from its own file): nothing is
  // written before they are in, so a German reader never sees a flash of English.
  const words = loadMessages(lang);
  const live = h('p', { class: 'rd-sr', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'rd-body-wrap' });
  const theme = data.theme === 'dark' || data.theme === 'light' ? ` rd-${data.theme}` : '';
  root.append(h('div', { class: `rd${theme}`, lang, dir: directionOf(lang) }, live, body));
  void words.then((t) => {
    if (!body.firstChild) body.append(h('p', { class: 'rd-loading' }, t.loading));
  });
  await start(data, base, root, body, live, lang, words, signal);
}

/** Fetches the site's settings and the first page, then builds the thread and the form. */
async function start(
  data: MountOptions,
  base: string,
  root: ShadowRoot,
  body: HTMLElement,
  live: HTMLElement,
  lang: string,
  words: Promise<Messages>,
  signal: AbortSignal,
): Promise<void> {
  const site = data.site ?? '';
  const api = createApi(base, site, createSession(site));
  // A single-page app's own page id and route; else the canonical URL, else the address.
  const canonical = data.url ?? document.querySelector<HTMLLinkElement>('link[rel="canonical"]')?.href;
  const page = pageIdentity({ dataPage: data.page, canonical, location: data.url ?? location.href });
  // All at once: the thread waits for neither the settings nor the words.
  const [siteInfo, first, english] = await Promise.all([
    api.siteInfo(page),
    api.thread(page, null, null, PAGE_SIZE),
    words,
  ]);
  let t = english;
  // A page that names no language of ours gets the site's `language` where it sets one.
  const siteLang = pickLanguage(data.lang, document.documentElement.lang, siteInfo.info?.language as string);
  if (siteLang !== lang) {
    lang = siteLang;
    t = await loadMessages(lang);
    Object.assign(body.parentElement ?? {}, { lang, dir: directionOf(lang) });
  }

  if (!siteInfo.info || !first.page) {
    const refused = siteInfo.status === 403 || first.status === 403;
    const retry = (): void => {
      body.replaceChildren(h('p', { class: 'rd-loading' }, t.loading));
      void start(data, base, root, body, live, lang, words, signal);
    };
    body.replaceChildren(h('p', { class: 'rd-error', role: 'alert' }, refused ? t.notAllowed : t.loadFailed));
    if (!refused) body.append(h('button', { type: 'button', class: 'rd-more', onclick: retry }, t.retry));
    return;
  }

  const ctx: WidgetContext = {
    api,
    site,
    page,
    pageUrl: pageUrlOf(data.url ?? location.href),
    lang,
    t,
    info: siteInfo.info,
    root,
    signal,
    announce: (text) => {
      live.textContent = text;
    },
    remount: () => remount(root.host),
  };
  const flagUrl = ctx.info.flagUrl;
  const thread = createThread(ctx, {
    decorate(view, replyable) {
      const name = view.comment.author || t.anonymous;
      if (replyable) {
        view.actions.append(
          h(
            'button',
            {
              type: 'button',
              class: 'rd-link rd-reply',
              'aria-label': t.replyTo(name),
              onclick: () => form.replyTo(view),
            },
            t.reply,
          ),
        );
      }
      if (flagUrl) view.actions.append(flagButton(ctx, view.comment.id, flagUrl, load));
      decorate(view);
    },
    shown: (id) => own.shown(id),
    reloaded: () => own.replace(),
  });
  let loaded: Promise<ReaderPart | null> | undefined;
  const load = (): Promise<ReaderPart | null> => (loaded = loadReader(host));
  const decorate = (view: CommentView): void => void loaded?.then((p) => p?.decorate(view));
  const form = createReplyForm(ctx, (sent) => {
    own.add(sent);
    emitHostEvent(root.host, 'posted', { id: sent.id, status: 'queued' });
    // The author may edit it now. The key and text are kept at once, not when the reader's part has
    // loaded: a guest who reloads before then must not lose their only proof of authorship.
    if (ctx.info.editWindowMinutes > 0) {
      rememberSent(site, ctx.info.editWindowMinutes, sent.id, { key: sent.editKey, body: sent.body, at: Date.now() });
      void load().then((p) => p?.sent(sent));
    }
  });
  const own = createOwnComments(ctx, thread, form, decorate);
  const host: ReaderHost = {
    ctx,
    form,
    thread,
    pending: own.views,
    data,
    choices: createSignInChoices(ctx, data.ssoLogin, load),
  };
  api.session.on(() => {
    form.update(host.choices);
    if (api.session.get()) void load();
  });
  form.update(host.choices);
  thread.show(first.page);
  own.restore();
  // A closed page (by hand, after the site's days, outside staffed hours) shows why instead of a form
  // the worker would refuse. A page whose comments wait for a moderator, or one closed until the desk
  // opens, is rare: its words and its clock are in the conversation's extras, fetched for such a page.
  const closed = ctx.info.closed || thread.closed();
  const home = closed
    ? h('p', { class: 'rd-closed', role: 'status' }, t.closed)
    : h('div', { class: 'rd-form-home' }, form.el);
  body.replaceChildren(thread.el, own.el, home);
  if (ctx.info.reviewed || ctx.info.closedUntil)
    void loadPart<typeof import('./conversation/extras')>('extras').then(
      (m) => m.showPageState(ctx, home, closed),
      () => {},
    );
  // The reader's part is needed now for a signed-in reader, a host page that signs its user in, and an
  // author who may still edit a comment sent from this browser; for nobody else.
  if (data.ssoToken || api.session.get() || readStored('local', SENT_KEY + site)) void load();
  ready(load);
  latest = load;
  // The conversation (badges, picks, votes, sort, live updates), once the thread is on screen. Every
  // plain thread has it, so it is in this module, not a file of its own: one file fewer to fetch, and
  // gzip sees it beside the code it shares.
  void startConversation(ctx, thread);

  addEventListener('hashchange', () => void thread.goToHash(), { signal });
  void thread.goToHash();
  // "3 minutes ago" keeps true while the page stays open.
  const clock = setInterval(() => {
    for (const time of Array.from(root.querySelectorAll('time')))
      time.textContent = relativeTime(time.dateTime, Date.now(), lang);
  }, 60_000);
  signal.addEventListener('abort', () => clearInterval(clock));
}

/** Mounts the widget of the embedding <script> tag (loader.ts found it) once the document is parsed. */
export async function boot(script: HTMLScriptElement, base: string): Promise<void> {
  if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r));
  const data = script.dataset;
  const host =
    document.querySelector(data.target || '#reply-desk') ?? script.insertAdjacentElement('afterend', h('div'));
  if (host) await mount(host, { ...data }, base);
}
