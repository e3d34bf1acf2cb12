import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedThread } from '../support/seed-thread.js';
import {
  PAGE,
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
 * The conversation in the widget (issue 15), in a real Chromium against the real API and worker:
 * badges, the editors' picks strip, guest votes, the Top order and the live stream. Each test reads
 * its own page (data-page), so the API's short thread cache never shows one test another's rows.
 */

let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false, votes: 'updown', guestVotes: true });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

/** A page of `n` seeded comments ("comment 0" the oldest); their ids in order. */
const seed = (page: string, n: number): Promise<string[]> =>
  seedThread(
    env.db.pool,
    SITE,
    page,
    Array.from({ length: n }, (_, i) => ({ at: i * 1000 })),
  );

const open = (page: string): Promise<Visit> => openPage(env, serveHostPage(env, `/${page}`, { page }));

/** A vote from another browser (a key of its own) through the API, as the host's origin sends it. */
async function voteElsewhere(id: string, value: number): Promise<Response> {
  return fetch(`${env.api.url}/api/comments/${id}/vote`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', origin: env.host.origin },
    body: JSON.stringify({ value, key: `elsewhere-${'k'.repeat(24)}` }),
  });
}

describe('the conversation in the widget', () => {
  it(
    'shows Verified, Staff and Editors’ pick marks, and the picks strip links to the comment',
    async () => {
      const page = 'badges';
      const [a, b, c] = await seed(page, 3);
      await env.db.pool.query('update comments set author_verified = true where id = $1', [a]);
      await env.db.pool.query('update comments set author_verified = true, author_staff = true where id = $1', [b]);
      await env.db.pool.query(
        "update comments set featured_at = now(), body_html = '<p>A <em>very</em> good point.</p>' where id = $1",
        [c],
      );
      const v = await open(page);
      try {
        const badgesOf = (id: string) => commentIn(v, id).locator('.rd-meta .rd-badge');
        await expect.poll(() => badgesOf(a!).allInnerTexts()).toEqual(['Verified']);
        await expect.poll(() => badgesOf(b!).allInnerTexts()).toEqual(['Verified', 'Staff']);
        await expect.poll(() => badgesOf(c!).allInnerTexts()).toEqual(['Editors’ pick']);

        const strip = v.widget.locator('aside.rd-picks');
        await expect.poll(() => strip.isVisible()).toBe(true);
        expect(await strip.locator('h3').innerText()).toBe('Editors’ picks');
        const link = strip.getByRole('link');
        expect(await link.count()).toBe(1);
        expect(await link.innerText()).toBe('Reader A very good point.');
        expect(await strip.locator('em').count()).toBe(0);
        await link.click();
        await expect
          .poll(() => v.page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash))
          .toBe(`#comment-${c}`);
        await expect.poll(() => commentIn(v, c!).getAttribute('class')).toContain('rd-target');
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'shows no picks strip when the page has none',
    async () => {
      const page = 'no-picks';
      const [a] = await seed(page, 1);
      const v = await open(page);
      try {
        await expect.poll(() => commentIn(v, a!).locator('.rd-vote-up').count()).toBe(1);
        await expect
          .poll(() => v.requests.some((u) => u.pathname === '/api/comments' && u.searchParams.get('featured') === '1'))
          .toBe(true);
        expect(await v.widget.locator('aside.rd-picks').count()).toBe(0);
        // One comment: nothing to order.
        expect(await v.widget.locator('.rd-sort').isHidden()).toBe(true);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a guest votes with a browser key: the count goes up, the button is pressed, a reload keeps both; a second press takes it back',
    async () => {
      const page = 'votes';
      const [a] = await seed(page, 2);
      const v = await open(page);
      try {
        const up = commentIn(v, a!).getByRole('button', { name: /^Vote up/ });
        const down = commentIn(v, a!).getByRole('button', { name: /^Vote down/ });
        await expect.poll(() => up.innerText()).toBe('▲ 0');
        expect(await up.getAttribute('aria-pressed')).toBe('false');
        expect(await down.innerText()).toBe('▼ 0');
        await up.click();
        // The first press also fetches the code that sends votes (widget/conversation/extras.ts).
        await expect.poll(() => up.innerText(), { timeout: 10_000 }).toBe('▲ 1');
        expect(await up.getAttribute('aria-pressed')).toBe('true');
        const { rows } = await env.db.pool.query<{ votes_up: number }>('select votes_up from comments where id = $1', [
          a,
        ]);
        expect(rows[0]?.votes_up).toBe(1);

        await v.page.reload();
        await expect.poll(() => up.innerText()).toBe('▲ 1');
        expect(await up.getAttribute('aria-pressed')).toBe('true');

        await up.click();
        await expect.poll(() => up.innerText(), { timeout: 10_000 }).toBe('▲ 0');
        expect(await up.getAttribute('aria-pressed')).toBe('false');
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'says why a vote did not count, next to the buttons (a second browser on the same network)',
    async () => {
      const page = 'already';
      const [a] = await seed(page, 1);
      expect((await voteElsewhere(a!, 1)).status).toBe(200);
      const v = await open(page);
      try {
        const up = commentIn(v, a!).getByRole('button', { name: /^Vote up/ });
        await expect.poll(() => up.innerText()).toBe('▲ 1');
        await up.click();
        const message = commentIn(v, a!).locator('.rd-vote-message');
        await expect
          .poll(() => message.innerText(), { timeout: 10_000 })
          .toBe('Someone on your network has voted on this comment already.');
        expect(await up.getAttribute('aria-pressed')).toBe('false');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'Top lists the conversations by their votes (sort=top)',
    async () => {
      const page = 'top';
      const [a, b, c] = await seed(page, 3);
      // top_score is what the vote's transaction writes beside the counts (the Wilson lower bound).
      await env.db.pool.query('update comments set votes_up = 1, top_score = 0.2 where id = $1', [a]);
      await env.db.pool.query('update comments set votes_up = 9, top_score = 0.7 where id = $1', [b]);
      const v = await open(page);
      try {
        const roots = v.widget.locator('ol.rd-list[aria-labelledby] > li');
        await expect
          .poll(() => roots.evaluateAll((lis) => lis.map((li) => li.id)))
          .toEqual([a, b, c].map((id) => `comment-${id}`));
        await v.widget.getByRole('button', { name: 'Top', exact: true }).click();
        await expect
          .poll(() => roots.evaluateAll((lis) => lis.map((li) => li.id)))
          .toEqual([b, a, c].map((id) => `comment-${id}`));
        expect(await v.widget.getByRole('button', { name: 'Top', exact: true }).getAttribute('aria-pressed')).toBe(
          'true',
        );
        expect(v.requests.some((u) => u.pathname === '/api/comments' && u.searchParams.get('sort') === 'top')).toBe(
          true,
        );
        // The counts came with the thread in the new order too.
        expect(await commentIn(v, b!).locator('.rd-vote-up').innerText()).toBe('▲ 9');
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'live: a comment published while the page is open waits behind "1 new comment" and goes in on a click; a vote from elsewhere changes the count in place',
    async () => {
      const page = PAGE;
      const [a] = await seed(page, 1);
      const v = await open(page);
      try {
        const up = commentIn(v, a!).locator('.rd-vote-up');
        await expect.poll(() => up.innerText()).toBe('▲ 0');
        // The stream is open (its `ready` came) before anything is announced.
        await expect.poll(() => v.requests.some((u) => u.pathname === '/api/live')).toBe(true);
        await v.page.waitForTimeout(500);

        expect((await voteElsewhere(a!, 1)).status).toBe(200);
        await expect.poll(() => up.innerText(), { timeout: 15_000 }).toBe('▲ 1');
        expect(await up.getAttribute('aria-pressed')).toBe('false');

        const id = await postComment(env, { author: 'Dee', body: 'Live and new.', page });
        const button = v.widget.getByRole('button', { name: '1 new comment' });
        await expect.poll(() => button.isVisible(), { timeout: 30_000 }).toBe(true);
        expect(await commentIn(v, id).count()).toBe(0);
        await button.click();
        await expect.poll(() => commentIn(v, id).locator('.rd-body').innerText()).toBe('Live and new.');
        expect(await button.isHidden()).toBe(true);
        expect(await v.widget.locator('h2').innerText()).toBe('2 Comments');
        expect(await commentIn(v, id).count()).toBe(1);
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
