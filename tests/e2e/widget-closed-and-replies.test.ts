import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PAGE_ID } from '../../src/http/demo/demo-page.js';
import { seedThread as seedComments } from '../support/seed-thread.js';
import {
  SITE,
  WIDGET_TIMEOUT_MS,
  openPage,
  serveHostPage,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * Issue 11, items 16 and 3 in a real Chromium: a closed page (by hand, or after the site's
 * closeAfterDays) shows "Comments are closed." and no form, in the widget and on the no-JS demo page;
 * a conversation with many replies, newest first, arrives with its first replies and a "Load more
 * replies" button that brings in the rest.
 */

const DAY = 86_400_000;
const REPLIES = 75;
let env: WidgetEnv;
const root = randomUUID();
const replies: string[] = [];

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false, closeAfterDays: 30 }, { worker: false });
  const now = Date.now();
  await seedComments(env.db.pool, SITE, 'open-page', [{ at: 0 }], new Date(now - DAY));
  await seedComments(env.db.pool, SITE, 'shut-page', [{ at: 0 }], new Date(now - DAY));
  await env.db.pool.query(`update pages set closed = true where identifier = 'shut-page'`);
  await seedComments(env.db.pool, SITE, 'old-page', [{ at: 0 }], new Date(now - 40 * DAY));
  await seedComments(env.db.pool, SITE, DEMO_PAGE_ID, [{ at: 0 }], new Date(now - DAY));
  const seed = [{ id: root, at: 0 }];
  for (let i = 0; i < REPLIES; i++) {
    const id = randomUUID();
    replies.push(id);
    // Every third reply answers the one before it, so some land a level deeper.
    seed.push({
      id,
      parent: i % 3 === 2 ? replies[i - 1] : root,
      depth: i % 3 === 2 ? 2 : 1,
      at: 1000 + i,
    } as (typeof seed)[number]);
  }
  await seedComments(env.db.pool, SITE, 'long-talk', seed, new Date(now - DAY));
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

async function close(v: Visit): Promise<void> {
  await v.context.close();
}

describe('a closed page in the widget', () => {
  it.each([
    ['closed by hand', 'shut-page'],
    ['closed 30 days after its first comment', 'old-page'],
  ])(
    '%s: the thread shows, "Comments are closed." instead of the form, and no Reply buttons',
    async (_name, page) => {
      const v = await openPage(env, serveHostPage(env, `/${page}`, { page }));
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('1 Comment');
        await expect.poll(() => v.widget.locator('.rd-closed').innerText()).toBe('Comments are closed.');
        expect(await v.widget.locator('form').count()).toBe(0);
        expect(await v.widget.getByRole('button', { name: 'Reply' }).count()).toBe(0);
        expect(v.errors).toEqual([]);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'an open page of the same site keeps its form and Reply buttons',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/open-page', { page: 'open-page' }));
      try {
        await expect.poll(() => v.widget.locator('form').count()).toBe(1);
        expect(await v.widget.getByRole('button', { name: 'Reply' }).count()).toBe(1);
        expect(await v.widget.locator('.rd-closed').count()).toBe(0);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('a closed page without JavaScript', () => {
  it(
    'the demo page says "Comments are closed." and has no form and no Reply links; open again, the form is back',
    async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      try {
        await page.goto(`${env.api.url}/`);
        expect(await page.locator('#commentform').count()).toBe(1);
        expect(await page.locator('.comment-reply-link').count()).toBe(1);
        await env.db.pool.query(`update pages set closed = true where identifier = $1`, [DEMO_PAGE_ID]);
        await page.reload();
        expect(await page.locator('.comments-closed').innerText()).toBe('Comments are closed.');
        expect(await page.locator('#commentform').count()).toBe(0);
        expect(await page.locator('.comment-reply-link').count()).toBe(0);
        // The thread itself still shows.
        expect(await page.locator('.comment-list > li').count()).toBe(1);
      } finally {
        await env.db.pool.query(`update pages set closed = false where identifier = $1`, [DEMO_PAGE_ID]);
        await context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('a long conversation, newest first', () => {
  it(
    'shows its first replies and loads every other one with "Load more replies", each once, in place',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/long-talk', { page: 'long-talk' }));
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe(`${REPLIES + 1} Comments`);
        await v.widget.getByRole('button', { name: 'Newest' }).click();
        const shown = v.widget.locator(`li#comment-${root} li.rd-c`);
        await expect.poll(() => shown.count()).toBe(10);
        const more = v.widget.getByRole('button', { name: 'Load more replies' });
        // 65 more, 50 a press: two presses, then the button is gone.
        await more.click();
        await expect.poll(() => shown.count()).toBe(60);
        await more.click();
        await expect.poll(() => more.count()).toBe(0);
        expect(await shown.evaluateAll((lis) => lis.map((li) => li.id).sort())).toEqual(
          replies.map((id) => `comment-${id}`).sort(),
        );
        // Deeper replies sit under the reply they answer.
        expect(
          await v.widget.locator(`li#comment-${replies[1]} > ol.rd-replies > li#comment-${replies[2]}`).count(),
        ).toBe(1);
        expect(
          await v.widget.locator(`li#comment-${replies[73]} > ol.rd-replies > li#comment-${replies[74]}`).count(),
        ).toBe(1);
        // Only the conversation's replies were asked for, a page at a time.
        const asked = v.requests.filter((u) => u.searchParams.get('replies') === root);
        expect(asked.length).toBe(2);
        expect(v.errors).toEqual([]);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
