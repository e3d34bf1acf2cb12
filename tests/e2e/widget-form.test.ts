import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, waitForStored } from '../support/harness.js';
import {
  ARTIFACTS_DIR,
  WIDGET_TIMEOUT_MS,
  approve,
  commentIn,
  fillForm,
  openPage,
  publishComment,
  serveHostPage,
  turnToForm,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * A reader writing through the widget on a customer's page of another origin, with the site's shipped
 * default (first-time commenters wait for a moderator): the comment shows in place as awaiting
 * moderation, survives a reload, turns published when approved; replies nest; the API's 422 lands on
 * the field; busy answers keep the text, and a retry cannot make a second comment.
 */

let env: WidgetEnv;
let parentId = '';

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: true, maxDepth: 2 });
  parentId = await publishComment(env, { author: 'Grace Hopper', body: 'Ships are safe in harbour.' });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

/** The id the API gave the widget's last successful POST. */
async function postAndGetId(v: Visit): Promise<string> {
  const answer = v.page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments') && r.status() === 202,
  );
  await v.widget.getByRole('button', { name: 'Post Comment' }).click();
  return ((await (await answer).json()) as { id: string }).id;
}

const commentCount = async (body: string): Promise<number> =>
  (await env.db.pool.query<{ n: number }>('select count(*)::int as n from comments where body = $1', [body])).rows[0]
    ?.n ?? -1;

