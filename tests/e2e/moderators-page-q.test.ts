import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * Issue 13, item 6, in a real Chromium: an admin finds Moderators in the navigation, changes a
 * moderator's sites, disables the account (whose open tab is signed out at once), and is told plainly
 * that the last admin cannot be disabled.
 */

let env: DemoEnv;

beforeAll(async () => {
  env = await startDemoEnv({});
  await addModerator(env.db.pool, 'boss@example.org', 'admin');
  await addModerator(env.db.pool, 'helper@example.org', 'moderator', ['demo']);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

/** Script errors on any page the test opened: there must be none. */
const pageErrors: string[] = [];

async function signIn(email: string): Promise<Page> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${env.api.url}/admin/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
  return page;
}

describe('the Moderators page', () => {
  it(
    "an admin changes a moderator's sites, disables them (their tab is signed out), and cannot disable the last admin",
    async () => {
      const helper = await signIn('helper@example.org');
      // A moderator's navigation has no Moderators entry.
      expect(
        await helper.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Moderators' }).count(),
      ).toBe(0);

      const admin = await signIn('boss@example.org');
      await admin.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'Moderators' }).click();
      await admin.waitForURL(`${env.api.url}/admin/moderators`);
      expect(await admin.locator('a[aria-current="page"]').textContent()).toBe('Moderators');
      const row = admin.getByRole('row', { name: /helper@example\.org/ });
      expect(await row.textContent()).toContain('demo');

      await admin.getByRole('link', { name: 'helper@example.org' }).click();
      await admin.getByLabel('Name').fill('Helper Two');
      await admin.getByRole('checkbox', { name: /demo/ }).uncheck();
      await admin.getByRole('button', { name: 'Save' }).click();
      await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect(await admin.getByLabel('Name').inputValue()).toBe('Helper Two');
      expect(await admin.getByRole('checkbox', { name: /demo/ }).isChecked()).toBe(false);

      await admin.getByRole('button', { name: 'Disable account' }).click();
      await admin.getByRole('status').filter({ hasText: 'Disabled' }).waitFor();
      expect(await admin.getByRole('heading', { level: 1 }).textContent()).toContain('(disabled)');
      // The helper's open tab: its next page load is the sign-in form.
      await helper.reload();
      await helper.waitForURL(/\/admin\/sign-in/);

      await admin.getByRole('link', { name: '← Moderators' }).click();
      await admin.getByRole('link', { name: 'boss@example.org' }).click();
      await admin.getByRole('button', { name: 'Disable account' }).click();
      const alert = admin.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('last enabled admin');
      const { rows } = await env.db.pool.query(`select disabled from moderators where email = 'boss@example.org'`);
      expect(rows).toEqual([{ disabled: false }]);
      expect(pageErrors).toEqual([]);
      await admin.context().close();
      await helper.context().close();
    },
    E2E_TIMEOUT_MS,
  );
});
