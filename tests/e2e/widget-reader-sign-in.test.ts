import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import {
  READER_TIMEOUT_MS,
  SITE,
  serveArticle,
  startReaderEnv,
  visit,
  type PageGlobals,
  type ReaderEnv,
  type ReaderVisit,
} from './widget-reader-env.js';

// Issue 14, the widget side: signing in by a mailed link (through a real mail worker and SMTP sink) and
// by an OpenID Connect provider's popup, then the reader's account panel.
let env: ReaderEnv;

beforeAll(async () => {
  env = await startReaderEnv({
    mail: true,
    oidc: { olga: { name: 'Olga Open', email: 'olga@example.org', email_verified: true } },
  });
}, READER_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

const widget = (v: ReaderVisit) => v.page.locator('#reply-desk .rd');
const storedSession = (v: ReaderVisit) =>
  v.page.evaluate((k) => (globalThis as unknown as PageGlobals).localStorage.getItem(k), `reply-desk:session:${SITE}`);

/** Goes through the test provider's login and consent pages in the popup until it closes itself. */
async function signInAtProvider(popup: Page, login: string): Promise<void> {
  const closed = popup.waitForEvent('close', { timeout: 30_000 });
  for (let step = 0; step < 6 && !popup.isClosed(); step++) {
    await popup.waitForLoadState().catch(() => {});
    if (popup.isClosed()) break;
    const name = popup.locator('input[name=login]');
    if (await name.count().catch(() => 0)) {
      await name.fill(login);
      await popup.locator('input[name=password]').fill('any password');
    }
    const submit = popup.locator('button[type=submit], button').first();
    if (await submit.count().catch(() => 0)) await submit.click().catch(() => {});
    await popup.waitForTimeout(300).catch(() => {});
  }
  await closed;
}

describe('signing in from the widget', () => {
  it(
    'by email: the link opened in another page signs in the widget that asked, by its polling',
    async () => {
      const v = await visit(env, serveArticle(env, '/email'));
      await widget(v).getByRole('button', { name: 'Sign in with email' }).click();
      const box = widget(v).locator('form.rd-email-sign-in');
      await box.getByRole('textbox', { name: 'Email' }).fill('Mia@Example.org');
      await box.getByRole('textbox', { name: 'Name' }).fill('Mia Mail');
      await box.getByRole('button', { name: 'Send me a sign-in link' }).click();
      await expect
        .poll(() => widget(v).locator('.rd-sign-in .rd-note').innerText())
        .toContain('Check your mail: we sent a link to Mia@Example.org.');
      expect(await storedSession(v)).toBeNull();

      const mail = await env.sink!.waitForMail('mia@example.org');
      const link = /(http:\/\/127\.0\.0\.1:\d+\/readers\/email\/confirm\?t=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
      const other = await v.context.newPage();
      await other.goto(link);
      await other.getByRole('button', { name: 'Sign me in' }).click();
      await expect.poll(() => other.locator('body').innerText()).toContain('You are signed in');
      await other.close();

      await expect
        .poll(() => widget(v).locator('.rd-who').innerText(), { timeout: 20_000 })
        .toContain('Commenting as Mia Mail');
      expect(await widget(v).locator('form.rd-email-sign-in').isVisible()).toBe(false);
      expect(JSON.parse((await storedSession(v)) ?? '{}')).toMatchObject({
        reader: { name: 'Mia Mail', via: 'email' },
      });
      // Polled, not pushed: the token came from the poll's answer, and no cookie went with it.
      const polls = v.requests.filter((r) => r.url.pathname === '/api/readers/email/poll');
      expect(polls.length).toBeGreaterThan(0);
      expect(polls.every((r) => r.headers.cookie === undefined)).toBe(true);
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'by OpenID Connect: the popup goes through the provider and hands the token back by postMessage',
    async () => {
      const v = await visit(env, serveArticle(env, '/oidc'));
      const popupOpened = v.context.waitForEvent('page');
      // A guest's page had not loaded the reader's part; the button loads it (and its message listener).
      const part = v.page.waitForResponse((r) => r.url().includes('/widget/reader.'));
      await widget(v).getByRole('button', { name: 'Sign in with Newsroom ID' }).click();
      const popup = await popupOpened;
      await part;
      await v.page.waitForTimeout(200);
      // While the popup is open, a message of the right shape from another origin (here: the host page itself) is ignored.
      await v.page.evaluate(() =>
        (globalThis as unknown as { postMessage(m: unknown, o: string): void }).postMessage(
          {
            type: 'reply-desk:signed-in',
            site: 'demo',
            token: `rdr_${'x'.repeat(43)}`,
            reader: { id: '1', name: 'Mallory' },
          },
          '*',
        ),
      );
      await v.page.waitForTimeout(300);
      expect(await storedSession(v)).toBeNull();
      expect(new URL(popup.url()).pathname === '/readers/oidc/start' || popup.url().startsWith(env.idp!.issuer)).toBe(
        true,
      );
      await signInAtProvider(popup, 'olga');
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Olga Open');
      expect(JSON.parse((await storedSession(v)) ?? '{}')).toMatchObject({
        reader: { name: 'Olga Open', via: 'oidc' },
      });

      await widget(v).getByRole('textbox', { name: 'Comment', exact: true }).fill('Signed in with a provider');
      const answer = v.page.waitForResponse(
        (r) => r.url().endsWith('/api/comments') && r.request().method() === 'POST',
      );
      await widget(v).getByRole('button', { name: 'Post Comment' }).click();
      const id = ((await (await answer).json()) as { id: string }).id;
      await waitForStored(env.db.pool, id);
      const row = await env.db.pool.query(
        `select r.identity from comments c join readers r on r.id = c.reader_id where c.id = $1`,
        [id],
      );
      expect(row.rows[0]).toEqual({ identity: `oidc:idp:olga` });
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'My account: my comments, reply mails off for all and for one, my data, erase with a confirmation',
    async () => {
      const v = await visit(env, serveArticle(env, '/account'));
      const popupOpened = v.context.waitForEvent('page');
      await widget(v).getByRole('button', { name: 'Sign in with Newsroom ID' }).click();
      await signInAtProvider(await popupOpened, 'olga');
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Olga Open');

      await widget(v).getByRole('button', { name: 'My account' }).click();
      const panel = widget(v).locator('section.rd-account');
      await expect.poll(() => panel.locator('.rd-my-comments').innerText()).toContain('Signed in with a provider');
      const reader = await env.db.pool.query<{ id: string }>(
        `select id::text from readers where identity = 'oidc:idp:olga'`,
      );
      const readerId = reader.rows[0]!.id;

      const all = panel.getByRole('checkbox', { name: 'Email me when someone replies to my comments' });
      expect(await all.isChecked()).toBe(true);
      await all.uncheck();
      await expect
        .poll(() =>
          env.db.pool.query(`select notify_replies from readers where id = $1`, [readerId]).then((r) => r.rows[0]),
        )
        .toEqual({ notify_replies: false });
      await all.check();
      const one = panel.getByRole('checkbox', { name: 'Reply mails' }).first();
      expect(await one.isChecked()).toBe(true);
      await one.uncheck();
      await expect
        .poll(() =>
          env.db.pool
            .query(
              `select count(*)::int as n from reader_reply_mutes m join comments c on c.id = m.comment_id where c.reader_id = $1`,
              [readerId],
            )
            .then((r) => r.rows[0]),
        )
        .toEqual({ n: 1 });

      const download = v.page.waitForEvent('download');
      await panel.getByRole('button', { name: 'Download my data' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('reply-desk-demo-my-data.json');
      const path = await file.path();
      const { readFile } = await import('node:fs/promises');
      const data = JSON.parse(await readFile(path, 'utf8')) as { profile: { name: string }; comments: unknown[] };
      expect(data.profile.name).toBe('Olga Open');
      expect(data.comments.length).toBeGreaterThan(0);

      await panel.getByRole('button', { name: 'Erase my account' }).click();
      const confirm = panel.getByRole('alertdialog', { name: 'Erase my account' });
      expect(await confirm.innerText()).toContain('This cannot be undone.');
      await confirm.getByRole('button', { name: 'Erase my account' }).click();
      await expect.poll(() => widget(v).locator('.rd-respond').innerText()).toContain('Your account was erased.');
      expect(await storedSession(v)).toBeNull();
      expect(await env.db.pool.query(`select 1 from readers where id = $1`, [readerId])).toMatchObject({ rowCount: 0 });
      expect(await widget(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'Sign out everywhere ends every session of the reader, and another tab of the site hears of it',
    async () => {
      const url = serveArticle(env, '/everywhere');
      const v = await visit(env, url);
      const popupOpened = v.context.waitForEvent('page');
      await widget(v).getByRole('button', { name: 'Sign in with Newsroom ID' }).click();
      await signInAtProvider(await popupOpened, 'olga');
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Olga Open');
      // A second tab of the same browser shares the session (the host's localStorage).
      const tab = await visit(env, url, v.context);
      await expect.poll(() => widget(tab).locator('.rd-who').innerText()).toContain('Olga Open');

      await widget(v).getByRole('button', { name: 'My account' }).click();
      await widget(v).getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect.poll(() => widget(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      await expect.poll(() => widget(tab).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      const left = await env.db.pool.query(
        `select count(*)::int as n from reader_sessions s join readers r on r.id = s.reader_id where r.identity = 'oidc:idp:olga'`,
      );
      expect(left.rows[0]).toEqual({ n: 0 });
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );
});
