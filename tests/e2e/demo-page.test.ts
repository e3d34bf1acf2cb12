import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import {
  E2E_TIMEOUT_MS,
  expectPublished,
  postDemoComment,
  postedIdFrom,
  startDemoEnv,
  submitReplyForm,
  type DemoEnv,
} from './demo-env.js';

/*
 * The demo article in a real Chromium with JavaScript switched off: the classic WordPress-style form
 * must work on HTML alone (PRODUCT.md §2), through the real API, queue and worker. Set
 * RD_E2E_SCREENSHOT=/tmp/reply-desk-demo.png to keep a picture of the page with a nested thread.
 */

let env: DemoEnv;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  env = await startDemoEnv({ holdFirstTime: false });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

beforeEach(async () => {
  context = await env.browser.newContext({ javaScriptEnabled: false });
  page = await context.newPage();
});

afterEach(async () => {
  await context?.close();
});

describe('the demo page without JavaScript', () => {
  it(
    'shows the WordPress-style reply form, and a posted comment lands back on the page and then appears in the thread',
    async () => {
      await page.goto(`${env.api.url}/`);
      await expect.poll(() => page.locator('#reply-title').innerText()).toBe('Leave a Reply');
      const notes = await page.locator('.comment-notes').innerText();
      expect(notes).toContain('Your email address will not be published.');
      expect(notes).toContain('Required fields are marked *');
      const labels = await page.locator('#commentform p:not(.rd-hp) > label').allInnerTexts();
      expect(labels.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual(['Comment *', 'Name *', 'Email *', 'Website']); // no mail set up here: no reply-notice box
      // The honeypot is in the form for bots but off the screen for people.
      const trap = await page.locator('.rd-hp').boundingBox();
      expect(trap === null || trap.x + trap.width <= 0).toBe(true);

      const posted = await submitReplyForm(page, {
        author: 'Ada Lovelace',
        email: 'ada@example.com',
        url: 'https://ada.example/',
        body: 'The *engine* weaves algebra.',
      });
      expect(posted.status).toBe(303);
      await page.waitForURL(/[?&]rd_comment=/);
      const id = postedIdFrom(page.url());
      expect(new URL(page.url()).pathname).toBe('/');
      expect(new URL(page.url()).hash).toBe(`#comment-${id}`);
      // The worker may or may not have checked it by the time the redirect is followed.
      await expect
        .poll(() => page.locator('.rd-notice').innerText())
        .toMatch(/being checked|Your comment is published/);

      await expectPublished(env, id);
      await page.reload();
      await expect.poll(() => page.locator('.rd-notice').innerText()).toContain('Your comment is published.');
      const comment = page.locator(`#comment-${id}`);
      await expect.poll(() => comment.locator('.fn').innerText()).toBe('Ada Lovelace');
      expect(await comment.locator('.fn a').getAttribute('href')).toBe('https://ada.example/');
      expect(await comment.locator('.comment-content em').innerText()).toBe('engine');
      // Issue 13, item 10: the widget's heading, and a date a person reads ("3 December 2026 at 14:05 UTC").
      expect(await page.locator('#comments-title').innerText()).toBe('1 Comment');
      const time = comment.locator('time').first();
      const datetime = (await time.getAttribute('datetime')) ?? '';
      expect(datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const at = new Date(datetime);
      const month = at.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
      const hhmm = at.toISOString().slice(11, 16);
      expect(await time.innerText()).toBe(`${at.getUTCDate()} ${month} ${at.getUTCFullYear()} at ${hhmm} UTC`);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'a reply made through a Reply link is nested under its parent',
    async () => {
      const parentId = await postDemoComment(env.api, {
        author: 'Grace Hopper',
        email: 'grace@example.com',
        body: 'Ships are safe in harbour.',
      });
      await expectPublished(env, parentId);

      await page.goto(`${env.api.url}/`);
      await page.locator(`#comment-${parentId} > article .comment-reply-link`).click();
      await page.waitForURL((u) => u.searchParams.get('replytocom') === parentId && u.hash === '#respond');
      await expect
        .poll(() => page.locator('#reply-title').innerText())
        .toMatch(/^Leave a Reply to Grace Hopper\s+Cancel reply$/);
      expect(await page.locator('#comment_parent').inputValue()).toBe(parentId);

      const posted = await submitReplyForm(page, {
        author: 'Alan Turing',
        email: 'alan@example.com',
        body: 'But that is not what ships are for.',
      });
      expect(posted.status).toBe(303);
      await page.waitForURL(/[?&]rd_comment=/);
      const replyId = postedIdFrom(page.url());
      await expectPublished(env, replyId);
      expect((await waitForStored(env.db.pool, replyId)).parent_id).toBe(parentId);

      await page.goto(`${env.api.url}/`);
      const nested = page.locator(`#comment-${parentId} > ol.children > li#comment-${replyId}`);
      await expect.poll(() => nested.count()).toBe(1);
      expect(await nested.locator('.fn').innerText()).toBe('Alan Turing');
      expect(await nested.locator('.comment-content').innerText()).toBe('But that is not what ships are for.');
      // The reply is not also listed at the top level.
      expect(await page.locator(`ol.comment-list > li#comment-${replyId}`).count()).toBe(0);

      const screenshot = process.env.RD_E2E_SCREENSHOT;
      if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'an invalid email gets the "Comment Submission Failure" page with a 422 and no stack trace',
    async () => {
      await page.goto(`${env.api.url}/`);
      // The browser's own validation would stop an invalid email before it is sent; switch it off (a
      // Playwright evaluation: the page's scripts stay off) so that the server's check is what answers.
      await page.locator('#commentform').evaluate((form) => {
        (form as unknown as { noValidate: boolean }).noValidate = true;
      });
      const posted = await submitReplyForm(page, { author: 'Mallory', email: 'not-an-email', body: 'Hello?' });
      expect(posted.status).toBe(422);

      await expect.poll(() => page.locator('h1').innerText()).toBe('Comment Submission Failure');
      expect(await page.title()).toBe('Comment Submission Failure');
      const alert = await page.getByRole('alert').innerText();
      expect(alert).toBe('Error: Please enter a valid email address.');
      const text = await page.locator('body').innerText();
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|AppError|\.ts:\d+|\.js:\d+/);
      // The way back is the demo page the form came from.
      expect(await page.getByRole('link', { name: /Back/ }).getAttribute('href')).toBe('/');
    },
    E2E_TIMEOUT_MS,
  );
});
