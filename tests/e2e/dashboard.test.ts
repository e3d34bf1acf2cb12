import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { addModerator, TEST_PASSWORD } from '../support/dashboard-client.js';
import { waitFor, waitForStored } from '../support/harness.js';
import { DEMO_PAGE, DEMO_SITE, E2E_TIMEOUT_MS, postDemoComment, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * The moderators' desk in a real Chromium: sign in through the form, work the queue with the keyboard,
 * undo, reader text that stays text, the live queue, the keys dialog, and a phone-sized screen.
 * Screenshots of the queue land in test-artifacts/ for a human to look at.
 */

const MODERATOR = 'desk@example.org';
/** The bits of the page's DOM read in page functions (the tests are type-checked without the DOM lib). */
interface DeskDocument {
  document: { body: { dataset: Record<string, string | undefined> }; activeElement: { id: string } | null };
}
// Page checks are functions, not strings: the desk's CSP forbids eval, which string predicates need.
const liveIsOn = (): boolean => (globalThis as unknown as DeskDocument).document.body.dataset.live === 'on';

const artifacts = join(projectRoot, 'test-artifacts');
let env: DemoEnv;

/** A browser tab that records what must never happen: dialogs, script errors, CSP refusals. */
interface Watched {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  pageErrors: string[];
  consoleErrors: string[];
}

async function openDesk(options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 860 }, ...options });
  const page = await context.newPage();
  const w: Watched = { context, page, dialogs: [], pageErrors: [], consoleErrors: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (err) => w.pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') w.consoleErrors.push(m.text());
  });
  // Signed out, /admin sends us to the sign-in form, which brings us back.
  await page.goto(`${env.api.url}/admin`);
  await page.waitForURL(/\/admin\/sign-in/);
  await page.getByLabel('Email').fill(MODERATOR);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${env.api.url}/admin`);
  return w;
}

/** Nothing ran that should not have, and our own script broke no rule of the page's CSP. */
function expectClean(w: Watched): void {
  expect(w.dialogs).toEqual([]);
  expect(w.pageErrors).toEqual([]);
  expect(w.consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await env.db.pool.query('select status from comments where id = $1', [id]);
  return rows[0]?.status;
}

async function publicThreadIds(): Promise<string[]> {
  const res = await fetch(`${env.api.url}/api/comments?site=${DEMO_SITE}&page=${DEMO_PAGE}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: { id: string }[] }).comments.map((c) => c.id);
}

