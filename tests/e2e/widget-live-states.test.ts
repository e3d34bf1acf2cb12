import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { hostPageCsp, hostPageHtml } from '../support/host-page.js';
import { seedThread } from '../support/seed-thread.js';
import {
  SITE,
  WIDGET_TIMEOUT_MS,
  commentIn,
  openPage,
  postComment,
  serveHostPage,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * The widget's live thread (issue 15, item 4) beyond new comments and votes, in a real Chromium
 * against the real API, worker and Redis: a page closed from the desk loses its form for the closed
 * notice, a comment a moderator takes down leaves the thread, and a stream that drops and comes back
 * resumes with Last-Event-ID: what was published meanwhile arrives once, nothing shown is shown twice.
 */

let env: WidgetEnv;
let desk: DashboardClient;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false });
  await addModerator(env.db.pool, 'live-desk@example.org', 'moderator', [SITE]);
  desk = new DashboardClient(env.api.url);
  await desk.signIn('live-desk@example.org');
}, WIDGET_TIMEOUT_MS);

/**
 * A TCP relay in front of the API: the widget talks to the API through it, and `drop()` cuts every
 * connection at once, as a mobile network or a restarted proxy does (the browser's own offline switch
 * leaves an open stream alone).
 */
function startRelay(target: URL): Promise<{ url: string; drop(): void; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        server,
        drop: () => sockets.forEach((s) => s.destroy()),
      });
    }),
  );
}

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

const seed = (page: string, n: number): Promise<string[]> =>
  seedThread(
    env.db.pool,
    SITE,
    page,
    Array.from({ length: n }, (_, i) => ({ at: i * 1000 })),
  );

/** Opens the page and waits until its live stream is open (the API sent `ready`). */
async function openLive(page: string): Promise<Visit> {
  const v = await openPage(env, serveHostPage(env, `/${page}`, { page }));
  await expect.poll(() => v.requests.some((u) => u.pathname === '/api/live')).toBe(true);
  await expect.poll(() => v.widget.locator('h2').count()).toBe(1);
  // The stream's headers and `ready` go out once it is listening; a moment covers the round trip.
  await v.page.waitForTimeout(500);
  return v;
}

describe('the live thread in the widget', () => {
  it(
    'a page closed from the desk: the form gives way to "Comments are closed." and the Reply buttons go',
    async () => {
      const page = 'live-closing';
      const [a] = await seed(page, 1);
      const v = await openLive(page);
      try {
        await expect.poll(() => v.widget.locator('form textarea').count()).toBe(1);
        expect(
          await commentIn(v, a!)
            .getByRole('button', { name: /^Reply/ })
            .count(),
        ).toBe(1);
        await desk.page(`/admin/pages?site=${SITE}`);
        expect((await desk.post('/admin/pages/close', { site: SITE, page })).status).toBe(303);
        // Closing is noticed on the stream's next heartbeat (20 s in production and here).
        await expect
          .poll(() => v.widget.locator('.rd-closed').innerText(), { timeout: 40_000 })
          .toBe('Comments are closed.');
        expect(await v.widget.locator('form textarea').count()).toBe(0);
        expect(await v.widget.getByRole('button', { name: /^Reply/ }).count()).toBe(0);
        // The thread itself stays.
        expect(await commentIn(v, a!).count()).toBe(1);
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a comment a moderator rejects leaves the thread; a reply under it stays, standing alone',
    async () => {
      const page = 'live-removed';
      const a = randomUUID();
      const [, b] = await seedThread(env.db.pool, SITE, page, [
        { id: a, at: 0 },
        { parent: a, depth: 1, at: 1000 },
      ]);
      const v = await openLive(page);
      try {
        await expect.poll(() => commentIn(v, b!).count()).toBe(1);
        expect((await desk.post(`/admin/comments/${a}/status`, { action: 'reject' }, { json: true })).status).toBe(200);
        // Its place goes (the article), its reply stays where it was.
        await expect.poll(() => commentIn(v, a).locator(':scope > article').count(), { timeout: 15_000 }).toBe(0);
        expect(await commentIn(v, b!).count()).toBe(1);
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a dropped stream reconnects with Last-Event-ID: the comment published meanwhile arrives once, and none is shown twice',
    async () => {
      const page = 'live-reconnect';
      await seed(page, 1);
      const relay = await startRelay(new URL(env.api.url));
      env.host.serve(`/${page}`, hostPageHtml({ apiUrl: relay.url, site: SITE, page }), {
        'content-security-policy': hostPageCsp(relay.url),
      });
      const v = await openPage(env, `${env.host.origin}/${page}`);
      await expect.poll(() => v.requests.some((u) => u.pathname === '/api/live' && u.origin === relay.url)).toBe(true);
      await v.page.waitForTimeout(500);
      // Playwright's request.headers() are the provisional ones; allHeaders() has what was sent.
      const lastEventIds: Promise<string | undefined>[] = [];
      v.page.on('request', (r) => {
        if (new URL(r.url()).pathname === '/api/live')
          lastEventIds.push(r.allHeaders().then((h) => h['last-event-id']));
      });
      try {
        // One comment while connected: announced, then put in by the reader.
        const first = await postComment(env, { author: 'Ann', body: 'Before the drop.', page });
        const button = v.widget.locator('button.rd-new');
        await expect.poll(() => button.innerText(), { timeout: 30_000 }).toBe('1 new comment');
        await button.click();
        await expect.poll(() => commentIn(v, first).count()).toBe(1);
        expect(await button.isHidden()).toBe(true);

        // The connection drops; a comment is published before the browser reconnects (EventSource waits
        // about 3 s before it tries again).
        relay.drop();
        const second = await postComment(env, { author: 'Bo', body: 'During the drop.', page });
        await expect
          .poll(async () => (await env.db.pool.query('select status from comments where id = $1', [second])).rows[0])
          .toEqual({ status: 'approved' });

        await expect.poll(() => button.isVisible(), { timeout: 30_000 }).toBe(true);
        expect(await button.innerText()).toBe('1 new comment');
        // The browser's EventSource resumed after the last event it had: the first comment's.
        expect((await Promise.all(lastEventIds)).some((id) => id !== undefined && /^\d+-\d+$/.test(id))).toBe(true);
        await button.click();
        await expect.poll(() => commentIn(v, second).count()).toBe(1);
        expect(await commentIn(v, first).count()).toBe(1);
        expect(await v.widget.locator('ol.rd-list li[id^="comment-"]').count()).toBe(3);
        expect(await v.widget.locator('h2').innerText()).toBe('3 Comments');
      } finally {
        await v.context.close();
        relay.drop();
        await new Promise((resolve) => relay.server.close(resolve));
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
