import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader } from '../../src/readers/reader-store.js';
import { addModerator } from '../support/dashboard-client.js';
import { openDesk } from './desk-browser.js';
import { postJson, waitForStored } from '../support/harness.js';
import { DEMO_PAGE, DEMO_SITE, E2E_TIMEOUT_MS, startDemoEnv, type DemoEnv } from './demo-env.js';

/*
 * A reader's card in a real Chromium with the desk's script (issue 14, items 7 and 8): it says how the
 * reader is verified, its Trust reader and Ban reader buttons work, and Reply on a published card
 * publishes the moderator's reply in place, with the Staff badge in the public thread. A screenshot of
 * the card lands in test-artifacts/desk-reader-card.png.
 */

const MODERATOR = 'lead@example.org';
const artifacts = join(projectRoot, 'test-artifacts');
let env: DemoEnv;
let n = 0;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  env = await startDemoEnv({ holdFirstTime: true, holdLinks: 0 });
  await addModerator(env.db.pool, MODERATOR, 'moderator', [DEMO_SITE]);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

/** A comment by a signed-in SSO reader (their token) or a guest, stored by the worker. */
async function post(body: string, token?: string): Promise<{ id: string; status: string }> {
  n += 1;
  const res = await postJson(
    env.api,
    { site: DEMO_SITE, page: DEMO_PAGE, author: 'Guest', email: `guest${n}@example.com`, body },
    { origin: env.api.origin, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  );
  const text = await res.text();
  expect(res.status, text).toBe(202);
  const { id } = JSON.parse(text) as { id: string };
  return { id, status: (await waitForStored(env.db.pool, id)).status };
}

describe("a reader's card", () => {
  it(
    'says how the reader is verified; Trust reader and Ban reader act on the identity',
    async () => {
      const reader = await upsertReader(env.db.pool, {
        siteId: DEMO_SITE,
        via: 'sso',
        identity: 'sso:e2e-1',
        name: 'Rita Reader',
        email: 'rita@example.com',
      });
      const { token } = await createReaderSession(env.db.pool, reader.id);
      const first = await post('My first comment, signed in.', token);
      expect(first.status).toBe('pending');
      const guest = await post('A guest says hello.');

      const { page, close } = await openDesk(env, MODERATOR, '/admin?tab=pending');
      try {
        const card = page.locator(`article.rd-card[data-id="${first.id}"]`);
        expect(await card.locator('.rd-identity').innerText()).toBe('Verified via SSO');
        expect(await page.locator(`article.rd-card[data-id="${guest.id}"] .rd-identity`).innerText()).toBe('Guest');
        await card.locator('details.rd-more > summary').click();
        await card.screenshot({ path: join(artifacts, 'desk-reader-card.png') });

        await card.getByRole('button', { name: 'Trust reader Rita Reader' }).click();
        await page.locator('.rd-notice').getByText('Rita Reader is trusted').waitFor();
        const trusted = await env.db.pool.query('select trusted from readers where id = $1', [reader.id]);
        expect(trusted.rows[0].trusted).toBe(true);
        await card.locator('details.rd-more > summary').click();
        await card.getByRole('button', { name: 'Untrust reader Rita Reader' }).waitFor();

        await card.getByRole('button', { name: 'Ban reader Rita Reader' }).click();
        await page.locator('.rd-notice').getByText('Banned reader Rita Reader').waitFor();
        await card.waitFor({ state: 'detached' });
        const next = await post('Trying again after the ban.', token);
        expect(next.status).toBe('spam');
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'Reply on a published card publishes in place, and the thread shows it with the Staff badge',
    async () => {
      const parent = await post('Is this article up to date?');
      await env.db.pool.query(`update comments set status = 'approved' where id = $1`, [parent.id]);
      const { page, close } = await openDesk(env, MODERATOR, '/admin?tab=approved');
      try {
        const card = page.locator(`article.rd-card[data-id="${parent.id}"]`);
        await card.locator('details.rd-reply-box > summary').click();
        // Typing in the box is text, not the desk's keys (r would reject the comment).
        await card.getByLabel('Your reply').fill('Yes: we updated it this morning. <img src=x onerror=alert(1)>');
        await card.getByRole('button', { name: 'Publish reply' }).click();
        await card.locator('.rd-replied').getByText('Your reply is published as lead (Staff).').waitFor();
        expect(await page.locator('#rd-status').innerText()).toBe('Reply published as lead (Staff).');
        // The card stayed (no reload), its box is closed and empty.
        expect(page.url()).toBe(`${env.api.url}/admin?tab=approved`);
        expect(await card.getByLabel('Your reply').inputValue()).toBe('');

        const res = await fetch(`${env.api.url}/api/comments?site=${DEMO_SITE}&page=${DEMO_PAGE}`, {
          headers: { origin: env.api.origin },
        });
        const { comments } = (await res.json()) as {
          comments: { parent: string | null; author: unknown; html: string }[];
        };
        const reply = comments.find((c) => c.parent === parent.id);
        // The avatar is our own identicon (issue 15), unless the site turns on Gravatar.
        expect(reply?.author).toEqual({
          name: 'lead',
          verified: true,
          staff: true,
          avatar: expect.stringMatching(/\/avatars\/[0-9a-f]{32}\.svg$/),
        });
        expect(reply?.html).not.toContain('<img');
      } finally {
        await close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
