import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesk } from '../../scripts/build-widget.mjs';
import { loadSite } from '../../src/store/sites.js';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { postJson, waitForStored } from '../support/harness.js';
import { join } from 'node:path';
import { ARTIFACTS_DIR, SITE, WIDGET_TIMEOUT_MS, startWidgetEnv, type WidgetEnv } from './widget-env.js';

/** Posts a comment and waits until the worker published it; returns its id. */
async function published(page: string, i: number, body: string): Promise<string> {
  const res = await postJson(
    env.api,
    { site: SITE, page, author: `Reader ${i}`, email: `r${i}@example.org`, body },
    { origin: env.api.origin },
  );
  const { id } = (await res.json()) as { id: string };
  expect((await waitForStored(env.db.pool, id)).status).toBe('approved');
  return id;
}

/*
 * Issue 17, item 3 in a real Chromium: an admin types a hold word on the site's settings page and,
 * before saving, sees what it would have done to the last days' comments (how many, from what to
 * what, the cards, each linking to its comment); nothing is saved until "Save changes". With and
 * without JavaScript: the preview is a plain form post.
 */
const ADMIN = 'admin@example.org';
let env: WidgetEnv;
const insults: string[] = [];

async function signedIn(
  options: BrowserContextOptions,
  path = `/admin/sites/${SITE}`,
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(`${env.api.url}${path}`);
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}${path}`);
  return { page, close: () => context.close() };
}

beforeAll(async () => {
  await buildDesk();
  env = await startWidgetEnv({ holdFirstTime: false, rateLimitIp: 0, rateLimitEmail: 0 });
  await addModerator(env.db.pool, ADMIN, 'admin');
  const bodies = ['What an idiot.', 'Idiot of the week.', 'Only an IDIOT.', 'A fair point.', 'Thanks.'];
  for (const [i, body] of bodies.entries()) {
    const id = await published('an-article', i, body);
    if (/idiot/i.test(body)) insults.push(id);
  }
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe("the site settings page's preview of a rule change", () => {
  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    '%s: the counts, the transition and the cards before saving; saving applies it',
    async (_name, javaScriptEnabled) => {
      const desk = await signedIn({ javaScriptEnabled });
      const page = desk.page;
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        const before = await loadSite(env.db.pool, SITE);
        await page.getByLabel('Hold words').fill('idiot');
        await page.getByLabel(/comments of the last … days/).fill('7');
        await page.getByRole('button', { name: 'Preview changes' }).click();
        await page.waitForURL(/\/backtest$/);

        const panel = page.locator('section.rd-backtest');
        // For people to look at (gitignored), as the other desk tests leave theirs.
        await page.screenshot({
          path: join(ARTIFACTS_DIR, `backtest-preview-${javaScriptEnabled ? 'js' : 'nojs'}.png`),
        });
        expect(await panel.locator('.rd-backtest-summary').innerText()).toBe(
          'Of the 5 comments of the last 7 days, 3 would have had another verdict.',
        );
        expect(await panel.locator('tbody tr').allInnerTexts()).toEqual(['published\theld\t3']);
        const cards = panel.locator('.rd-backtest-card');
        expect(await cards.count()).toBe(3);
        expect(new Set(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))))).toEqual(
          new Set(insults),
        );
        expect(await cards.first().locator('.rd-backtest-change').innerText()).toBe('published → held');
        expect(await cards.first().locator('a').getAttribute('href')).toMatch(/^\/admin\?tab=approved&site=demo&q=/);
        // Nothing saved: the stored settings are as they were; the form keeps what was typed.
        expect(await loadSite(env.db.pool, SITE)).toEqual(before);
        expect(await page.getByLabel('Hold words').inputValue()).toBe('idiot');

        // A card's link opens its comment on the desk (in a tab of its own: the preview stays to be saved).
        const opened = await page.context().newPage();
        await opened.goto(`${env.api.url}${(await cards.first().locator('a').getAttribute('href')) ?? ''}`);
        expect(await opened.locator('.rd-card').count()).toBe(1);
        await opened.close();

        await page.getByRole('button', { name: 'Save changes' }).click();
        await page.waitForURL(/notice=/);
        expect(await page.getByRole('status').first().innerText()).toBe('Saved: holdWords.');
        expect((await loadSite(env.db.pool, SITE))?.settings.holdWords).toEqual(['idiot']);
        expect(errors).toEqual([]);
      } finally {
        // The next run starts from the same settings.
        await env.db.pool.query(`update sites set settings = settings - 'holdWords' where id = $1`, [SITE]);
        await desk.close();
      }
    },
    WIDGET_TIMEOUT_MS * 2,
  );
});

describe("a page's settings page: the preview covers that page's comments only", () => {
  // An insult on another page of the site (after the site's tests): a page's rules would not touch it.
  beforeAll(() => published('another-article', 9, 'Another idiot elsewhere.'), WIDGET_TIMEOUT_MS);

  it.each([
    ['with JavaScript', true],
    ['without JavaScript', false],
  ])(
    '%s: hold words added on the page, previewed before saving',
    async (_name, javaScriptEnabled) => {
      const { rows } = await env.db.pool.query<{ id: number }>(
        'select id from pages where site_id = $1 and identifier = $2',
        [SITE, 'an-article'],
      );
      const pageId = rows[0]!.id;
      const desk = await signedIn({ javaScriptEnabled }, `/admin/pages/${String(pageId)}`);
      const page = desk.page;
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        await page.getByLabel('Hold words added on this page').fill('idiot');
        await page.getByLabel(/comments of the last … days/).fill('7');
        await page.getByRole('button', { name: 'Preview changes' }).click();
        await page.waitForURL(/\/backtest$/);
        const panel = page.locator('section.rd-backtest');
        expect(await panel.locator('.rd-backtest-summary').innerText()).toBe(
          'Of the 5 comments of the last 7 days, 3 would have had another verdict.',
        );
        expect(await panel.locator('tbody tr').allInnerTexts()).toEqual(['published\theld\t3']);
        const cards = panel.locator('.rd-backtest-card');
        expect(new Set(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-id'))))).toEqual(
          new Set(insults),
        );
        const { rows: stored } = await env.db.pool.query<{ settings: Record<string, unknown> }>(
          'select settings from pages where id = $1',
          [pageId],
        );
        expect(stored[0]?.settings.holdWords).toBeUndefined();
        expect(await page.getByLabel('Hold words added on this page').inputValue()).toBe('idiot');

        await page.getByRole('button', { name: 'Save page settings' }).click();
        await page.waitForURL(/notice=/);
        const { rows: saved } = await env.db.pool.query<{ settings: Record<string, unknown> }>(
          'select settings from pages where id = $1',
          [pageId],
        );
        expect(saved[0]?.settings.holdWords).toEqual(['idiot']);
        expect(errors).toEqual([]);
      } finally {
        await env.db.pool.query(`update pages set settings = settings - 'holdWords' where id = $1`, [pageId]);
        await desk.close();
      }
    },
    WIDGET_TIMEOUT_MS * 2,
  );
});
