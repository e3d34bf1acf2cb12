import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { seedThread } from '../support/seed-thread.js';
import { DEMO_PAGE, DEMO_SITE, E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * Issue 13, item 7: a moderator closes and reopens a thread from the dashboard's Pages list in a real
 * Chromium, without SQL, and readers' thread answers follow at once.
 */
const MODERATOR = 'pages@example.org';
let env: DemoEnv;

async function closedNow(): Promise<boolean> {
  const res = await fetch(`${env.api.url}/api/comments?site=${DEMO_SITE}&page=${DEMO_PAGE}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { closed: boolean }).closed;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${env.api.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(MODERATOR);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
}

beforeAll(async () => {
  env = await startDemoEnv({});
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
  await seedThread(env.db.pool, DEMO_SITE, DEMO_PAGE, [{ at: 0 }, { at: 1 }], new Date(Date.now() - 60_000));
  await seedThread(env.db.pool, DEMO_SITE, 'older-article', [{ at: 0 }]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe('the Pages list in a browser', () => {
  it(
    'finds the most active page first, closes its thread, shows it under Closed, and reopens it',
    async () => {
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      try {
        await signIn(page);
        await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Pages' }).click();
        await page.waitForURL(/\/admin\/pages/);
        expect(await page.getByRole('link', { name: 'Pages', exact: true }).getAttribute('aria-current')).toBe('page');
        const rows = page.locator('table.rd-pages tbody tr');
        expect(await rows.first().getAttribute('data-page')).toBe(DEMO_PAGE);
        expect(await rows.count()).toBe(2);

        const row = page.locator(`tr[data-page="${DEMO_PAGE}"]`);
        await row.getByRole('button', { name: 'Close thread' }).click();
        await page.getByRole('status').waitFor();
        expect(await page.getByRole('status').innerText()).toContain(`Comments on ${DEMO_PAGE} are closed`);
        expect(await closedNow()).toBe(true);

        await page.getByRole('link', { name: 'Closed', exact: true }).click();
        await page.waitForURL(/view=closed/);
        expect(await rows.count()).toBe(1);
        expect(await row.locator('.rd-closed').innerText()).toBe('closed');
        await row.getByRole('button', { name: 'Reopen thread' }).click();
        await page.waitForURL(/notice=/);
        expect(await page.getByRole('status').innerText()).toContain('are open again');
        expect(await closedNow()).toBe(false);
        expect(await page.locator('table.rd-pages tbody').innerText()).toContain('No closed page.');

        await page.getByRole('link', { name: 'All pages' }).click();
        await page.getByLabel('Search').fill('older');
        await page.getByRole('button', { name: 'Show' }).click();
        await page.waitForURL(/q=older/);
        expect(await rows.count()).toBe(1);
        expect(await rows.first().getAttribute('data-page')).toBe('older-article');
        expect(pageErrors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