async function heldComment(
  author: string,
  body: string,
  extra: { email?: string; parent?: string } = {},
): Promise<string> {
  const id = await postDemoComment(env.api, {
    author,
    body,
    email: extra.email ?? `${author.toLowerCase().replace(/\W+/g, '.')}@example.com`,
    ...(extra.parent ? { parent: extra.parent } : {}),
  });
  expect((await waitForStored(env.db.pool, id)).status).toBe('pending');
  return id;
}

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  env = await startDemoEnv({ holdFirstTime: true, holdWords: ['giveaway'] });
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe("the moderators' desk in a browser", () => {
  it(
    'shows a held comment with its reasons; j then a approves it onto the public thread; u undoes',
    async () => {
      const id = await heldComment('Fiona First', 'My first comment on this site.');
      const w = await openDesk();
      try {
        const { page } = w;
        const card = page.locator(`article.rd-card[data-id="${id}"]`);
        await card.waitFor();
        expect(await card.locator('.rd-author').innerText()).toContain('Fiona First');
        expect(await card.locator('.rd-reasons').innerText()).toContain('First comment');
        expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe('1');
        await page.waitForFunction(liveIsOn);

        await page.keyboard.press('j');
        await expect
          .poll(() =>
            card.evaluate((el) => el === el.ownerDocument.activeElement && el.classList.contains('rd-current')),
          )
          .toBe(true);
        await page.keyboard.press('a');
        await card.waitFor({ state: 'detached' });
        await expect.poll(() => page.locator('#rd-status').innerText()).toContain('Approved: Fiona First');
        expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe('0');
        expect(await page.locator('.rd-count[data-tab="approved"]').innerText()).toBe('1');
        expect(await page.locator('.rd-empty').count()).toBe(1);
        expect(await statusOf(id)).toBe('approved');
        expect(await publicThreadIds()).toContain(id);

        await page.keyboard.press('u');
        await card.waitFor();
        await expect.poll(() => page.locator('#rd-status').innerText()).toContain('Undone: 1 comment restored');
        expect(await statusOf(id)).toBe('pending');
        expect(await publicThreadIds()).not.toContain(id);
        expect(await page.locator('.rd-count[data-tab="pending"]').innerText()).toBe('1');
        expect(await page.locator('.rd-empty').count()).toBe(0);
        expect(await card.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
        expectClean(w);
      } finally {
        await w.context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'shows markup in a comment and a name as text, and runs none of it',
    async () => {
      const id = await postDemoComment(env.api, {
        author: '<script>alert(1)</script>',
        email: 'xss@example.com',
        body: '<img src=x onerror=alert(1)>',
      });
      expect((await waitForStored(env.db.pool, id)).status).toBe('pending');
      const w = await openDesk();
      try {
        const card = w.page.locator(`article.rd-card[data-id="${id}"]`);
        await card.waitFor();
        expect(await card.locator('.rd-author b').innerText()).toBe('<script>alert(1)</script>');
        expect(await card.locator('.rd-body').innerText()).toContain('<img src=x onerror=alert(1)>');
        expect(await w.page.locator('article.rd-card img, article.rd-card script').count()).toBe(0);
        // Moving onto it and letting the page settle runs nothing either.
        await w.page.keyboard.press('j');
        await w.page.waitForTimeout(300);
        expectClean(w);
      } finally {
        await w.context.close();
      }
      // Out of the way of the tests below: they act on the first card.
      await env.db.pool.query(`update comments set status = 'rejected' where id = $1`, [id]);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'shows a new held comment in an open queue without a reload, and counts it',
    async () => {
      const w = await openDesk();
      try {
        const { page } = w;
        await page.waitForFunction(liveIsOn);
        const before = Number(await page.locator('.rd-count[data-tab="pending"]').innerText());
        // A marker on the window: a reload would wipe it.
        await page.evaluate(() => {
          (globalThis as { rdMarker?: number }).rdMarker = 42;
        });

        const id = await postDemoComment(env.api, {
          author: 'Lena Live',
          email: 'lena@example.com',
          body: 'Posted while the desk is open.',
        });
        const card = page.locator(`article.rd-card[data-id="${id}"]`);
        await card.waitFor({ timeout: 15_000 });
        expect(await card.locator('.rd-body').innerText()).toContain('Posted while the desk is open.');
        expect(await card.locator('.rd-reasons').innerText()).toContain('First comment');
        expect(await page.evaluate(() => (globalThis as { rdMarker?: number }).rdMarker)).toBe(42);
        expect(Number(await page.locator('.rd-count[data-tab="pending"]').innerText())).toBe(before + 1);
        // Oldest first: the newcomer goes to the end of the list.
        expect(await page.locator('article.rd-card').last().getAttribute('data-id')).toBe(id);
        // The live card is a full card: its buttons work like any other's.
        await card.getByRole('button', { name: /Reject/ }).click();
        await card.waitFor({ state: 'detached' });
        await waitFor('the reject to land', async () => (await statusOf(id)) === 'rejected');
        expectClean(w);
      } finally {
        await w.context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    '? shows the keys and Escape closes them; / goes to search; keys typed there stay there',
    async () => {
      const w = await openDesk();
      try {
        const { page } = w;
        const keys = page.locator('#rd-keys');
        expect(await keys.isVisible()).toBe(false);
        await page.keyboard.press('?');
        await keys.waitFor({ state: 'visible' });
        expect(await keys.innerText()).toContain('undo your last action');
        await page.keyboard.press('Escape');
        await keys.waitFor({ state: 'hidden' });

        await page.keyboard.press('/');
        expect(await page.evaluate(() => (globalThis as unknown as DeskDocument).document.activeElement?.id)).toBe(
          'rd-search',
        );
        await page.keyboard.type('ja');
        expect(await page.locator('#rd-search').inputValue()).toBe('ja');
        expect(await page.locator('article.rd-card.rd-current').count()).toBe(0);
        expectClean(w);
      } finally {
        await w.context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'fits a phone without sideways scrolling, and screenshots of the queue look right in light and dark',
    async () => {
      // A fuller queue to look at: a held reply under a published comment, a watched word, a long link.
      const parentId = await postDemoComment(env.api, {
        author: 'Pat Published',
        email: 'pat@example.com',
        body: 'The council vote is on Thursday.',
      });
      await waitForStored(env.db.pool, parentId);
      await env.db.pool.query(`update comments set status = 'approved' where id = $1`, [parentId]);
      await heldComment(
        'Robin Reply',
        'Does anyone know **where** the meeting is held? I could not find it on https://example.com/a/very/long/path/that/should/wrap/nicely/on/phones',
        { parent: parentId },
      );
      await heldComment('Gus Giveaway', 'Huge giveaway this week, click my profile!');

      const shots: [string, BrowserContextOptions][] = [
        ['desktop-light', { viewport: { width: 1280, height: 860 }, colorScheme: 'light' }],
        ['desktop-dark', { viewport: { width: 1280, height: 860 }, colorScheme: 'dark' }],
        [
          'phone-light',
          {
            viewport: { width: 390, height: 844 },
            colorScheme: 'light',
            isMobile: true,
            hasTouch: true,
            deviceScaleFactor: 2,
          },
        ],
        [
          'phone-dark',
          {
            viewport: { width: 390, height: 844 },
            colorScheme: 'dark',
            isMobile: true,
            hasTouch: true,
            deviceScaleFactor: 2,
          },
        ],
      ];
      for (const [name, options] of shots) {
        const w = await openDesk(options);
        try {
          const { page } = w;
          await page.locator('article.rd-card').first().waitFor();
          await page.keyboard.press('j');
          const widths = await page.evaluate<{ scroll: number; client: number }>(
            '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
          );
          expect(widths.scroll, `${name}: page wider than the screen`).toBeLessThanOrEqual(widths.client);
          await page.screenshot({ path: join(artifacts, `dashboard-queue-${name}.png`), fullPage: true });
          if (name === 'desktop-light') {
            await page.keyboard.press('?');
            await page.locator('#rd-keys').waitFor({ state: 'visible' });
            await page.screenshot({ path: join(artifacts, 'dashboard-keys-desktop-light.png') });
          }
          expectClean(w);
        } finally {
          await w.context.close();
        }
      }
    },
    E2E_TIMEOUT_MS * 2,
  );
});
