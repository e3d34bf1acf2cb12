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
