import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForStored } from '../support/harness.js';
import {
  MEMBERS,
  READER_TIMEOUT_MS,
  SITE,
  serveArticle,
  ssoToken,
  startCookieProbe,
  startReaderEnv,
  visit,
  type PageGlobals,
  type ReaderEnv,
  type ReaderVisit,
} from './widget-reader-env.js';

// Issue 14, the widget side: host-site SSO on a page of another site than the API's, with third-party
// cookies blocked; the reader's token lives in the host page's localStorage and goes out as a Bearer.
let env: ReaderEnv;

beforeAll(async () => {
  env = await startReaderEnv();
}, READER_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

const widget = (v: ReaderVisit) => v.page.locator('#reply-desk .rd');
const form = (v: ReaderVisit) => widget(v).locator('form.rd-form').first();

async function post(v: ReaderVisit, body: string): Promise<string> {
  await form(v).getByRole('textbox', { name: 'Comment', exact: true }).fill(body);
  const answer = v.page.waitForResponse((r) => r.url().endsWith('/api/comments') && r.request().method() === 'POST');
  await form(v).getByRole('button', { name: 'Post Comment' }).click();
  const res = await answer;
  expect(res.status()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe('the reader signed in by the host site (SSO) in the widget', () => {
  it(
    'this browser sends no third-party cookie: a cookie of the API’s site stays home from the host page',
    async () => {
      const probe = await startCookieProbe();
      try {
        const ctx = await env.browser.newContext();
        const page = await ctx.newPage();
        // Set first-party, on the API's site (127.0.0.1; cookies ignore the port).
        await page.goto(`${env.api.url}/healthz`);
        await page.evaluate(
          () => ((globalThis as unknown as PageGlobals).document.cookie = 'rd_probe=1; SameSite=None; Secure; Path=/'),
        );
        await page.goto(`${env.hostOrigin}/nothing-here`);
        await page.evaluate(
          (u) => fetch(u, { credentials: 'include', mode: 'no-cors' }).then(() => 0),
          `${probe.origin}/third`,
        );
        await page.goto(`${probe.origin}/first`);
        expect(probe.seen.get('/first')).toBe('rd_probe=1');
        expect(probe.seen.get('/third')).toBe('');
        await ctx.close();
      } finally {
        probe.close();
      }
    },
    READER_TIMEOUT_MS,
  );

  it(
    'a guest reading a thread downloads embed.js only, not the reader’s part',
    async () => {
      const context = await env.browser.newContext();
      const scripts: string[] = [];
      context.on('request', (r) => {
        if (r.url().includes('/widget/')) scripts.push(new URL(r.url()).pathname);
      });
      const v = await visit(env, serveArticle(env, '/plain'), context);
      await expect.poll(() => widget(v).locator('form.rd-form').count()).toBe(1);
      expect(scripts.some((p) => p.startsWith('/widget/embed.'))).toBe(true);
      expect(scripts.filter((p) => p.startsWith('/widget/reader.'))).toEqual([]);
      expect(v.requests.filter((r) => r.url.pathname.startsWith('/api/readers'))).toEqual([]);
      await context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'data-sso-token signs the reader in: "Commenting as", a Bearer on the post, the comment stored with their reader id',
    async () => {
      const url = serveArticle(env, '/sso', { sso: await ssoToken('u-1', 'Ada Reader', 'ada@example.org') });
      const v = await visit(env, url);
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Ada Reader');
      await expect(widget(v).locator('.rd-who .rd-badge').innerText()).resolves.toBe('Verified');
      // No name, email or website for a signed-in reader.
      for (const name of ['Name', 'Email', 'Website'])
        expect(await form(v).getByRole('textbox', { name, exact: true }).isVisible()).toBe(false);
      const stored = await v.page.evaluate(
        (k) => (globalThis as unknown as PageGlobals).localStorage.getItem(k),
        `reply-desk:session:${SITE}`,
      );
      const session = JSON.parse(stored ?? 'null') as { token: string; reader: { id: string } };
      expect(session.token).toMatch(/^rdr_/);

      const id = await post(v, 'Signed in and *verified*');
      const sent = v.requests.find((r) => r.method === 'POST' && r.url.pathname === '/api/comments')!;
      expect(sent.headers.authorization).toBe(`Bearer ${session.token}`);
      expect(sent.headers.cookie).toBeUndefined();
      await waitForStored(env.db.pool, id);
      const row = await env.db.pool.query(
        `select c.reader_id::text, c.author_name, c.author_verified from comments c where c.id = $1`,
        [id],
      );
      expect(row.rows[0]).toEqual({ reader_id: session.reader.id, author_name: 'Ada Reader', author_verified: true });

      // A reload keeps the session (the same host user: no new sign-in) and the line.
      const trades = () => v.requests.filter((r) => r.url.pathname === '/api/readers/session').length;
      const before = trades();
      await v.page.reload();
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Ada Reader');
      expect(trades()).toBe(before);
      expect(v.errors).toEqual([]);
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'ReplyDesk.signIn({sso}) signs in without a reload, and Sign out ends the session with the API too',
    async () => {
      const url = serveArticle(env, '/spa', { login: `${env.hostOrigin}/login` });
      const v = await visit(env, url);
      // Signed out: the host's own sign-in link.
      await expect
        .poll(() => widget(v).getByRole('link', { name: 'Sign in' }).getAttribute('href'))
        .toBe(`${env.hostOrigin}/login`);
      // A guest's fields come when the reader turns to the form (widget/form.ts).
      await form(v).getByRole('textbox', { name: 'Comment', exact: true }).focus();
      await expect.poll(() => form(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      const token = await ssoToken('u-2', 'Bea Single');
      expect(
        await v.page.evaluate((t) => (globalThis as unknown as PageGlobals).ReplyDesk.signIn({ sso: t }), token),
      ).toBe(true);
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Bea Single');
      expect(await widget(v).getByRole('link', { name: 'Sign in' }).isVisible()).toBe(false);
      const reader = await env.db.pool.query<{ id: string }>(`select id::text from readers where identity = 'sso:u-2'`);
      const sessions = () =>
        env.db.pool
          .query(`select count(*)::int as n from reader_sessions where reader_id = $1`, [reader.rows[0]!.id])
          .then((r) => (r.rows[0] as { n: number }).n);
      expect(await sessions()).toBe(1);

      await widget(v).locator('.rd-who').getByRole('button', { name: 'Sign out' }).click();
      await expect.poll(() => form(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      expect(await sessions()).toBe(0);
      expect(
        await v.page.evaluate(
          (k) => (globalThis as unknown as PageGlobals).localStorage.getItem(k),
          `reply-desk:session:${SITE}`,
        ),
      ).toBeNull();
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'signing out follows data-sso-logout; the host page without a token then ends a stale SSO session',
    async () => {
      const logout = `${env.hostOrigin}/logged-out`;
      env.host.serve('/logged-out', '<!doctype html><title>Logged out</title><p>Bye</p>');
      const url = serveArticle(env, '/with-logout', { sso: await ssoToken('u-3', 'Cy Out'), logout });
      const v = await visit(env, url);
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Cy Out');
      // signOut() navigates to data-sso-logout: the evaluate may lose its page as it answers (CI saw it),
      // so the navigation is what proves it.
      await Promise.all([
        v.page.waitForURL(logout),
        v.page.evaluate(() => (globalThis as unknown as PageGlobals).ReplyDesk.signOut()).catch(() => undefined),
      ]);

      // Signed in again, then the host says its user is gone (its sign-in link, no token).
      await v.page.goto(url);
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Cy Out');
      const gone = serveArticle(env, '/signed-out-host', { login: `${env.hostOrigin}/login` });
      await v.page.goto(gone);
      await expect.poll(() => form(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(true);
      const left = await env.db.pool.query(
        `select count(*)::int as n from reader_sessions s join readers r on r.id = s.reader_id where r.identity = 'sso:u-3'`,
      );
      expect(left.rows[0]).toEqual({ n: 0 });
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'a site without guests shows no name and email form, only the sign-in choices',
    async () => {
      const url = serveArticle(env, '/members', { site: MEMBERS, login: `${env.hostOrigin}/login` });
      const v = await visit(env, url);
      await expect.poll(() => widget(v).locator('.rd-form-title').innerText()).toBe('Sign in to comment');
      expect(await widget(v).locator('form.rd-form').first().isVisible()).toBe(false);
      expect(await widget(v).getByRole('textbox', { name: 'Name', exact: true }).isVisible()).toBe(false);
      expect(await widget(v).getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
      // The reader's part is not loaded for a guest who only reads.
      expect(v.requests.some((r) => r.url.pathname.startsWith('/api/readers'))).toBe(false);
      await v.page.evaluate(
        (t) => (globalThis as unknown as PageGlobals).ReplyDesk.signIn({ sso: t }),
        await ssoToken('u-4', 'Dee Member'),
      );
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Commenting as Dee Member');
      expect(await widget(v).locator('.rd-form-title').innerText()).toBe('Leave a Reply');
      const id = await post(v, 'Members only');
      await waitForStored(env.db.pool, id);
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );
});

describe('editing and deleting one’s own comment in place', () => {
  async function approved(id: string): Promise<void> {
    await waitForStored(env.db.pool, id);
    await env.db.pool.query(`update comments set status = 'approved', updated_at = now() where id = $1`, [id]);
  }

  it(
    'a signed-in reader edits within the window (the thread marks it edited), and deletes after a confirmation',
    async () => {
      const url = serveArticle(env, '/edit', { sso: await ssoToken('u-5', 'Eve Editor') });
      const v = await visit(env, url);
      await expect.poll(() => widget(v).locator('.rd-who').innerText()).toContain('Eve Editor');
      const id = await post(v, 'First words');
      await approved(id);
      await v.page.reload();
      const li = widget(v).locator(`li#comment-${id}`);
      await li.getByRole('button', { name: 'Edit', exact: true }).click();
      const box = li.getByRole('textbox', { name: 'Edit', exact: true });
      expect(await box.inputValue()).toBe('First words');
      await box.fill('Second *thoughts*');
      await li.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => li.locator('.rd-body').innerHTML(), { timeout: 30_000 }).toContain('<em>thoughts</em>');
      expect(await li.locator('.rd-edited').innerText()).toContain('edited');
      const row = await env.db.pool.query(`select body, edited_at is not null as edited from comments where id = $1`, [
        id,
      ]);
      expect(row.rows[0]).toEqual({ body: 'Second *thoughts*', edited: true });
      // The thread says "edited" on the next read, for everybody.
      await v.page.reload();
      await expect.poll(() => li.locator('.rd-edited').count()).toBe(1);

      await li.getByRole('button', { name: 'Delete' }).click();
      expect(await li.locator('.rd-confirm').innerText()).toContain('Delete this comment for good?');
      await li.locator('.rd-confirm').getByRole('button', { name: 'Delete' }).click();
      await expect.poll(() => li.innerText()).toContain('You deleted this comment.');
      expect((await env.db.pool.query(`select status from comments where id = $1`, [id])).rows[0]).toEqual({
        status: 'deleted',
      });
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'a guest edits with the key kept in this browser; after the window the API’s refusal is said readably, and the buttons go',
    async () => {
      const url = serveArticle(env, '/guest-edit');
      const v = await visit(env, url);
      // Turned to the form: a guest's fields load then (widget/form.ts).
      await form(v).getByRole('textbox', { name: 'Comment', exact: true }).focus();
      await form(v).getByRole('textbox', { name: 'Name', exact: true }).fill('Gus Guest');
      await form(v).getByRole('textbox', { name: 'Email', exact: true }).fill('gus@example.org');
      const id = await post(v, 'A guest wrote this');
      await approved(id);
      await v.page.reload();
      const li = widget(v).locator(`li#comment-${id}`);
      await li.getByRole('button', { name: 'Edit', exact: true }).click();
      await li.getByRole('textbox', { name: 'Edit', exact: true }).fill('A guest changed this');
      await li.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => li.locator('.rd-body').innerText(), { timeout: 30_000 }).toBe('A guest changed this');
      const patch = v.requests.find((r) => r.method === 'PATCH')!;
      expect(patch.headers.authorization).toBeUndefined();

      // The window passes while the editor is open: the API refuses, the widget says why in words.
      await li.getByRole('button', { name: 'Edit', exact: true }).click();
      await env.db.pool.query(`update comments set received_at = now() - interval '1 hour' where id = $1`, [id]);
      await li.getByRole('textbox', { name: 'Edit', exact: true }).fill('Too late');
      await li.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => li.locator('.rd-form-message').innerText())
        .toBe('The time to change this comment has passed.');
      // The widget's own clock says the same once the window has passed since it sent the comment.
      await v.page.evaluate((k) => {
        const sent = JSON.parse((globalThis as unknown as PageGlobals).localStorage.getItem(k) ?? '{}') as Record<
          string,
          { at: number }
        >;
        for (const r of Object.values(sent)) r.at -= 3_600_000;
        (globalThis as unknown as PageGlobals).localStorage.setItem(k, JSON.stringify(sent));
      }, `reply-desk:sent:${SITE}`);
      await v.page.reload();
      await expect.poll(() => li.count()).toBe(1);
      expect(await li.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
      // Another browser has no key: no buttons there.
      const other = await visit(env, url);
      await expect.poll(() => widget(other).locator(`li#comment-${id}`).count()).toBe(1);
      expect(await widget(other).getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
      await other.context.close();
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );

  it(
    'a guest’s edit key is kept the moment the 202 arrives, even when the reader’s part never loaded before a reload',
    async () => {
      const url = serveArticle(env, '/guest-edit-early');
      const v = await visit(env, url);
      // The reader's part cannot load on this first view (a slow or failed chunk).
      await v.context.route('**/widget/reader.*', (r) => r.abort());
      // Turned to the form: a guest's fields load then (widget/form.ts).
      await form(v).getByRole('textbox', { name: 'Comment', exact: true }).focus();
      await form(v).getByRole('textbox', { name: 'Name', exact: true }).fill('Quick Guest');
      await form(v).getByRole('textbox', { name: 'Email', exact: true }).fill('quick@example.org');
      const id = await post(v, 'Reloaded at once');
      await approved(id);
      await v.context.unroute('**/widget/reader.*');
      await v.page.reload();
      const li = widget(v).locator(`li#comment-${id}`);
      await li.getByRole('button', { name: 'Edit', exact: true }).waitFor();
      await v.context.close();
    },
    READER_TIMEOUT_MS,
  );
});
