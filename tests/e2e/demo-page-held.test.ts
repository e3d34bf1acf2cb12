import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import { E2E_TIMEOUT_MS, postedIdFrom, startDemoEnv, submitReplyForm, type DemoEnv } from './demo-env.js';

/*
 * The demo site with its shipped default: first-time commenters wait for a moderator. The author must
 * see their comment marked as awaiting moderation, and nobody must see it in the thread.
 */

let env: DemoEnv;

beforeAll(async () => {
  env = await startDemoEnv({ holdFirstTime: true });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

describe('the demo page when first-time commenters are held', () => {
  it(
    'a first comment posted without JavaScript shows "awaiting moderation" to its author and stays out of the thread',
    async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(`${env.api.url}/`);
        const posted = await submitReplyForm(page, {
          author: 'New Reader',
          email: 'new@example.com',
          body: 'My very first comment here.',
        });
        expect(posted.status).toBe(303);
        await page.waitForURL(/[?&]rd_comment=/);
        const id = postedIdFrom(page.url());

        const row = await waitForStored(env.db.pool, id);
        expect(row.status).toBe('pending');
        expect(row.verdict.reasons.map((r) => r.code)).toContain('FIRST_COMMENT');
        await page.reload();
        const notice = page.locator('.rd-notice');
        await expect.poll(() => notice.innerText()).toContain('Your comment is awaiting moderation.');
        // The author sees their own words in the notice, rendered like a published comment.
        expect(await notice.locator('.comment-content').innerText()).toBe('My very first comment here.');
        // Issue 13, item 10: under the name it will be published under, as in the thread.
        expect(await notice.locator('.comment-meta .fn').innerText()).toBe('New Reader');

        expect(await page.locator(`#comment-${id}`).count()).toBe(0);
        expect(await page.locator('ol.comment-list > li').count()).toBe(0);
        // Not "No comments yet" right above the reader's own comment; the widget's words (thread-words.ts).
        expect(await page.locator('#comments-title').innerText()).toBe('Comments');

        // A stranger's view (no rd_comment in the URL) shows no trace of it.
        await page.goto(`${env.api.url}/`);
        expect(await page.locator('.rd-notice').count()).toBe(0);
        expect(await page.locator('body').innerText()).not.toContain('My very first comment here.');
        expect(await page.locator('#comments-title').innerText()).toBe('No comments yet');
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
