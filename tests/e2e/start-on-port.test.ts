import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';
import { checkRedisDurability } from '../../src/service-checks.js';
import { launchBrowser } from '../support/browser.js';
import { deleteQueueKeys, newQueuePrefix, stopProcess, TEST_REDIS_URL, waitFor } from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { E2E_TIMEOUT_MS } from './demo-env.js';

// `PORT=<p> npm start` as a newcomer runs it: the built entry file, no PUBLIC_URL. Everything the
// demo needs must follow the port: the start line, the cross-origin page on p+1 and the origin its
// scripts load from, and the demo site's allowed origins.

/**
 * A port p with p+1 free too (the demo host page's), found by binding both for a moment. Taken below
 * Linux's ephemeral range (32768–60999): the start binds them a few seconds later, and in between the
 * other test files running beside this one bind ephemeral ports (listen(0)) all the time — one of them
 * once took p+1 from under it (EADDRINUSE in CI).
 */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const bound: ReturnType<typeof createServer>[] = [];
    let ok = true;
    for (const p of [port, port + 1]) {
      const s = createServer().listen(p, '0.0.0.0');
      const listening = await Promise.race([once(s, 'listening').then(() => true), once(s, 'error').then(() => false)]);
      if (listening) bound.push(s);
      else ok = false;
    }
    await Promise.all(bound.map((s) => new Promise((r) => s.close(r))));
    if (ok) return port;
  }
  throw new Error('no two free ports in a row');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  await once(s, 'close');
  return port;
}

function startEntry(env: Record<string, string>): { child: ChildProcess; out: () => string; err: () => string } {
  const base = { ...process.env };
  delete base.PUBLIC_URL;
  const child = spawn(process.execPath, [join(projectRoot, 'dist/src/bin/start.js')], {
    cwd: projectRoot,
    env: { ...base, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, out: () => out, err: () => err };
}

describe('npm start with PORT and no PUBLIC_URL', () => {
  let db: TestDatabase;
  let browser: Browser;
  const prefix = newQueuePrefix();

  beforeAll(async () => {
    // What `npm start` runs first; seconds when dist/ is up to date.
    const build = spawnSync(process.execPath, [join(projectRoot, 'scripts/build.mjs')], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    expect(build.status, build.stderr + build.stdout).toBe(0);
    db = await createTestDatabase();
    // As left by an earlier plain `npm start` on :3000; this start must add what PORT needs.
    await db.pool.query(`delete from sites where id = 'demo'`);
    await db.pool.query(
      `insert into sites (id, name, allowed_origins, settings)
       values ('demo', 'Reply Desk demo', array['http://localhost:3000', 'http://localhost:3001'], '{}')`,
    );
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await db?.drop();
    await deleteQueueKeys(prefix);
  });

  it(
    'serves the demo on PORT and the cross-origin page on PORT+1 with scripts from PORT, names both, warns once',
    async () => {
      const port = await freePortPair();
      const api = `http://localhost:${port}`;
      const host = `http://localhost:${port + 1}`;
      const run = startEntry({
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
      });
      try {
        await waitFor(
          'the start line',
          () => run.out().includes('Reply Desk is running') || run.child.exitCode !== null,
          60_000,
        );
        expect(run.child.exitCode, `${run.out()}\n${run.err()}`).toBeNull();
        const line =
          run
            .out()
            .split('\n')
            .find((l) => l.startsWith('Reply Desk is running')) ?? '';
        expect(line).toContain(`open ${api}/ for the demo article`);
        expect(line).toContain(`${host}/ for it embedded on another origin`);
        expect(line).toContain(`${api}/admin`);
        expect(line).not.toContain(':3000');

        const demo = await fetch(`http://127.0.0.1:${port}/`);
        expect(demo.status).toBe(200);
        const demoHtml = await demo.text();
        expect(demoHtml).toContain('<link rel="icon" href="/assets/favicon.svg"');

        const hostPage = await fetch(`http://127.0.0.1:${port + 1}/`);
        expect(hostPage.status).toBe(200);
        const hostHtml = await hostPage.text();
        expect(hostHtml).toContain(`<script src="${api}/embed.js"`);
        expect(hostHtml).toContain(`<script src="${api}/count.js"`);
        expect(hostHtml).toContain(`<link rel="icon" href="${api}/assets/favicon.svg"`);
        expect(hostPage.headers.get('content-security-policy')).toContain(`script-src ${api}`);

        const icon = await fetch(`${api}/assets/favicon.svg`);
        expect(icon.status).toBe(200);
        expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
        expect(icon.headers.get('cache-control')).toMatch(/max-age=3600/);

        const { rows } = await db.pool.query<{ allowed_origins: string[] }>(
          `select allowed_origins from sites where id = 'demo'`,
        );
        expect(rows[0]?.allowed_origins).toEqual(expect.arrayContaining([api, host]));

        // In a browser: the widget loads from PORT into the page on PORT+1 and renders its form.
        const page = await browser.newPage();
        const failed: string[] = [];
        page.on('requestfailed', (r) => failed.push(r.url()));
        page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
        try {
          await page.goto(`${host}/`);
          await expect
            .poll(() => page.locator('#reply-desk h3').innerText(), { timeout: 20_000 })
            .toBe('Leave a Reply');
          expect(failed).toEqual([]);
        } finally {
          await page.close();
        }

        // Start-up warnings about this Redis are said once, by start, in one line each; not once per
        // process (start, api, worker), and no banner. The test Redis runs without its append-only file.
        const err = run.err();
        expect(err).not.toContain('!!!!');
        const expected = await checkRedisDurability(TEST_REDIS_URL);
        expect(expected.length).toBeGreaterThan(0);
        for (const w of expected) {
          expect(err.split('\n').filter((l) => l === `reply-desk start: WARNING: ${w}`)).toHaveLength(1);
          expect(err.split(w).length - 1, err).toBe(1);
        }
      } finally {
        await stopProcess(run.child);
      }
    },
    E2E_TIMEOUT_MS * 2,
  );

  it('with Redis down it exits 1 with one line naming ECONNREFUSED, as the README says', async () => {
    const port = await closedPort();
    const run = startEntry({ DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0' });
    const [code] = (await once(run.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(run.err()).toContain(
      `reply-desk start: Redis is not reachable at 127.0.0.1:${port} (REDIS_URL): ECONNREFUSED.`,
    );
    expect(run.err()).not.toContain('Connection is closed');
    expect(run.err()).not.toMatch(/\n\s+at /);
  });
});
