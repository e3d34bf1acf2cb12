import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SITE, WIDGET_TIMEOUT_MS, openPage, publishComment, startWidgetEnv, type WidgetEnv } from './widget-env.js';

/*
 * The JavaScript API for single-page apps (issue 15, item 5) in a real Chromium: a page whose script
 * tag has no data-site mounts the widget itself, switches it to another route's thread with setPage,
 * and unmounts it — and every live stream a mount opened is closed when it goes.
 */
let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

interface SpaGlobals {
  ReplyDesk?: {
    mount(el: object, o: Record<string, string>): Promise<void>;
    setPage(el: object, page: string, url?: string): Promise<void>;
    unmount(el: object): Promise<void>;
  };
  streams: { url: string; readyState: number }[];
  document: { querySelector(s: string): object };
}

/** An app shell: the script tag without data-site, and a container the app owns. */
function appShell(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An app</title></head>
<body><main><h1>An app</h1><div id="app-comments"></div>
<script src="${env.api.url}/embed.js" async></script></main></body></html>`;
}

describe('ReplyDesk.mount, setPage and unmount', () => {
  it(
    'mounts a route’s thread, switches to another route’s thread, and unmounts with its live stream closed',
    async () => {
      const a = await publishComment(env, { author: 'Route A', body: 'On the first route', page: 'spa-a' });
      const b = await publishComment(env, { author: 'Route B', body: 'On the second route', page: 'spa-b' });
      env.host.serve('/app', appShell());
      const v = await openPage(env, `${env.host.origin}/app`);
      // Every EventSource the widget opens, kept for the test to look at (the page's own code runs first).
      await v.page.addInitScript(() => {
        const g = globalThis as unknown as { streams: EventSource[]; EventSource: typeof EventSource };
        g.streams = [];
        const Native = g.EventSource;
        g.EventSource = class extends Native {
          constructor(url: string | URL, init?: EventSourceInit) {
            super(url, init);
            g.streams.push(this);
          }
        };
      });
      await v.page.reload();
      await v.page.waitForFunction(() => (globalThis as unknown as SpaGlobals).ReplyDesk !== undefined);
      // No data-site: nothing is mounted until the app asks.
      await v.page.waitForTimeout(300);
      expect(v.requests.filter((u) => u.pathname === '/api/comments')).toEqual([]);

      const app = v.page.locator('#app-comments');
      await v.page.evaluate((site) => {
        const g = globalThis as unknown as SpaGlobals;
        return g.ReplyDesk!.mount(g.document.querySelector('#app-comments'), {
          site,
          page: 'spa-a',
          url: 'https://app.example/a',
        });
      }, SITE);
      await app.locator(`li#comment-${a}`).waitFor();
      expect(await app.locator(`li#comment-${b}`).count()).toBe(0);
      // Permalinks are built on the route given, not the shell's address.
      expect(await app.locator(`li#comment-${a} a.rd-time`).getAttribute('href')).toBe(
        `https://app.example/a#comment-${a}`,
      );
      const streams = () =>
        v.page.evaluate(() =>
          (globalThis as unknown as SpaGlobals).streams.map((s) => ({ url: s.url, readyState: s.readyState })),
        );
      await expect.poll(async () => (await streams()).filter((s) => s.readyState === 1).length).toBe(1);

      await v.page.evaluate(() => {
        const g = globalThis as unknown as SpaGlobals;
        return g.ReplyDesk!.setPage(g.document.querySelector('#app-comments'), 'spa-b', 'https://app.example/b');
      });
      await app.locator(`li#comment-${b}`).waitFor();
      expect(await app.locator(`li#comment-${a}`).count()).toBe(0);
      // One widget in the container, not two.
      expect(await app.locator('.rd').count()).toBe(1);
      await expect
        .poll(async () => (await streams()).map((s) => [new URL(s.url).searchParams.get('page'), s.readyState]))
        .toEqual([
          ['spa-a', 2],
          ['spa-b', 1],
        ]);

      await v.page.evaluate(() => {
        const g = globalThis as unknown as SpaGlobals;
        return g.ReplyDesk!.unmount(g.document.querySelector('#app-comments'));
      });
      expect(await app.locator('.rd').count()).toBe(0);
      expect((await streams()).every((s) => s.readyState === 2)).toBe(true);

      // And it mounts again in the same container.
      await v.page.evaluate((site) => {
        const g = globalThis as unknown as SpaGlobals;
        return g.ReplyDesk!.mount(g.document.querySelector('#app-comments'), { site, page: 'spa-a' });
      }, SITE);
      await app.locator(`li#comment-${a}`).waitFor();
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );
});
