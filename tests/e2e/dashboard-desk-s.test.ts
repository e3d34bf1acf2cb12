import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { waitForStored } from '../support/harness.js';
import { DEMO_SITE, E2E_TIMEOUT_MS, postDemoComment, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * The desk's pages after issue 13 in a real Chromium: the bulk button's count follows the queue, a
 * first comment's label follows its author's approval, the audit log reads in the browser's time zone
 * (UTC without the script, saying so), the nav shows every page with the right one current, and on a
 * phone the first card is on the first screen and the audit log is readable. Screenshots land in
 * test-artifacts/ (dashboard-s-*.png).
 */

const ADMIN = 'lead@example.org';
const ZONE = 'Pacific/Auckland';
const PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 860 } };
const liveIsOn = (): boolean =>
  (globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }).document.body
    .dataset.live === 'on';

const artifacts = join(projectRoot, 'test-artifacts');
let env: DemoEnv;
let n = 0;

async function openDesk(
  options: BrowserContextOptions,
  path = '/admin',
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${env.api.url}${path}`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}${path}`);
  return { page, close: () => context.close() };
}

async function held(
  author: string,
  email = `${author.toLowerCase().replace(/\W+/g, '.')}@example.com`,
): Promise<string> {
  n += 1;
  const id = await postDemoComment(env.api, { author, email, body: `Held comment number ${n} from ${author}.` });
  expect((await waitForStored(env.db.pool, id)).status).toBe('pending');
  return id;
}

