import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesk } from '../../scripts/build-widget.mjs';
import { DEMO_PAGE_ID } from '../../src/http/demo/demo-page.js';
import { updateSite } from '../../src/store/sites.js';
import { addModerator } from '../support/dashboard-client.js';
import { openDesk } from './desk-browser.js';
import { seedThread } from '../support/seed-thread.js';
import { SITE, WIDGET_TIMEOUT_MS, openPage, serveHostPage, startWidgetEnv, type WidgetEnv } from './widget-env.js';

/*
 * Issue 16, item 1 in a real Chromium: an editor finds a story on the Pages view, pre-moderates it and
 * later closes it from its settings page, without SQL; readers of that story see "reviewed before
 * they appear" and then "Comments are closed." in the widget and on the page without JavaScript,
 * while another story of the site keeps its plain form.
 */
const EDITOR = 'editor@example.org';
let env: WidgetEnv;

beforeAll(async () => {
  await buildDesk();
  env = await startWidgetEnv({ holdFirstTime: false }, { worker: false, liveHeartbeatMs: 500 });
  await addModerator(env.db.pool, EDITOR, 'moderator', [SITE]);
  await seedThread(env.db.pool, SITE, DEMO_PAGE_ID, [{ at: 0 }], new Date(Date.now() - 60_000));
  await seedThread(env.db.pool, SITE, 'sport-results', [{ at: 0 }], new Date(Date.now() - 120_000));
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe("a story's own settings from the Pages view", () => {
  it(
    'search, the Own settings and Closed filters, pre-moderate then close; the widget and the no-JS page follow',
    async () => {
      const signedIn = await openDesk(env, EDITOR, `/admin/pages?site=${SITE}&view=overridden`);
      const desk = signedIn.page;
      const deskErrors: string[] = [];
      desk.on('pageerror', (err) => deskErrors.push(err.message));
      const noJs = await env.browser.newContext({ javaScriptEnabled: false });
      const article = await noJs.newPage();
      try {
        expect(await desk.locator('table.rd-pages tbody').innerText()).toContain('No page has settings of its own.');

        // Search finds the story; its settings link says it follows the site.
        await desk.getByRole('link', { name: 'All pages' }).click();
        await desk.getByLabel('Search').fill('demo');
        await desk.getByRole('button', { name: 'Show' }).click();
        await desk.waitForURL(/q=demo/);
        const row = desk.locator(`tr[data-page="${DEMO_PAGE_ID}"]`);
        expect(await desk.locator('table.rd-pages tbody tr').count()).toBe(1);
        await row.getByRole('link', { name: 'as the site' }).click();
        await desk.waitForURL(/\/admin\/pages\/\d+$/);

        // Pre-moderate this story only.
        await desk.getByLabel('Moderation').selectOption('pre');
        await desk.getByRole('button', { name: 'Save page settings' }).click();
        await desk.waitForURL(/notice=/);
        expect(await desk.getByRole('status').innerText()).toBe('Saved: moderation.');

        const widget = await openPage(env, serveHostPage(env, `/${DEMO_PAGE_ID}`, { page: DEMO_PAGE_ID }));
        await expect
          .poll(() => widget.widget.locator('.rd-reviewed').innerText())
          .toBe('Comments on this story are reviewed before they appear.');
        expect(await widget.widget.locator('form').count()).toBe(1);
        await article.goto(`${env.api.url}/`);
        expect(await article.locator('.comments-reviewed').innerText()).toBe(
          'Comments on this story are reviewed before they appear.',
        );
        // Another story of the same site says nothing of the kind.
        const other = await openPage(env, serveHostPage(env, '/sport-results', { page: 'sport-results' }));
        await expect.poll(() => other.widget.locator('form').count()).toBe(1);
        expect(await other.widget.locator('.rd-reviewed').count()).toBe(0);
        await other.context.close();

        // The Own settings filter lists it now, with what it overrides.
        await desk.goto(`${env.api.url}/admin/pages?site=${SITE}&view=overridden`);
        expect(await desk.locator('table.rd-pages tbody tr').count()).toBe(1);
        expect(await row.locator('.rd-overridden').innerText()).toBe('own: moderation');

        // Close it from its settings page: readers see "Comments are closed." and no form.
        await row.locator('.rd-page-settings-link').click();
        await desk.getByLabel(/Closed: readers see/).check();
        await desk.getByRole('button', { name: 'Save page settings' }).click();
        await desk.waitForURL(/notice=/);
        expect(await desk.getByRole('status').innerText()).toBe('Saved: closed.');
        await widget.page.reload();
        await expect.poll(() => widget.widget.locator('.rd-closed').innerText()).toBe('Comments are closed.');
        expect(await widget.widget.locator('form').count()).toBe(0);
        await article.reload();
        expect(await article.locator('.comments-closed').innerText()).toBe('Comments are closed.');
        expect(await article.locator('#commentform').count()).toBe(0);
        await desk.goto(`${env.api.url}/admin/pages?site=${SITE}&view=closed`);
        expect(await desk.locator(`tr[data-page="${DEMO_PAGE_ID}"] .rd-closed`).innerText()).toBe('closed');
        expect(widget.errors).toEqual([]);
        expect(deskErrors).toEqual([]);
        await widget.context.close();
      } finally {
        await noJs.close();
        await signedIn.close();
      }
    },
    WIDGET_TIMEOUT_MS * 2,
  );

  /** Staffed hours that close the threads now: the desk opens in two hours (UTC, every day). */
  const closingHours = () => {
    const at = (min: number) => new Date(Date.now() + min * 60_000).toISOString().slice(11, 16);
    return { timeZone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6], from: at(120), to: at(180), outside: 'closed' as const };
  };
  const setHours = async (staffedHours: ReturnType<typeof closingHours> | null): Promise<void> => {
    await updateSite(env.db.pool, SITE, { settings: { holdFirstTime: false, floodSeconds: 0, staffedHours } });
    await env.api.sites.refresh();
  };

  /** A reader on the sport results, whose clock the test moves (the server keeps the real one). */
  async function readSportResults(run: (page: Page, widget: Locator) => Promise<void>): Promise<void> {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    try {
      await page.clock.install();
      await page.goto(serveHostPage(env, '/sport-results', { page: 'sport-results' }));
      await run(page, page.locator('#reply-desk .rd'));
    } finally {
      await context.close();
    }
  }

  /** The desk opens (here: the admin drops the hours), and three hours pass in the reader's browser. */
  async function deskOpens(page: Page, widget: Locator): Promise<void> {
    await setHours(null);
    await page.clock.fastForward('03:00:00');
    await expect.poll(() => widget.locator('form').count()).toBe(1);
    expect(await widget.locator('.rd-closed').count()).toBe(0);
  }

  it(
    'closed outside staffed hours, the widget says until when, and opens by itself when the desk does',
    async () => {
      await setHours(closingHours());
      await readSportResults(async (page, widget) => {
        await expect.poll(() => widget.locator('.rd-closed').innerText()).toMatch(/^Comments are closed until .+\.$/);
        expect(await widget.locator('form').count()).toBe(0);
        await deskOpens(page, widget);
      });
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a page open when the staffed hours end loses its form within a heartbeat, says until when, and opens again with the desk',
    async () => {
      await setHours(null);
      await readSportResults(async (page, widget) => {
        await expect.poll(() => widget.locator('form').count()).toBe(1);
        // The desk's day ends with the reader on the page: the live stream's closure check tells the widget.
        await setHours(closingHours());
        await expect.poll(() => widget.locator('.rd-closed').count(), { timeout: 15_000 }).toBe(1);
        expect(await widget.locator('.rd-closed').innerText()).toMatch(/^Comments are closed until .+\.$/);
        expect(await widget.locator('form').count()).toBe(0);
        await deskOpens(page, widget);
      });
    },
    WIDGET_TIMEOUT_MS,
  );
});