describe('the reply form in the widget', () => {
  it(
    'a new reader sees their comment awaiting moderation, still after a reload, then published once approved',
    async () => {
      const url = serveHostPage(env, '/post');
      const v = await openPage(env, url);
      try {
        await fillForm(v, {
          body: 'My *first* words here.',
          author: 'New Reader',
          email: 'new@example.com',
          url: 'https://new.example/',
        });
        const id = await postAndGetId(v);
        const mine = commentIn(v, id);
        await expect
          .poll(() => mine.locator('.rd-note').innerText(), { timeout: 15_000 })
          .toBe('Your comment is awaiting moderation.');
        expect(await mine.locator('.rd-body em').innerText()).toBe('first');
        expect((await waitForStored(env.db.pool, id)).status).toBe('pending');
        // The form is empty again, and the live region said what happened.
        expect(await v.widget.getByRole('textbox', { name: 'Comment', exact: true }).inputValue()).toBe('');
        await v.page.screenshot({ path: join(ARTIFACTS_DIR, 'widget-awaiting-moderation.png'), fullPage: true });

        await v.page.reload();
        await expect
          .poll(() => commentIn(v, id).locator('.rd-note').innerText(), { timeout: 15_000 })
          .toBe('Your comment is awaiting moderation.');
        expect(await v.widget.locator('h2').innerText()).toBe('1 Comment');

        await approve(env.db.pool, id);
        // The widget is still polling the status URL: the note turns without a reload.
        await expect
          .poll(() => commentIn(v, id).locator('.rd-note').innerText(), { timeout: 20_000 })
          .toBe('Your comment is published.');
        expect(await v.widget.locator('h2').innerText()).toBe('2 Comments');

        await v.page.reload();
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('2 Comments');
        expect(await commentIn(v, id).locator('.rd-note').isVisible()).toBe(false);
        expect(await commentIn(v, id).getAttribute('class')).not.toContain('rd-own');
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'Reply moves the form under the comment, and the reply nests under it',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/reply'));
      try {
        const parent = commentIn(v, parentId);
        await parent.getByRole('button', { name: 'Reply to Grace Hopper' }).click();
        expect(await parent.locator('form').count()).toBe(1);
        expect(await parent.locator('h3').innerText()).toBe('Leave a Reply to Grace Hopper');
        // Focus goes to the text box, so a keyboard user types at once.
        expect(
          await v.page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  document: { activeElement: { shadowRoot: { activeElement: { id: string } } } };
                }
              ).document.activeElement.shadowRoot.activeElement.id,
          ),
        ).toBe('rd-f-body');

        await fillForm(v, {
          body: 'But that is not what ships are for.',
          author: 'Alan Turing',
          email: 'alan@example.com',
        });
        const id = await postAndGetId(v);
        await expect
          .poll(() => v.widget.locator(`li#comment-${parentId} > ol.rd-replies > li#comment-${id}`).count(), {
            timeout: 15_000,
          })
          .toBe(1);
        // The form went home after the reply was sent.
        expect(await parent.locator('form').count()).toBe(0);
        expect((await waitForStored(env.db.pool, id)).parent_id).toBe(parentId);

        await approve(env.db.pool, id);
        await v.page.reload();
        const reply = v.widget.locator(`li#comment-${parentId} > ol.rd-replies > li#comment-${id}`);
        await expect.poll(() => reply.count()).toBe(1);
        // maxDepth 2: a reply to a reply would be too deep, so it offers no Reply button.
        expect(await reply.getByRole('button', { name: /^Reply to/ }).count()).toBe(0);

        // Cancel reply brings the form back and the focus to the Reply button it came from.
        await parent.getByRole('button', { name: 'Reply to Grace Hopper' }).click();
        await v.widget.getByRole('button', { name: 'Cancel reply' }).click();
        expect(await parent.locator('form').count()).toBe(0);
        expect(await v.widget.locator('h3').innerText()).toBe('Leave a Reply');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    "a missing email shows the API's field error on the field, and keeps the draft",
    async () => {
      const v = await openPage(env, serveHostPage(env, '/missing-email'));
      try {
        await fillForm(v, { body: 'No email given.', author: 'Anon' });
        const answer = v.page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments'),
        );
        await v.widget.getByRole('button', { name: 'Post Comment' }).click();
        expect((await answer).status()).toBe(422);
        const email = v.widget.getByRole('textbox', { name: 'Email', exact: true });
        const error = v.widget.locator('#rd-f-email-error');
        await expect.poll(() => error.innerText()).toBe('Please enter your email address.');
        expect(await email.getAttribute('aria-invalid')).toBe('true');
        expect(await email.getAttribute('aria-describedby')).toContain('rd-f-email-error');
        expect(await v.widget.getByRole('alert').innerText()).toBe('Please correct the marked fields.');
        expect(await v.widget.getByRole('textbox', { name: 'Comment', exact: true }).inputValue()).toBe(
          'No email given.',
        );
        await v.page.locator('#reply-desk').screenshot({ path: join(ARTIFACTS_DIR, 'widget-field-error.png') });

        // The draft survives a reload of the tab too.
        await v.page.reload();
        await expect
          .poll(() => v.widget.getByRole('textbox', { name: 'Comment', exact: true }).inputValue())
          .toBe('No email given.');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a busy service keeps the text and says when to retry; the retry reuses the key, so one comment is stored',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/retry'));
      const body = 'Sent twice, stored once.';
      const keys: string[] = [];
      try {
        let answered = 0;
        // First the API is "busy" (429), then it takes the comment but the answer is lost (a 503 reaches
        // the reader), then the reader's third click gets through.
        await v.page.route('**/api/comments', async (route) => {
          if (route.request().method() !== 'POST') return route.fallback();
          keys.push((JSON.parse(route.request().postData() ?? '{}') as { key: string }).key);
          answered += 1;
          if (answered === 1)
            return route.fulfill({
              status: 429,
              headers: {
                'retry-after': '12',
                'access-control-allow-origin': '*',
                'access-control-expose-headers': 'Retry-After',
              },
              json: { error: { code: 'TOO_MANY_REQUESTS', message: 'Slow down.' } },
            });
          if (answered === 2) {
            await route.fetch();
            return route.fulfill({
              status: 503,
              headers: { 'access-control-allow-origin': '*' },
              json: { error: { code: 'QUEUE_UNAVAILABLE', message: 'Busy.' } },
            });
          }
          return route.fallback();
        });
        await fillForm(v, { body, author: 'Retry Reader', email: 'retry@example.com' });
        const submit = v.widget.getByRole('button', { name: 'Post Comment' });
        await submit.click();
        const alert = v.widget.getByRole('alert');
        await expect
          .poll(() => alert.innerText())
          .toBe('You are posting comments too quickly. Your text is kept; please try again in 12 seconds.');
        await submit.click();
        await expect
          .poll(() => alert.innerText())
          .toBe('The comment service is busy. Your text is kept; please try again in a moment.');
        expect(await v.widget.getByRole('textbox', { name: 'Comment', exact: true }).inputValue()).toBe(body);
        await submit.click();
        await expect.poll(() => v.widget.locator('.rd-own').count(), { timeout: 15_000 }).toBe(1);
        expect(keys).toHaveLength(3);
        expect(new Set(keys).size).toBe(1);
        await waitFor('the comment to be stored', async () => (await commentCount(body)) === 1);
        expect(await commentCount(body)).toBe(1);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'remembers name, email and website only when asked, in this browser only',
    async () => {
      const url = serveHostPage(env, '/remember');
      const v = await openPage(env, url);
      try {
        await turnToForm(v);
        const save = v.widget.getByRole('checkbox', { name: /Save my name/ });
        expect(await save.isChecked()).toBe(false);
        // This server has no mail set up, so the form does not offer reply notifications.
        expect(await v.widget.getByRole('checkbox', { name: /Notify me/ }).count()).toBe(0);
        await fillForm(v, {
          body: 'Remember me.',
          author: 'Kept Reader',
          email: 'kept@example.com',
          url: 'https://kept.example/',
        });
        await save.check();
        await postAndGetId(v);
        await v.page.reload();
        await expect
          .poll(() => v.widget.getByRole('textbox', { name: 'Name', exact: true }).inputValue())
          .toBe('Kept Reader');
        expect(await v.widget.getByRole('textbox', { name: 'Email', exact: true }).inputValue()).toBe(
          'kept@example.com',
        );
        expect(await v.widget.getByRole('textbox', { name: 'Website', exact: true }).inputValue()).toBe(
          'https://kept.example/',
        );
        expect(await v.widget.getByRole('checkbox', { name: /Save my name/ }).isChecked()).toBe(true);
      } finally {
        await v.context.close();
      }
      const stranger = await openPage(env, url);
      try {
        await expect.poll(() => stranger.widget.locator('h2').count()).toBe(1);
        // Nothing saved in this browser: the fields come only when the stranger turns to the form, empty.
        expect(await stranger.widget.locator('form input[name="homepage"]').count()).toBe(0);
        await turnToForm(stranger);
        expect(await stranger.widget.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('');
      } finally {
        await stranger.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
