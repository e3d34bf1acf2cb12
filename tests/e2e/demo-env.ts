import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildDesk } from '../../scripts/build-widget.mjs';
import type { SiteSettingsInput } from '../../src/domain/site-settings.js';
import { launchBrowser } from '../support/browser.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** Browser tests wait on a real worker and a real Chromium; generous, but failures still come in time. */
export const E2E_TIMEOUT_MS = 60_000;

/** The demo article's site and page, as src/http/demo/demo-page.ts serves them. */
export const DEMO_SITE = 'demo';
export const DEMO_PAGE = 'demo-article';

/** Everything one e2e file runs against: its own database, queue prefix, API, worker and browser. */
export interface DemoEnv {
  db: TestDatabase;
  api: TestApi;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Starts the demo stack with the `demo` site allowing the API's own origin. Every test posts from one
 * IP (127.0.0.1), so the flood window is off unless a file asks for it.
 */
export async function startDemoEnv(settings: SiteSettingsInput): Promise<DemoEnv> {
  // The dashboard's script, as `npm run build` makes it (atomic, so files running side by side may build at once).
  await buildDesk();
  const db = await createTestDatabase();
  const prefix = newQueuePrefix();
  const api = await startApi({ pool: db.pool, prefix });
  const worker = await startWorker({ pool: db.pool, prefix });
  const browser = await launchBrowser();
  await addSite(db.pool, DEMO_SITE, [api.origin], { floodSeconds: 0, ...settings });
  return {
    db,
    api,
    browser,
    async close() {
      // Browser first (it holds connections to the API), the database last (the worker writes to it).
      await browser.close().catch(() => {});
      await worker.close().catch(() => {});
      await api.close();
      await db.drop();
      await deleteQueueKeys(prefix);
    },
  };
}

/** A comment as the widget would send it to the demo page. */
export interface DemoComment {
  author: string;
  email?: string;
  url?: string;
  body: string;
  parent?: string;
}

/** Posts a comment to the demo page through the JSON API and returns its id (202 expected). */
export async function postDemoComment(api: TestApi, c: DemoComment): Promise<string> {
  const res = await postJson(
    api,
    {
      site: DEMO_SITE,
      page: DEMO_PAGE,
      parent: c.parent ?? null,
      author: c.author,
      email: c.email ?? 'reader@example.com',
      url: c.url ?? '',
      body: c.body,
    },
    { origin: api.origin },
  );
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

/** Waits for the worker to store the comment and checks it was published. */
export async function expectPublished(env: DemoEnv, id: string): Promise<void> {
  const row = await waitForStored(env.db.pool, id);
  expect(row.status, JSON.stringify(row.verdict)).toBe('approved');
}

/**
 * Fills the demo page's "Leave a Reply" form the way a reader does (by label) and presses Post
 * Comment. Resolves with the status of the form post's response and the id the API gave it.
 */
export async function submitReplyForm(
  page: Page,
  c: { author: string; email: string; url?: string; body: string },
): Promise<{ status: number; location: string | null }> {
  // The form's own box: the thread's section is labelled by its heading ("No comments yet" has "comment" in it).
  await page.getByRole('textbox', { name: 'Comment' }).fill(c.body);
  await page.getByLabel('Name').fill(c.author);
  await page.getByLabel('Email').fill(c.email);
  if (c.url !== undefined) await page.getByLabel('Website').fill(c.url);
  const posted = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/comments',
  );
  await page.getByRole('button', { name: 'Post Comment' }).click();
  const response = await posted;
  return { status: response.status(), location: response.headers().location ?? null };
}

/** The comment id in a post-submission URL (`/?rd_comment=<id>#comment-<id>`). */
export function postedIdFrom(url: string): string {
  const id = new URL(url).searchParams.get('rd_comment');
  expect(id, `no rd_comment in ${url}`).toMatch(/^[0-9a-f-]{36}$/);
  return id as string;
}
