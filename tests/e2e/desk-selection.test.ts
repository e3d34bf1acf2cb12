import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { DEMO_SITE, E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * The parts of the desk script the other browser tests leave alone: ticking cards with x, the bulk
 * form's count of them, its refusal of an empty selection, k from the bottom, a click outside the keys
 * dialog, and an action someone else got to first. They held for the one-file admin.js and must hold
 * for widget/desk/.
 */
const MODERATOR = 'select@example.org';
let env: DemoEnv;

async function openDesk(page: Page): Promise<void> {
  await page.goto(`${env.api.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(MODERATOR);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
}

/** Page checks run as functions: the desk's CSP forbids eval, which string predicates need. */
const activeCardId = (): string | null => {
  const doc = (
    globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }
  ).document;
  return doc.activeElement?.getAttribute('data-id') ?? null;
};

async function statusOf(id: string): Promise<string> {
  const { rows } = await env.db.pool.query('select status from comments where id = $1', [id]);
  return rows[0]?.status;
}

beforeAll(async () => {
  env = await startDemoEnv({ holdFirstTime: true });
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe('the desk script: selection, bulk on a selection, and the odd corners', () => {
  it(
    'x ticks cards and the bulk button counts them; an empty selection is refused; the ticked ones are rejected',
    async () => {
      const ids = await insertHeldComments(env.db.pool, DEMO_SITE, 'select', 3);
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        await openDesk(page);
        const selected = page.locator('#rd-bulk button[name="scope"][value="selection"]');
        expect(await selected.innerText()).toBe('Apply to selected');
        await selected.click();
        await expect.poll(() => page.locator('#rd-status').innerText()).toContain('Select comments first');
        expect(page.url()).toBe(`${env.api.url}/admin`);

        // k with no card current starts from the last; j from there stays on the last.
        await page.keyboard.press('k');
        await expect.poll(() => page.evaluate(activeCardId)).toBe(ids[2]);
        await page.keyboard.press('j');
        expect(await page.evaluate(activeCardId)).toBe(ids[2]);
        await page.keyboard.press('x');
        await page.keyboard.press('k');
        await page.keyboard.press('k');
        await expect.poll(() => page.evaluate(activeCardId)).toBe(ids[0]);
        await page.keyboard.press('x');
        await expect.poll(() => selected.innerText()).toBe('Apply to 2 selected');
        await page.keyboard.press('x');
        await expect.poll(() => selected.innerText()).toBe('Apply to 1 selected');
        // A tick by mouse counts as well.
        await page.locator(`article.rd-card[data-id="${ids[0]}"] input[name="ids"]`).check();
        await expect.poll(() => selected.innerText()).toBe('Apply to 2 selected');

        await page.getByLabel('Bulk action').selectOption('reject');
        await selected.click();
        await page.waitForURL(/\/admin\/bulk\/[0-9a-f-]{36}$/, { timeout: 20_000 });
        await page.locator('.rd-bulk-result').waitFor({ timeout: 20_000 });
        expect([await statusOf(ids[0]!), await statusOf(ids[1]!), await statusOf(ids[2]!)]).toEqual([
          'rejected',
          'pending',
          'rejected',
        ]);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'a click outside closes the keys dialog; a comment someone else changed first says so and leaves the card',
    async () => {
      await env.db.pool.query(`update comments set status = 'rejected' where site_id = $1 and status = 'pending'`, [
        DEMO_SITE,
      ]);
      const [id] = await insertHeldComments(env.db.pool, DEMO_SITE, 'raced', 1);
      const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        await openDesk(page);
        await page.keyboard.press('?');
        await page.locator('#rd-keys').waitFor({ state: 'visible' });
        await page.locator('.rd-cards').click({ position: { x: 5, y: 5 } });
        await page.locator('#rd-keys').waitFor({ state: 'hidden' });

        // Another moderator rejects it after this page was loaded: this page's reject changes nothing.
        await env.db.pool.query(`update comments set status = 'rejected' where id = $1`, [id]);
        await page.keyboard.press('j');
        await page.keyboard.press('r');
        await page.locator(`article.rd-card[data-id="${id}"]`).waitFor({ state: 'detached' });
        await expect.poll(() => page.locator('#rd-status').innerText()).toContain('Already changed by someone else');
        expect(await statusOf(id!)).toBe('rejected');
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
