import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildWidget } from '../../scripts/build-widget.mjs';
import type { SiteSettingsInput } from '../../src/domain/site-settings.js';
import { projectRoot } from '../../src/paths.js';
import type { Pool } from '../../src/store/db.js';
import { launchBrowser } from '../support/browser.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { hostPageCsp, hostPageHtml, startHostSite, type HostPageOptions, type HostSite } from '../support/host-page.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/** Widget tests wait on a real worker and a real Chromium. */
export const WIDGET_TIMEOUT_MS = 60_000;
export const SITE = 'demo';
export const PAGE = 'an-article';
/** Screenshots for people to look at (gitignored). */
export const ARTIFACTS_DIR = join(projectRoot, 'test-artifacts');

/** One widget test file's world: database, queue prefix, API, worker, browser and a customer's site. */
export interface WidgetEnv {
  db: TestDatabase;
  api: TestApi;
  host: HostSite;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the widget (as `npm run build` does; content-hashed and atomic, so files running side by side
 * may build at once), then starts the stack with site `demo` allowing the host site's origin and the
 * API's own (the demo article). The flood window is off: every test posts from 127.0.0.1.
 */
/**
 * `replyMail`: the API says mail is set up, so the form offers reply notifications. `liveHeartbeatMs`:
 * how soon live streams hear of a closure (20 s, as in production, unless given).
 */
export async function startWidgetEnv(
  settings: SiteSettingsInput = {},
  opts: { worker?: boolean; replyMail?: boolean; liveHeartbeatMs?: number } = {},
): Promise<WidgetEnv> {
  await buildWidget();
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const db = await createTestDatabase();
  const prefix = newQueuePrefix();
  const api = await startApi({
    pool: db.pool,
    prefix,
    replyMail: opts.replyMail,
    liveHeartbeatMs: opts.liveHeartbeatMs,
  });
  const worker = opts.worker === false ? null : await startWorker({ pool: db.pool, prefix });
  const [browser, host] = await Promise.all([launchBrowser(), startHostSite()]);
  await addSite(db.pool, SITE, [host.origin, api.origin], { floodSeconds: 0, ...settings });
  // The API's copy of the sites table is refreshed on a timer; CORS must know the new origins now.
  await api.sites.refresh();
  return {
    db,
    api,
    host,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await host.close();
      await worker?.close().catch(() => {});
      await api.close();
      await db.drop();
      await deleteQueueKeys(prefix);
    },
  };
}

/** Serves a host page at `path` on the customer's site (strict CSP unless `csp: false`). */
export function serveHostPage(
  env: WidgetEnv,
  path: string,
  o: Partial<HostPageOptions> & { csp?: boolean } = {},
): string {
  const { csp = true, ...rest } = o;
  env.host.serve(
    path,
    hostPageHtml({ apiUrl: env.api.url, site: SITE, page: PAGE, ...rest }),
    csp ? { 'content-security-policy': hostPageCsp(env.api.url) } : {},
  );
  return `${env.host.origin}${path}`;
}

/** A page with what it showed: dialogs, script errors and every API request it made. */
export interface Visit {
  context: BrowserContext;
  page: Page;
  dialogs: string[];
  errors: string[];
  requests: URL[];
  /** The widget's root element inside its shadow root (Playwright's CSS pierces open shadow roots). */
  widget: Locator;
}

export async function openPage(env: WidgetEnv, url: string, options: BrowserContextOptions = {}): Promise<Visit> {
  const context = await env.browser.newContext({ viewport: { width: 800, height: 900 }, ...options });
  const page = await context.newPage();
  const visit: Visit = {
    context,
    page,
    dialogs: [],
    errors: [],
    requests: [],
    widget: page.locator('#reply-desk .rd'),
  };
  page.on('dialog', (d) => {
    visit.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => visit.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) visit.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/')) visit.requests.push(u);
  });
  await page.goto(url);
  return visit;
}

/** The widget's comment element for an id. */
export const commentIn = (v: Visit, id: string): Locator => v.widget.locator(`li#comment-${id}`);

/** Posts a comment from the host site's origin through the JSON API; returns its id. */
export async function postComment(
  env: WidgetEnv,
  c: { author: string; body: string; url?: string; parent?: string; email?: string; page?: string },
): Promise<string> {
  const res = await postJson(
    env.api,
    {
      site: SITE,
      page: c.page ?? PAGE,
      parent: c.parent ?? null,
      author: c.author,
      email: c.email ?? `${c.author.replace(/\W/g, '').toLowerCase() || 'x'}@example.com`,
      url: c.url ?? '',
      body: c.body,
    },
    { origin: env.host.origin },
  );
  const text = await res.text();
  expect(res.status, text).toBe(202);
  return (JSON.parse(text) as { id: string }).id;
}

/** What a moderator's approval does to a row (the dashboard is another issue's): status only. */
export async function approve(pool: Pool, id: string): Promise<void> {
  await waitForStored(pool, id);
  await pool.query("update comments set status = 'approved', updated_at = now() where id = $1", [id]);
}

/** Posts and approves a comment, waiting until the worker stored it. */
export async function publishComment(env: WidgetEnv, c: Parameters<typeof postComment>[1]): Promise<string> {
  const id = await postComment(env, c);
  await approve(env.db.pool, id);
  return id;
}

/**
 * Writes `count` approved top-level comments straight into the table (the pipeline is not what is
 * tested here, and 2,000 submissions would take minutes): "Comment number 1" is the oldest.
 */
export async function seedThread(pool: Pool, page: string, count: number): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into pages (site_id, identifier) values ($1, $2)
     on conflict (site_id, identifier) do update set identifier = excluded.identifier returning id`,
    [SITE, page],
  );
  await pool.query(
    `insert into comments (id, site_id, page_id, depth, author_name, body, body_html, status, verdict, content_hash, received_at)
     select gen_random_uuid(), $1, $2, 0, 'Reader ' || i, 'Comment number ' || i, '<p>Comment number ' || i || '</p>',
            'approved', '{}'::jsonb, sha256(convert_to($3 || ':' || i, 'UTF8')),
            -- Milliseconds, as the API stamps them: thread cursors carry received_at to the millisecond.
            date_trunc('milliseconds', now()) - make_interval(secs => $4 - i)
       from generate_series(1, $4::int) i`,
    [SITE, rows[0]?.id, page, count],
  );
}

/**
 * Turns to the form as a reader does (focus in its text box) and waits for its part: name, email,
 * website and the rest load then (widget/form.ts), not with the thread.
 */
export async function turnToForm(v: Visit): Promise<void> {
  await v.widget.locator('form').getByRole('textbox', { name: 'Comment', exact: true }).focus();
  await v.widget.locator('form input[name="homepage"]').waitFor({ state: 'attached' });
}

/** Fills the widget's form by its labels, as a reader would (the comment first: that loads the rest). */
export async function fillForm(
  v: Visit,
  c: { body?: string; author?: string; email?: string; url?: string },
): Promise<void> {
  const form = v.widget.locator('form');
  if (c.body !== undefined) await form.getByRole('textbox', { name: 'Comment', exact: true }).fill(c.body);
  if (c.author !== undefined || c.email !== undefined || c.url !== undefined) await turnToForm(v);
  if (c.author !== undefined) await form.getByRole('textbox', { name: 'Name', exact: true }).fill(c.author);
  if (c.email !== undefined) await form.getByRole('textbox', { name: 'Email', exact: true }).fill(c.email);
  if (c.url !== undefined) await form.getByRole('textbox', { name: 'Website', exact: true }).fill(c.url);
}
