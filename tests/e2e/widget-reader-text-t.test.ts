import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import {
  WIDGET_TIMEOUT_MS,
  approve,
  commentIn,
  fillForm,
  openPage,
  postComment,
  serveHostPage,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * Issue 13, item 10: the reader's text agrees with itself. No "No comments yet" right above the
 * reader's own waiting comment; the widget and the page without JavaScript use one heading; a comment
 * refused for coming too soon says when the next one may come.
 */

let env: WidgetEnv;

beforeAll(async () => {
  // Held first comments (the shipped default) and a 30-second flood window, keyed on the email here
  // (loopback is shared by every reader, so not on the IP): each test uses its own address.
  env = await startWidgetEnv({ holdFirstTime: true, floodSeconds: 30 });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

async function postAndGetId(v: Visit): Promise<string> {
  const answer = v.page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments') && r.status() === 202,
  );
  await v.widget.getByRole('button', { name: 'Post Comment' }).click();
  return ((await (await answer).json()) as { id: string }).id;
}

describe('the reader’s words', () => {
  it(
    'over the reader’s own held comment on an empty page the heading says "Comments", also after a reload',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/empty', { page: 'empty-page' }));
      try {
        const heading = v.widget.locator('h2.rd-title');
        await expect.poll(() => heading.innerText()).toBe('No comments yet');
        await fillForm(v, { body: 'First on this page.', author: 'Early Reader', email: 'early@example.com' });
        const id = await postAndGetId(v);
        await expect.poll(() => heading.innerText()).toBe('Comments');
        await expect
          .poll(() => commentIn(v, id).locator('.rd-note').innerText(), { timeout: 15_000 })
          .toBe('Your comment is awaiting moderation.');
        expect(await heading.innerText()).toBe('Comments');

        await v.page.reload();
        await expect
          .poll(() => commentIn(v, id).locator('.rd-note').innerText())
          .toBe('Your comment is awaiting moderation.');
        expect(await heading.innerText()).toBe('Comments');

        await approve(env.db.pool, id);
        await expect.poll(() => heading.innerText(), { timeout: 20_000 }).toBe('1 Comment');
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'the demo article shows the same heading with JavaScript (the widget) and without (the server)',
    async () => {
      const noJs = await env.browser.newContext({ javaScriptEnabled: false });
      const js = await env.browser.newContext();
      try {
        const plain = await noJs.newPage();
        await plain.goto(`${env.api.url}/`);
        const server = await plain.locator('#comments-title').innerText();
        const page = await js.newPage();
        await page.goto(`${env.api.url}/`);
        const widget = page.locator('#reply-desk').locator('h2.rd-title');
        await expect.poll(() => widget.innerText()).toBe(server);
        expect(server).toBe('No comments yet');
      } finally {
        await noJs.close();
        await js.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a second comment inside the flood window is refused with when to try again',
    async () => {
      const first = await postComment(env, { author: 'Quick Reader', email: 'quick@example.com', body: 'One.' });
      await waitForStored(env.db.pool, first);
      const v = await openPage(env, serveHostPage(env, '/quick'));
      try {
        await fillForm(v, { body: 'Two, at once.', author: 'Quick Reader', email: 'quick@example.com' });
        const id = await postAndGetId(v);
        const note = commentIn(v, id).locator('.rd-note');
        await expect.poll(() => note.innerText(), { timeout: 15_000 }).toContain('could not be published');
        const text = await note.innerText();
        const seconds = Number(/please try again in (\d+) seconds?\./.exec(text)?.[1]);
        expect(text).toContain('You are posting comments too quickly; please try again in');
        expect(seconds).toBeGreaterThan(0);
        expect(seconds).toBeLessThanOrEqual(30);
        expect((await waitForStored(env.db.pool, id)).status).toBe('rejected');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
