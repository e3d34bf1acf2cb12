import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { DEMO_SITE, E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * A bulk action on a whole queue view in a real Chromium: "Apply to all N in this view", the progress
 * page, the result, Undo, and the comments back in the queue. Once with JavaScript off (the meta
 * refresh drives the progress page) and once with admin.js, which shows progress inline and then
 * opens the same result page. Screenshots land in test-artifacts/.
 */

const MODERATOR = 'bulk@example.org';
const artifacts = join(projectRoot, 'test-artifacts');
let env: DemoEnv;

async function signIn(page: Page): Promise<void> {
  await page.goto(`${env.api.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(MODERATOR);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
}

async function statusCounts(ids: string[]): Promise<Record<string, number>> {
  const { rows } = await env.db.pool.query<{ status: string; n: number }>(
    'select status, count(*)::int as n from comments where id = any($1::uuid[]) group by status',
    [ids],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Approves the whole pending view from the queue page, undoes it, and checks the queue at each step. */
async function approveAllThenUndo(
  page: Page,
  ids: string[],
  shot: string,
  opts: { seeProgressPage?: boolean } = {},
): Promise<void> {
  const n = ids.length;
  await signIn(page);
  expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe(String(n));
  await page.getByLabel('Bulk action').selectOption('approve');
  // Hold the job in the queue so the progress page is seen, and its own refresh must bring the result.
  if (opts.seeProgressPage) await env.api.bulkQueue.pause();
  try {
    await page.getByRole('button', { name: `Apply to all ${n} in this view` }).click();
    if (opts.seeProgressPage) {
      await page.waitForURL(/\/admin\/bulk\/[0-9a-f-]{36}$/);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Approving ${n} comments in the view`);
      expect(await page.locator('.rd-bulk-progress').innerText()).toContain(`0 of ${n} done`);
      await page.screenshot({ path: join(artifacts, `${shot}-progress.png`), fullPage: true });
    }
  } finally {
    if (opts.seeProgressPage) await env.api.bulkQueue.resume();
  }

  // The progress page (or admin.js' inline bar) ends on the result page with its Undo button.
  await page.waitForURL(/\/admin\/bulk\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const result = page.locator('.rd-bulk-result');
  await result.waitFor({ timeout: 20_000 });
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Approved ${n} comments`);
  expect(await statusCounts(ids)).toEqual({ approved: n });
  await page.screenshot({ path: join(artifacts, `${shot}-result.png`), fullPage: true });

  await page.getByRole('button', { name: 'Undo' }).click();
  await page.waitForURL(/\/admin\/bulk\/undo-[0-9a-f-]{36}$/);
  await page.locator('.rd-bulk-result').waitFor({ timeout: 20_000 });
  expect(await page.locator('.rd-bulk-result').innerText()).toContain(`Restored ${n} comments`);
  expect(await statusCounts(ids)).toEqual({ pending: n });

  await page.getByRole('link', { name: 'Back to the queue' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
  expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe(String(n));
  expect(await page.locator(`article.rd-card[data-id="${ids[0]}"]`).count()).toBe(1);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  env = await startDemoEnv({ holdFirstTime: true });
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe('bulk-approving a queue view in a browser', () => {
  it(
    'without JavaScript: the progress page refreshes itself to the result, and Undo puts all 120 back in the queue',
    async () => {
      const ids = await insertHeldComments(env.db.pool, DEMO_SITE, 'bulk-nojs', 120);
      const context = await env.browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 1280, height: 860 },
      });
      try {
        await approveAllThenUndo(await context.newPage(), ids, 'bulk-nojs', { seeProgressPage: true });
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'with admin.js: progress inline, then the same result page, and Undo puts all 80 back',
    async () => {
      // The first test's comments are back in pending: clear them out of this view first.
      await env.db.pool.query(`update comments set status = 'rejected' where site_id = $1 and status = 'pending'`, [
        DEMO_SITE,
      ]);
      const ids = await insertHeldComments(env.db.pool, DEMO_SITE, 'bulk-js', 80);
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('dialog', (d) => {
        errors.push(`dialog: ${d.message()}`);
        void d.dismiss();
      });
      try {
        await approveAllThenUndo(page, ids, 'bulk-js');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
