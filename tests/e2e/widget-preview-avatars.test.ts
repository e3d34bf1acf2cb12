import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPageCsp, hostPageHtml } from '../support/host-page.js';
import {
  PAGE,
  SITE,
  WIDGET_TIMEOUT_MS,
  commentIn,
  fillForm,
  openPage,
  publishComment,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * The form's Markdown preview and the authors' avatars (issue 15, item 5) in a real Chromium against
 * the real API: the preview is the server's rendering, fetched (with its code) only on a press, and
 * nothing a reader types runs; each comment shows its author's identicon, a valid SVG from our API.
 */
let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

/** The host page under its strict CSP (images from the comment service only: the avatars). */
async function open(path: string, page = PAGE): Promise<Visit & { scripts: string[] }> {
  env.host.serve(path, hostPageHtml({ apiUrl: env.api.url, site: SITE, page }), {
    'content-security-policy': hostPageCsp(env.api.url),
  });
  const scripts: string[] = [];
  const visit = await openPage(env, `${env.host.origin}${path}`);
  visit.page.on('request', (r) => {
    if (r.url().endsWith('.js')) scripts.push(r.url());
  });
  return { ...visit, scripts };
}

describe('the Markdown preview', () => {
  it(
    'shows the server’s rendering on Preview, loads its code only then, and runs nothing the reader typed',
    async () => {
      const v = await open('/preview');
      await v.widget.locator('form').waitFor();
      const previewCalls = (): number => v.requests.filter((u) => u.pathname === '/api/preview').length;
      const chunksBefore = v.scripts.length;
      await fillForm(v, {
        body: '**Bold** and _soft_\n\n<script>window.__rdRan = 1</script><img src=x onerror="window.__rdRan = 2">',
      });
      expect(previewCalls()).toBe(0);
      await v.widget.getByRole('button', { name: 'Preview' }).click();
      const pane = v.widget.locator('.rd-preview');
      await pane.locator('strong', { hasText: 'Bold' }).waitFor();
      expect(await pane.locator('em').textContent()).toBe('soft');
      // The markup is shown as text, and neither the script nor the handler ran.
      expect(await pane.textContent()).toContain('<script>window.__rdRan = 1</script>');
      expect(await pane.locator('script, img').count()).toBe(0);
      expect(await v.page.evaluate(() => (globalThis as unknown as { __rdRan?: number }).__rdRan)).toBeUndefined();
      expect(previewCalls()).toBe(1);
      // Its code came with the press: one more script than the page had loaded before.
      expect(v.scripts.length).toBeGreaterThan(chunksBefore);
      expect(await v.widget.getByRole('button', { name: 'Preview' }).getAttribute('aria-pressed')).toBe('true');
      // Write brings the text box back with the text as it was.
      await v.widget.getByRole('button', { name: 'Write' }).click();
      const box = v.widget.locator('form').getByRole('textbox', { name: 'Comment', exact: true });
      await box.waitFor({ state: 'visible' });
      expect(await box.inputValue()).toContain('**Bold**');
      expect(await pane.isHidden()).toBe(true);
      expect(v.dialogs).toEqual([]);
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a reader who never presses Preview never fetches its code nor the endpoint',
    async () => {
      const v = await open('/no-preview');
      await v.widget.locator('form').waitFor();
      await v.page.waitForLoadState('networkidle');
      expect(v.requests.some((u) => u.pathname === '/api/preview')).toBe(false);
      const loaded = (await v.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name)))
        .filter((u) => u.endsWith('.js'))
        .map((s) => s.split('/').pop() ?? '');
      const { readFile } = await import('node:fs/promises');
      const { join } = await import('node:path');
      const { projectRoot } = await import('../../src/paths.js');
      const withPreview: string[] = [];
      for (const name of loaded) {
        const text = await readFile(join(projectRoot, 'dist', 'widget', name), 'utf8').catch(() => '');
        if (text.includes('api/preview')) withPreview.push(name);
      }
      expect(loaded.length).toBeGreaterThan(1);
      expect(withPreview).toEqual([]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('avatars', () => {
  it(
    'each comment shows its author’s identicon: a lazy 32×32 image with empty alt, loaded from our API',
    async () => {
      const page = 'avatars';
      const id = await publishComment(env, { author: 'Ada', email: 'ada@example.org', body: 'With a face', page });
      const v = await open('/avatars', page);
      const img = commentIn(v, id).locator('img.rd-avatar');
      await img.waitFor();
      expect(await img.getAttribute('alt')).toBe('');
      expect(await img.getAttribute('loading')).toBe('lazy');
      expect(await img.getAttribute('width')).toBe('32');
      expect(await img.getAttribute('src')).toMatch(new RegExp(`^${env.api.url}/avatars/[0-9a-f]{32}\\.svg$`));
      // The SVG is valid: the browser decoded it.
      await v.page.waitForFunction(
        (el) => {
          const i = el as { complete?: boolean; naturalWidth?: number } | null;
          return i?.complete === true && (i.naturalWidth ?? 0) > 0;
        },
        await img.elementHandle(),
      );
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    WIDGET_TIMEOUT_MS,
  );
});
