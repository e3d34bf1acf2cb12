import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS_DIR,
  WIDGET_TIMEOUT_MS,
  commentIn,
  openPage,
  publishComment,
  seedThread,
  serveHostPage,
  startWidgetEnv,
  type WidgetEnv,
} from './widget-env.js';

/*
 * Issue 15, item 6, in a real Chromium: Arabic mirrors the thread (dir="rtl" on the widget's root, a
 * reply indented from the right), Polish counts with its own plural forms, and a language's words are
 * a file of their own that only a reader of that language downloads.
 */

let env: WidgetEnv;
let ann = '';
let bob = '';

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false });
  ann = await publishComment(env, { author: 'Ann', body: 'A first comment.' });
  bob = await publishComment(env, { author: 'Bob', body: 'A reply to Ann.', parent: ann });
  // Five top-level comments on a page of their own, for the Polish "many" form.
  await seedThread(env.db.pool, 'five', 5);
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

/** Opens a host page and records which of the widget's files it fetched (by file name), from the first request on. */
async function openRecording(path: string, o: Parameters<typeof serveHostPage>[2]) {
  const files: string[] = [];
  const context = await env.browser.newContext({ viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/widget/')) files.push(u.pathname.slice('/widget/'.length));
  });
  await page.goto(serveHostPage(env, path, o));
  return { context, page, widget: page.locator('#reply-desk .rd'), files };
}

interface Box {
  x: number;
  width: number;
}

describe('the widget in twelve languages', () => {
  it(
    'data-lang="ar": the root is dir=rtl lang=ar, the heading is Arabic and a reply is indented from the right',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/ar', { dataLang: 'ar' }));
      try {
        // Two approved comments: Arabic's dual form, "تعليقان".
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('تعليقان');
        expect(await v.widget.getAttribute('dir')).toBe('rtl');
        expect(await v.widget.getAttribute('lang')).toBe('ar');
        expect(await v.widget.locator('h3').first().innerText()).toBe('اترك تعليقًا');
        expect(await commentIn(v, ann).getByRole('button', { name: 'رد على Ann' }).count()).toBe(1);
        const parent = (await commentIn(v, ann).locator('> article').boundingBox()) as Box;
        const reply = (await commentIn(v, bob).locator('> article').boundingBox()) as Box;
        // Mirrored: the reply ends short of its parent's right edge and starts at its left one.
        expect(parent.x + parent.width - (reply.x + reply.width)).toBeGreaterThan(8);
        expect(Math.abs(reply.x - parent.x)).toBeLessThan(2);
        await v.page.locator('#reply-desk').screenshot({ path: join(ARTIFACTS_DIR, 'widget-ar.png') });
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
      // The same thread left to right, for contrast: the reply starts right of its parent.
      const en = await openPage(env, serveHostPage(env, '/en-indent'));
      try {
        await expect.poll(() => en.widget.locator('h2').innerText()).toBe('2 Comments');
        expect(await en.widget.getAttribute('dir')).toBe('ltr');
        const parent = (await commentIn(en, ann).locator('> article').boundingBox()) as Box;
        const reply = (await commentIn(en, bob).locator('> article').boundingBox()) as Box;
        expect(reply.x - parent.x).toBeGreaterThan(8);
      } finally {
        await en.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'data-lang="pl": 2 komentarze, 5 komentarzy',
    async () => {
      const two = await openPage(env, serveHostPage(env, '/pl', { dataLang: 'pl' }));
      try {
        await expect.poll(() => two.widget.locator('h2').innerText()).toBe('2 komentarze');
        expect(await two.widget.locator('h3').first().innerText()).toBe('Dodaj komentarz');
      } finally {
        await two.context.close();
      }
      const five = await openPage(env, serveHostPage(env, '/pl-five', { dataLang: 'pl-PL', page: 'five' }));
      try {
        await expect.poll(() => five.widget.locator('h2').innerText()).toBe('5 komentarzy');
      } finally {
        await five.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a language file is fetched only for a reader of another language than English, and no English shows first',
    async () => {
      // Shared code comes in chunks of its own for every reader; a language adds files only its readers fetch.
      const en = await openRecording('/files-en', {});
      let enFiles: string[] = [];
      try {
        await expect.poll(() => en.widget.locator('h2').innerText()).toBe('2 Comments');
        // The conversation part comes once the thread is up; wait for it (and its words) before counting.
        await expect.poll(() => en.widget.locator('.rd-sort').count()).toBe(1);
        await en.page.waitForTimeout(300);
        enFiles = [...en.files];
      } finally {
        await en.context.close();
      }
      const ru = await openRecording('/files-ru', { lang: 'ru-RU' });
      try {
        await expect.poll(() => ru.widget.locator('h2').innerText()).toBe('2 комментария');
        await expect.poll(() => ru.widget.locator('.rd-sort').count()).toBe(1);
        expect(await ru.widget.getByRole('button', { name: 'Сначала новые' }).count()).toBe(1);
        await ru.page.waitForTimeout(300);
        // Russian needs all English needs plus its words: the widget's and the conversation's, one file.
        expect(enFiles.filter((f) => !ru.files.includes(f))).toEqual([]);
        expect(ru.files.filter((f) => !enFiles.includes(f)).length).toBe(1);
      } finally {
        await ru.context.close();
      }
      // No flash of English: from its first words on, a German reader's widget is German.
      const url = serveHostPage(env, '/first-words', { dataLang: 'de' });
      const context = await env.browser.newContext();
      const page = await context.newPage();
      try {
        await page.addInitScript(() => {
          const seen: string[] = [];
          (globalThis as unknown as { __seen: string[] }).__seen = seen;
          const watch = (): void => {
            const root = (
              globalThis as unknown as {
                document: { querySelector(s: string): { shadowRoot: { textContent: string | null } | null } | null };
              }
            ).document.querySelector('#reply-desk')?.shadowRoot;
            if (root) seen.push(root.textContent ?? '');
            (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(watch);
          };
          watch();
        });
        await page.goto(url);
        await expect.poll(() => page.locator('#reply-desk .rd h2').innerText()).toBe('2 Kommentare');
        const seen = await page.evaluate(() => (globalThis as unknown as { __seen: string[] }).__seen);
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.filter((t) => /Loading comments|Comments|Leave a Reply/.test(t))).toEqual([]);
      } finally {
        await context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
