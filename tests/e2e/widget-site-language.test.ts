import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SITE,
  WIDGET_TIMEOUT_MS,
  openPage,
  seedThread,
  serveHostPage,
  startWidgetEnv,
  type WidgetEnv,
} from './widget-env.js';

/*
 * A site's `language` (issue 15) in a real Chromium: a page that names no language of ours gets the
 * widget in the site's language (its words loaded once the site's settings say so); a page that names
 * one keeps it; a change to the setting reaches the next reader (Arabic, right to left).
 */

let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false, language: 'de' });
  await seedThread(env.db.pool, 'zwei', 2);
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe("the site's language in the widget", () => {
  it(
    'a page without a language gets the site’s; a French page stays French; Arabic when the site changes to it',
    async () => {
      const bare = await openPage(env, serveHostPage(env, '/ohne', { page: 'zwei', lang: '' }));
      try {
        await expect.poll(() => bare.widget.locator('h2').innerText()).toBe('2 Kommentare');
        expect(await bare.widget.getAttribute('lang')).toBe('de');
        expect(await bare.widget.locator('h3').first().innerText()).toBe('Schreibe einen Kommentar');
        expect(bare.errors).toEqual([]);
      } finally {
        await bare.context.close();
      }

      const french = await openPage(env, serveHostPage(env, '/fr', { page: 'zwei', lang: 'fr-FR' }));
      try {
        await expect.poll(() => french.widget.locator('h2').innerText()).toBe('2 commentaires');
        expect(await french.widget.getAttribute('lang')).toBe('fr');
      } finally {
        await french.context.close();
      }

      await env.db.pool.query(`update sites set settings = settings || '{"language":"ar"}' where id = $1`, [SITE]);
      await env.api.sites.refresh();
      const arabic = await openPage(env, serveHostPage(env, '/ohne-ar', { page: 'zwei', lang: '' }));
      try {
        await expect.poll(() => arabic.widget.locator('h2').innerText()).toBe('تعليقان');
        expect(await arabic.widget.getAttribute('dir')).toBe('rtl');
        expect(await arabic.widget.getAttribute('lang')).toBe('ar');
      } finally {
        await arabic.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
