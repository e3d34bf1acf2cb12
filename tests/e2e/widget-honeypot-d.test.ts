import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import {
  WIDGET_TIMEOUT_MS,
  fillForm,
  openPage,
  turnToForm,
  serveHostPage,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * Issue 11, item 10: the widget's form carries a honeypot. A person never sees it, never tabs into it
 * and a screen reader never announces it, so a person's comment goes with it empty; a bot that fills
 * every input fills it too, and its comment is spam (HONEYPOT).
 */

let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false, holdLinks: 0 });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

async function post(v: Visit): Promise<string> {
  const answer = v.page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments') && r.status() === 202,
  );
  await v.widget.getByRole('button', { name: 'Post Comment' }).click();
  const res = await answer;
  expect(JSON.parse(res.request().postData() ?? '{}')).toHaveProperty('honeypot');
  return ((await res.json()) as { id: string }).id;
}

describe('the honeypot in the widget form', () => {
  it(
    'is off-screen, out of the tab order and the accessibility tree, never autofilled; a person posts past it',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/honeypot-person'));
      try {
        // The form's fields, the trap among them, come when a reader turns to the form.
        await turnToForm(v);
        const trap = v.widget.locator('form input[name="homepage"]');
        await expect.poll(() => trap.count(), { timeout: 15_000 }).toBe(1);
        expect(await trap.getAttribute('tabindex')).toBe('-1');
        expect(await trap.getAttribute('autocomplete')).toBe('off');
        expect(await trap.evaluate((el) => el.closest('[aria-hidden="true"]') !== null)).toBe(true);
        const box = await trap.boundingBox();
        expect(box === null || box.x + box.width <= 0).toBe(true);
        // The textboxes a screen reader (and Playwright's role query) finds are the four real ones.
        expect(await v.widget.locator('form').getByRole('textbox').count()).toBe(4);
        // Tabbing from the website field goes past it.
        await v.widget.locator('form').getByRole('textbox', { name: 'Website', exact: true }).focus();
        for (let i = 0; i < 4; i++) {
          await v.page.keyboard.press('Tab');
          // The widget lives in a shadow root: its focused element is that root's activeElement.
          expect(
            await trap.evaluate(
              (el) => (el.getRootNode() as unknown as { activeElement: unknown }).activeElement === el,
            ),
          ).toBe(false);
        }
        await fillForm(v, { body: 'A person wrote this.', author: 'Ann', email: 'ann@example.org' });
        const row = await waitForStored(env.db.pool, await post(v));
        expect(row.status).toBe('approved');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a bot that fills every input fills it too, and its comment is spam',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/honeypot-bot'));
      try {
        const form = v.widget.locator('form');
        await turnToForm(v);
        await expect.poll(() => form.locator('input[name="homepage"]').count(), { timeout: 15_000 }).toBe(1);
        await fillForm(v, { body: 'Cheap pills here.', author: 'Bot', email: 'bot@example.org' });
        await form.locator('input[name="homepage"]').fill('https://pills.example/', { force: true });
        const row = await waitForStored(env.db.pool, await post(v));
        expect(row.status).toBe('spam');
        expect(row.verdict.reasons.map((r) => r.code)).toContain('HONEYPOT');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
