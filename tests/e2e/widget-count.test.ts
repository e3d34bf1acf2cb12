import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPageHtml } from '../support/host-page.js';
import { SITE, WIDGET_TIMEOUT_MS, openPage, seedThread, startWidgetEnv, type WidgetEnv } from './widget-env.js';

/*
 * count.js on an article list of another origin, and how the scripts and the widget's settings
 * endpoint are served: cache lifetimes, CORS, and what the public settings never reveal.
 */

let env: WidgetEnv;

beforeAll(async () => {
  // Nothing here is submitted: rows are written directly and no worker runs.
  env = await startWidgetEnv({}, { worker: false });
  await seedThread(env.db.pool, 'post-a', 2);
  await seedThread(env.db.pool, 'post-b', 1);
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

describe('count.js', () => {
  it(
    'fills every counter on the page from one request',
    async () => {
      const list = `<ul>
      <li><a href="/a">Post A</a> <span data-reply-desk-count="post-a">…</span></li>
      <li><a href="/b">Post B</a> <span data-reply-desk-count="post-b">…</span></li>
      <li><a href="/c">Post C</a> <span data-reply-desk-count="post-c">…</span></li>
      <li>Post A again: <b data-reply-desk-count="post-a"></b></li>
    </ul>
    <p lang="de">Kommentare: <span data-reply-desk-count="post-a" data-x></span></p>`;
      env.host.serve(
        '/list',
        hostPageHtml({ apiUrl: env.api.url, site: SITE, widget: false, before: list }).replace(
          '</body>',
          `<script src="${env.api.url}/count.js" data-site="${SITE}" data-zero="No comments yet" async></script></body>`,
        ),
      );
      const v = await openPage(env, `${env.host.origin}/list`);
      try {
        const counters = v.page.locator('[data-reply-desk-count]');
        await expect
          .poll(() => counters.allInnerTexts())
          .toEqual(['2 comments', '1 comment', 'No comments yet', '2 comments', '2 comments']);
        const countRequests = v.requests.filter((u) => u.pathname === '/api/counts');
        expect(countRequests).toHaveLength(1);
        expect(countRequests[0]?.searchParams.getAll('page')).toEqual(['post-a', 'post-b', 'post-c']);
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('serving the widget', () => {
  it('embed.js and count.js redirect briefly-cached to content-hashed files cached for a year', async () => {
    for (const name of ['embed', 'count']) {
      const entry = await fetch(`${env.api.url}/${name}.js`, { redirect: 'manual' });
      expect(entry.status).toBe(302);
      expect(entry.headers.get('cache-control')).toBe('public, max-age=300');
      const location = entry.headers.get('location') ?? '';
      expect(location).toMatch(new RegExp(`^widget/${name}\\.[A-Z0-9]+\\.js$`));
      const file = await fetch(new URL(location, `${env.api.url}/${name}.js`));
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect(file.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
      expect(file.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
    expect((await fetch(`${env.api.url}/widget/manifest.json`)).status).toBe(404);
    expect((await fetch(`${env.api.url}/widget/embed.NOPE.js`)).status).toBe(404);
  });

  it("the public site settings carry what the form needs and nothing else, to the site's own origins", async () => {
    const own = await fetch(`${env.api.url}/api/sites/${SITE}/public`, { headers: { origin: env.host.origin } });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(env.host.origin);
    expect(await own.json()).toEqual({
      id: SITE,
      name: `Site ${SITE}`,
      requireName: true,
      requireEmail: true,
      maxDepth: 5,
      flagUrl: 'api/comments/{id}/flag',
      replyMail: false,
      guests: true,
      editWindowMinutes: 15,
      votes: 'up',
      guestVotes: false,
      defaultSort: 'oldest',
      language: 'auto',
      signIn: { sso: false, email: false, providers: [] },
    });
    const foreign = await fetch(`${env.api.url}/api/sites/${SITE}/public`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${env.api.url}/api/sites/nope/public`)).status).toBe(404);
    // The thread itself is refused to a page of another site's origin, too.
    const thread = await fetch(`${env.api.url}/api/comments?site=${SITE}&page=post-a`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(thread.status).toBe(403);
  });

  it('cross-origin answers let the widget read Retry-After', async () => {
    const preflightless = await fetch(`${env.api.url}/api/comments?site=${SITE}&page=post-a`, {
      headers: { origin: env.host.origin },
    });
    expect(preflightless.headers.get('access-control-expose-headers')).toBe('Retry-After');
    const body = (await preflightless.json()) as { total: number; comments: unknown[] };
    expect(body.total).toBe(2);
    expect(body.comments).toHaveLength(2);
  });
});
