import type { Api } from './api';
import type { Messages } from './i18n';
import type { SiteInfo } from './types';

/** What every part of one mounted widget shares. */
export interface WidgetContext {
  api: Api;
  site: string;
  /** The thread's page identifier (data-page, canonical URL or address). */
  page: string;
  /** The host page's address without its hash: permalinks are built on it. */
  pageUrl: string;
  lang: string;
  t: Messages;
  info: SiteInfo;
  /** The shadow root everything lives in (ids are looked up here, not in the host document). */
  root: ShadowRoot;
  /** Aborted when the widget is unmounted (ReplyDesk.unmount / setPage): live streams, timers and listeners end. */
  signal: AbortSignal;
  /** Says something in the polite live region, for screen readers. */
  announce(text: string): void;
  /** The widget afresh (when the desk's staffed hours open a page closed until then). */
  remount(): unknown;
}
