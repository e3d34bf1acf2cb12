import type { Page } from 'playwright-core';
import { TEST_PASSWORD } from '../support/dashboard-client.js';
import type { DemoEnv } from './demo-env.js';

/** A desk page in its own browser context, signed in as `email` (made with addModerator) through the sign-in form. */
export async function openDesk(
  env: DemoEnv,
  email: string,
  path: string,
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${env.api.url}${path}`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}${path}`);
  return { page, close: () => context.close() };
}
