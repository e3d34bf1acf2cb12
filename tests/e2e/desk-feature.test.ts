import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator } from '../support/dashboard-client.js';
import { openDesk } from './desk-browser.js';
import { waitFor } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { DEMO_PAGE, DEMO_SITE, E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * Editors' picks on the desk in a real Chromium with the desk's script (issue 15, item 3): on a
 * published card, f features the comment (the public strip lists it), f again takes it out (the undo);
 * the card stays where it is and says so.
 */

const MODERATOR = 'picks@example.org';
let env: DemoEnv;

beforeAll(async () => {
  env = await startDemoEnv({});
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

async function picks(): Promise<string[]> {
  const res = await fetch(`${env.api.url}/api/comments?site=${DEMO_SITE}&page=${DEMO_PAGE}&featured=1`, {
    headers: { origin: env.api.origin },
  });
  return ((await res.json()) as { comments: { id: string }[] }).comments.map((c) => c.id);
}

describe("editors' picks on the desk", () => {
  it(
    'f features the current published comment, f again takes it out; the card stays',
    async () => {
      const [id] = await seedThread(env.db.pool, DEMO_SITE, DEMO_PAGE, [
        { at: 0, body: 'A pick', html: '<p>A pick</p>' },
      ]);
      const { page, close } = await openDesk(env, MODERATOR, '/admin?tab=approved');
      try {
        const card = page.locator(`article.rd-card[data-id="${id}"]`);
        await card.click();
        await page.keyboard.press('f');
        await waitFor('the pick', async () => (await picks()).includes(id!));
        await expect.poll(() => card.locator('.rd-feature button').innerText()).toMatch(/^Unfeature/);
        expect(await page.locator('.rd-status').innerText()).toContain("Added to the editors' picks");
        await page.keyboard.press('f');
        await waitFor('the pick taken out', async () => !(await picks()).includes(id!));
        await expect.poll(() => card.locator('.rd-feature button').innerText()).toMatch(/^Feature/);
        expect(await card.isVisible()).toBe(true);
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
