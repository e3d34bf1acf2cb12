import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesk } from '../../scripts/build-widget.mjs';
import { addModerator } from '../support/dashboard-client.js';
import { waitForStored } from '../support/harness.js';
import { openDesk } from './desk-browser.js';
import {
  ARTIFACTS_DIR,
  commentIn,
  fillForm,
  openPage,
  postComment,
  serveHostPage,
  startWidgetEnv,
  WIDGET_TIMEOUT_MS,
  type WidgetEnv,
} from './widget-env.js';

/*
 * Issue 16 in a real Chromium: a moderator opens an author's profile from a card, writes a note, and
 * the note's marker shows on that author's cards in the queue; a moderator rejects a reader's comment
 * with a reason picked on the card, and the reader's own page (the widget, after a reload) shows it
 * under their comment. Screenshots land in test-artifacts/desk-profile*.png.
 */
const MODERATOR = 'night@example.org';
let env: WidgetEnv;

beforeAll(async () => {
  await buildDesk();
  env = await startWidgetEnv({ holdFirstTime: true, holdLinks: 0 });
  await addModerator(env.db.pool, MODERATOR, 'moderator', ['demo']);
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe('the commenter profile in the browser', () => {
  it(
    'a note written on the profile marks every card of that author in the queue',
    async () => {
      const email = 'repeat@example.com';
      const one = await postComment(env, { author: 'Repeat Poster', email, body: 'First of many.' });
      const two = await postComment(env, {
        author: 'Repeat Poster',
        email,
        body: 'Second, on another page.',
        page: 'other-article',
      });
      const stranger = await postComment(env, { author: 'Someone Else', body: 'Unrelated.' });
      for (const id of [one, two, stranger]) await waitForStored(env.db.pool, id);
      const { page, close } = await openDesk(env, MODERATOR, '/admin?tab=pending');
      try {
        const card = page.locator(`article.rd-card[data-id="${one}"]`);
        expect(await card.locator('.rd-note-marker').count()).toBe(0);
        await card.locator('a.rd-profile-link').click();
        await page.waitForURL(/\/admin\/profile\?/);
        expect(await page.locator('h1.rd-profile-name').innerText()).toBe('Repeat Poster');
        // Both pages' comments are on it.
        expect(await page.locator('table.rd-profile-comments tbody tr').count()).toBe(2);
        await page.getByLabel('New note').fill('Posts the same thing on every story.');
        await page.getByRole('button', { name: 'Add note' }).click();
        await page.locator('.rd-notice').getByText('Note added.').waitFor();
        expect(await page.locator('.rd-note p').innerText()).toBe('Posts the same thing on every story.');
        await page.screenshot({ path: join(ARTIFACTS_DIR, 'desk-profile.png'), fullPage: true });

        await page.goto(`${env.api.url}/admin?tab=pending`);
        for (const id of [one, two]) {
          const marker = page.locator(`article.rd-card[data-id="${id}"] .rd-note-marker`);
          await marker.waitFor();
          expect((await marker.innerText()).trim()).toBe('1 note');
        }
        expect(await page.locator(`article.rd-card[data-id="${stranger}"] .rd-note-marker`).count()).toBe(0);
        await page
          .locator(`article.rd-card[data-id="${one}"]`)
          .screenshot({ path: join(ARTIFACTS_DIR, 'desk-profile-marker.png') });
      } finally {
        await close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a warning is shown to the reader once in the widget on their next visit, then marked seen',
    async () => {
      const url = serveHostPage(env, '/warned');
      const reader = await openPage(env, url);
      try {
        await fillForm(reader, { body: 'Something heated.', author: 'Heated', email: 'heated@example.com' });
        const answer = reader.page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments') && r.status() === 202,
        );
        await reader.widget.getByRole('button', { name: 'Post Comment' }).click();
        const id = ((await (await answer).json()) as { id: string }).id;
        await waitForStored(env.db.pool, id);
        const { page, close } = await openDesk(
          env,
          MODERATOR,
          `/admin/profile?${new URLSearchParams({ site: 'demo', author: 'guest:heated@example.com' }).toString()}`,
        );
        try {
          await page.locator('form.rd-profile-warn textarea').fill('Please cool it down.');
          await page.getByRole('button', { name: 'Warn' }).click();
          await page.locator('.rd-notice').getByText('Warning saved').waitFor();
        } finally {
          await close();
        }
        await reader.page.reload();
        const box = reader.widget.locator('.rd-warning');
        await box.waitFor();
        expect(await box.locator('strong').innerText()).toBe('A message from the moderators');
        expect(await box.locator('p').innerText()).toBe('Please cool it down.');
        const seen = reader.page.waitForResponse(
          (r) => /\/api\/warnings\/\d+\/seen$/.test(r.url()) && r.status() === 200,
        );
        await box.getByRole('button', { name: 'Understood' }).click();
        await seen;
        expect(await box.count()).toBe(0);
        const row = await env.db.pool.query('select seen_at from author_warnings where author_key = $1', [
          'guest:heated@example.com',
        ]);
        expect(row.rows[0].seen_at).not.toBeNull();
        // The next visit shows nothing: it was shown once.
        const asked = reader.page.waitForResponse((r) => r.url().endsWith('/api/warnings'));
        await reader.page.reload();
        await asked;
        await reader.widget.locator('form').waitFor();
        expect(await reader.widget.locator('.rd-warning').count()).toBe(0);
        expect(reader.errors).toEqual([]);
      } finally {
        await reader.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a reject with a reason picked on the card reaches the reader’s own page',
    async () => {
      const url = serveHostPage(env, '/story');
      const reader = await openPage(env, url);
      try {
        await fillForm(reader, {
          body: 'This has nothing to do with the article.',
          author: 'Off Topic',
          email: 'off@example.com',
        });
        const answer = reader.page.waitForResponse(
          (r) => r.request().method() === 'POST' && r.url().endsWith('/api/comments') && r.status() === 202,
        );
        await reader.widget.getByRole('button', { name: 'Post Comment' }).click();
        const id = ((await (await answer).json()) as { id: string }).id;
        await commentIn(reader, id).getByText('Your comment is awaiting moderation.').waitFor();
        await waitForStored(env.db.pool, id);

        const { page, close } = await openDesk(env, MODERATOR, '/admin?tab=pending');
        try {
          const card = page.locator(`article.rd-card[data-id="${id}"]`);
          await card.locator('details.rd-decision-reason > summary').click();
          await card.getByLabel('Reason (reject, spam)').selectOption({ label: 'Off-topic' });
          await card.getByLabel('Note to the commenter').fill('Please keep to the story.');
          await card.getByRole('button', { name: /^Reject/ }).click();
          // The desk's script takes the post over: the card leaves in place.
          await card.waitFor({ state: 'detached' });
        } finally {
          await close();
        }
        const row = await env.db.pool.query('select status from comments where id = $1', [id]);
        expect(row.rows[0].status).toBe('rejected');

        await reader.page.reload();
        const reason = commentIn(reader, id).locator('.rd-decision');
        await reason.waitFor();
        expect(await reason.innerText()).toBe('Off-topic: Please keep to the story.');
        await commentIn(reader, id).screenshot({ path: join(ARTIFACTS_DIR, 'desk-profile-reason.png') });
        expect(reader.errors).toEqual([]);
      } finally {
        await reader.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
