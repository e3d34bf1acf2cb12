import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPageHtml } from '../support/host-page.js';
import {
  PAGE,
  SITE,
  WIDGET_TIMEOUT_MS,
  commentIn,
  openPage,
  publishComment,
  startWidgetEnv,
  type WidgetEnv,
} from './widget-env.js';

/*
 * data-loading="lazy" (issue 15, item 5) in a real Chromium: a widget far below the fold fetches
 * nothing — no widget module, no API call — until the reader scrolls near it, then mounts as usual.
 * And the DOM events a host page (a single-page app) listens to on the widget's container.
 */
let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe('data-loading="lazy"', () => {
  it(
    'asks the API for nothing while the container is far below, and shows the thread once scrolled near',
    async () => {
      const id = await publishComment(env, { author: 'Far', body: 'Down below' });
      const html = hostPageHtml({
        apiUrl: env.api.url,
        site: SITE,
        page: PAGE,
        before: '<div class="spacer"></div>',
        head: '<style>.spacer { height: 5000px; }</style>',
      }).replace(' async></script>', ' data-loading="lazy" async></script>');
      expect(html).toContain('data-loading="lazy"');
      env.host.serve('/lazy', html);
      const v = await openPage(env, `${env.host.origin}/lazy`);
      await v.page.waitForLoadState('networkidle');
      await v.page.waitForTimeout(500);
      expect(v.requests.map((u) => u.pathname)).toEqual([]);
      expect(await v.page.locator('#reply-desk').evaluate((el) => el.shadowRoot === null)).toBe(true);
      await v.page.mouse.wheel(0, 4600);
      await commentIn(v, id).waitFor();
      expect(v.requests.some((u) => u.pathname === '/api/comments')).toBe(true);
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'without the attribute, the same page mounts at once',
    async () => {
      env.host.serve(
        '/eager',
        hostPageHtml({
          apiUrl: env.api.url,
          site: SITE,
          page: PAGE,
          before: '<div class="spacer"></div>',
          head: '<style>.spacer { height: 5000px; }</style>',
        }),
      );
      const v = await openPage(env, `${env.host.origin}/eager`);
      await v.widget.locator('.rd-title').waitFor({ state: 'attached' });
      expect(v.requests.some((u) => u.pathname === '/api/comments')).toBe(true);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('DOM events on the container', () => {
  it(
    'reply-desk:count when the count is known and changes, :posted with the id, :published once the comment is public',
    async () => {
      const page = 'events';
      await publishComment(env, { author: 'First', body: 'Already here', page });
      env.host.serve('/events', hostPageHtml({ apiUrl: env.api.url, site: SITE, page }));
      const context = await env.browser.newContext();
      // Listening before any script of the page runs, on the document: the events bubble out of the container.
      await context.addInitScript(() => {
        const seen: { type: string; detail: unknown }[] = [];
        (globalThis as unknown as { __rdEvents: typeof seen }).__rdEvents = seen;
        for (const type of ['reply-desk:count', 'reply-desk:posted', 'reply-desk:published'])
          (
            globalThis as unknown as {
              document: { addEventListener(t: string, f: (e: { detail: unknown }) => void): void };
            }
          ).document.addEventListener(type, (e) => seen.push({ type, detail: e.detail }));
      });
      const tab = await context.newPage();
      await tab.goto(`${env.host.origin}/events`);
      const v = { page: tab, widget: tab.locator('#reply-desk .rd'), context };
      const events = (): Promise<{ type: string; detail: Record<string, unknown> }[]> =>
        v.page.evaluate(
          () =>
            (globalThis as unknown as { __rdEvents: { type: string; detail: Record<string, unknown> }[] }).__rdEvents,
        );
      const first = await waitForEvent(events, 'reply-desk:count');
      expect(first.detail).toEqual({ count: 1 });
      const form = v.widget.locator('form');
      await form.waitFor();
      await form.getByRole('textbox', { name: 'Comment', exact: true }).fill('A new one');
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Eve');
      await form.getByRole('textbox', { name: 'Email', exact: true }).fill('eve@example.org');
      await form.getByRole('button', { name: 'Post Comment' }).click();
      const posted = await waitForEvent(events, 'reply-desk:posted');
      expect(posted.detail).toMatchObject({ status: 'queued' });
      expect(posted.detail.id).toMatch(/^[0-9a-f-]{36}$/);
      const published = await waitForEvent(events, 'reply-desk:published');
      expect(published.detail).toEqual({ id: posted.detail.id });
      // Once when known, once when it changed: no repeats.
      expect((await events()).filter((e) => e.type === 'reply-desk:count').map((e) => e.detail)).toEqual([
        { count: 1 },
        { count: 2 },
      ]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );
});

async function waitForEvent(
  events: () => Promise<{ type: string; detail: Record<string, unknown> }[]>,
  type: string,
): Promise<{ type: string; detail: Record<string, unknown> }> {
  for (let i = 0; i < 200; i += 1) {
    const found = (await events()).find((e) => e.type === type);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${type} event`);
}