/** Clears the queue between tests: each starts from the comments it posts. */
async function clearQueue(): Promise<void> {
  await env.db.pool.query(`update comments set status = 'rejected' where status = 'pending'`);
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  env = await startDemoEnv({ holdFirstTime: true });
  await addModerator(env.db.pool, ADMIN, 'admin', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe("the desk's pages (issue 13)", () => {
  it(
    '"Apply to all N in this view" counts down after an action and up when a comment arrives live',
    async () => {
      await clearQueue();
      await held('Ann One');
      await held('Ben Two');
      await held('Cat Three');
      const { page, close } = await openDesk(DESKTOP);
      try {
        const viewCount = page.locator('.rd-bulk-all .rd-view-count');
        expect(await viewCount.innerText()).toBe('3');
        await page.waitForFunction(liveIsOn);
        await page.keyboard.press('j');
        await page.keyboard.press('a');
        await expect.poll(() => page.locator('article.rd-card').count()).toBe(2);
        expect(await viewCount.innerText()).toBe('2');
        await held('Dee Four');
        await expect.poll(() => page.locator('article.rd-card').count()).toBe(3);
        expect(await viewCount.innerText()).toBe('3');
        expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe('3');
        // A narrowed view cannot tell whether a newcomer matches: it says "at least".
        await page.goto(`${env.api.url}/admin?tab=pending&q=Ben`);
        expect(await viewCount.innerText()).toBe('1');
        await page.waitForFunction(liveIsOn);
        await held('Eve Five');
        await expect.poll(() => viewCount.innerText()).toBe('1+');
        await page.getByRole('button', { name: /Apply to all 1\+ in this view/ }).waitFor();
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    "approving an author's first comment relabels their other held comment at once, and after a reload",
    async () => {
      await clearQueue();
      const first = await held('Fay Twice', 'fay@example.com');
      const second = await held('Fay Twice', 'fay@example.com');
      const { page, close } = await openDesk(DESKTOP);
      try {
        const other = page.locator(`article.rd-card[data-id="${second}"] .rd-reason[data-code="FIRST_COMMENT"]`);
        expect(await other.locator('b').innerText()).toBe('First comment');
        await page.locator(`article.rd-card[data-id="${first}"] button.rd-act-approve`).click();
        await page.locator(`article.rd-card[data-id="${first}"]`).waitFor({ state: 'detached' });
        expect(await other.locator('b').innerText()).toBe('No longer a first comment');
        expect(await other.innerText()).toContain('this author has 1 approved comment here now');
        expect(await page.locator(`article.rd-card[data-id="${second}"] .rd-history`).innerText()).toMatch(
          /^1 approved · 1 pending/,
        );
        await page.reload();
        expect(await other.locator('b').innerText()).toBe('No longer a first comment');
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    "shows the audit log in the browser's time zone with UTC on hover, and in UTC, saying so, without the script",
    async () => {
      await clearQueue();
      const id = await held('Gil Audit');
      const { page, close } = await openDesk({ ...DESKTOP, timezoneId: ZONE });
      try {
        await page.locator(`article.rd-card[data-id="${id}"] button.rd-act-approve`).click();
        await page.locator(`article.rd-card[data-id="${id}"]`).waitFor({ state: 'detached' });
        await page.goto(`${env.api.url}/admin/audit`);
        // The first visit learns the zone and reloads once.
        await expect.poll(() => page.locator('.rd-audit th').first().innerText()).toBe(`When (${ZONE})`);
        const row = page.locator('.rd-audit tbody tr').first();
        expect(await row.locator('td[data-label="Comment"]').innerText()).toContain('Gil Audit');
        expect(await row.locator('td[data-label="Comment"]').innerText()).toContain('Held comment number');
        const time = row.locator('time');
        const iso = (await time.getAttribute('datetime')) ?? '';
        expect(await time.getAttribute('title')).toBe(`${iso.slice(0, 19).replace('T', ' ')} UTC`);
        const local = new Intl.DateTimeFormat('en-CA', {
          timeZone: ZONE,
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(iso));
        expect(await time.innerText()).toContain(local);
        // The page wraps long reader text anywhere; the log's cells keep words whole ("appr-oved" was cut).
        const wraps = await page.evaluate<string[]>(
          `[...document.querySelectorAll('.rd-audit td')].map((td) => getComputedStyle(td).overflowWrap)`,
        );
        expect(new Set(wraps)).toEqual(new Set(['normal']));
        await page.screenshot({ path: join(artifacts, 'dashboard-s-audit-desktop.png'), fullPage: true });
      } finally {
        await close();
      }
      const noScript = await openDesk({ ...DESKTOP, javaScriptEnabled: false }, '/admin/audit');
      try {
        expect(await noScript.page.locator('.rd-audit th').first().innerText()).toBe('When (UTC)');
        expect(await noScript.page.locator('.rd-zone-note').innerText()).toContain('Times are in UTC');
      } finally {
        await noScript.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'on a phone: the first card is on the first screen, the audit log is cards without sideways scrolling',
    async () => {
      await clearQueue();
      // A comment of a few lines, as real ones are: its card must still start and end on the first screen.
      const halId = await postDemoComment(env.api, {
        author: 'Hal Phone',
        email: 'hal@example.com',
        body: 'I went to the meeting last night and the council said the new cycle lane will be finished by spring, but nobody could say who pays for the crossing at the school. Does anyone know whether the consultation is still open? I would like to send them the photos from the morning rush.',
      });
      await waitForStored(env.db.pool, halId);
      await held('Ivy Phone');
      const { page, close } = await openDesk({ ...PHONE, timezoneId: ZONE });
      try {
        const card = page.locator('article.rd-card').first();
        await card.waitFor();
        const box = await card.boundingBox();
        // Its author, its text and its first action button: enough to decide without scrolling.
        const more = await card.locator('.rd-more summary').boundingBox();
        expect(box?.y ?? Infinity).toBeLessThan(844);
        expect((more?.y ?? Infinity) + (more?.height ?? 0)).toBeLessThanOrEqual(844);
        await page.screenshot({ path: join(artifacts, 'dashboard-s-queue-phone.png') });
        // The bulk bar's reason for the commenters shows only for the actions that carry one.
        const bulkAction = page.locator('form.rd-bulk select[name="action"]');
        const bulkReason = page.locator('form.rd-bulk .rd-decision-reason');
        expect(await bulkReason.isVisible()).toBe(false);
        await bulkAction.selectOption('reject');
        await expect.poll(() => bulkReason.isVisible()).toBe(true);
        await bulkAction.selectOption('approve');
        await expect.poll(() => bulkReason.isVisible()).toBe(false);

        // Something for the audit log to show.
        const hal = page.locator(`article.rd-card[data-id="${halId}"]`);
        await hal.locator('button.rd-act-approve').click();
        await hal.waitFor({ state: 'detached' });
        await page.goto(`${env.api.url}/admin/audit`);
        await expect.poll(() => page.locator('.rd-zone-note').getAttribute('data-zone')).toBe(ZONE);
        const widths = await page.evaluate<{ scroll: number; client: number }>(
          '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
        );
        expect(widths.scroll).toBeLessThanOrEqual(widths.client);
        // Each cell on its own line with its column's name, blank ones left out.
        const before = await page.evaluate<string>(
          `getComputedStyle(document.querySelector('.rd-audit tbody tr td[data-label="Who"]'), '::before').content`,
        );
        expect(before).toBe('"Who"');
        await page.screenshot({ path: join(artifacts, 'dashboard-s-audit-phone.png'), fullPage: true });
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'has the queue board and Privacy in the navigation, with the page shown marked current',
    async () => {
      const { page, close } = await openDesk(DESKTOP, '/admin/privacy');
      try {
        const nav = page.getByRole('navigation', { name: 'Dashboard' });
        expect(await nav.getByRole('link', { name: 'Privacy' }).getAttribute('aria-current')).toBe('page');
        expect(await nav.getByRole('link', { name: 'Sites' }).getAttribute('aria-current')).toBeNull();
        expect(await nav.getByRole('link', { name: 'Queue board' }).getAttribute('href')).toBe('/admin/queues');
        await nav.getByRole('link', { name: 'Queue board' }).click();
        await page.waitForURL(/\/admin\/queues/);
        await page.goto(`${env.api.url}/admin`);
        expect(
          await page
            .getByRole('navigation', { name: 'Dashboard' })
            .getByRole('link', { name: 'Queue', exact: true })
            .getAttribute('aria-current'),
        ).toBe('page');
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
