import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedThread } from '../support/seed-thread.js';
import {
  PAGE,
  READER_TIMEOUT_MS,
  SITE,
  serveArticle,
  ssoToken,
  startReaderEnv,
  visit,
  type ReaderEnv,
  type ReaderVisit,
} from './widget-reader-env.js';

/*
 * Issue 15: a signed-in reader's own votes are theirs wherever they sign in. The widget asks the API
 * which of the page's comments the reader voted on (GET /api/readers/me/votes, with the reader's
 * Bearer) and shows those buttons pressed ("mine"), in another browser too, where no local record of
 * the vote exists; a guest on the same page sees the count and nothing pressed.
 */

let env: ReaderEnv;
let ids: string[] = [];

beforeAll(async () => {
  env = await startReaderEnv({ settings: { holdFirstTime: false, votes: 'updown' } });
  ids = await seedThread(env.db.pool, SITE, PAGE, [{ at: 0 }, { at: 1000 }]);
}, READER_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
});

const comment = (v: ReaderVisit, id: string) => v.page.locator(`#reply-desk .rd li#comment-${id} > article`);
const upOf = (v: ReaderVisit, id: string) => comment(v, id).getByRole('button', { name: /^Vote up/ });
const downOf = (v: ReaderVisit, id: string) => comment(v, id).getByRole('button', { name: /^Vote down/ });

describe("a signed-in reader's own votes", () => {
  it(
    'are pressed in another browser the reader signs into, from the API; a guest sees the counts only',
    async () => {
      const [a, b] = ids as [string, string];
      const token = await ssoToken('voter-1', 'Vera Voter', 'vera@example.org');
      const first = await visit(env, serveArticle(env, '/votes-1', { sso: token }));
      try {
        await expect.poll(() => first.page.locator('#reply-desk .rd .rd-who').innerText()).toContain('Vera Voter');
        await expect.poll(() => upOf(first, a).innerText()).toBe('▲ 0');
        await upOf(first, a).click();
        await expect.poll(() => upOf(first, a).innerText()).toBe('▲ 1');
        await downOf(first, b).click();
        await expect.poll(() => downOf(first, b).innerText()).toBe('▼ 1');
        const voted = first.requests.filter((r) => r.method === 'PUT' && r.url.pathname.endsWith('/vote'));
        expect(voted.length).toBe(2);
        expect(voted.every((r) => r.headers.authorization?.startsWith('Bearer rdr_'))).toBe(true);
      } finally {
        await first.context.close();
      }

      // A new browser: nothing of the first one's storage, the same reader signed in by the host.
      const again = await visit(env, serveArticle(env, '/votes-2', { sso: await ssoToken('voter-1', 'Vera Voter') }));
      try {
        await expect.poll(() => upOf(again, a).getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');
        expect(await upOf(again, a).innerText()).toBe('▲ 1');
        expect(await downOf(again, a).getAttribute('aria-pressed')).toBe('false');
        await expect.poll(() => downOf(again, b).getAttribute('aria-pressed')).toBe('true');
        expect(await upOf(again, b).getAttribute('aria-pressed')).toBe('false');
        const asked = again.requests.find((r) => r.url.pathname === '/api/readers/me/votes');
        expect(asked?.headers.authorization).toMatch(/^Bearer rdr_/);
        expect(again.errors).toEqual([]);
      } finally {
        await again.context.close();
      }

      const guest = await visit(env, serveArticle(env, '/votes-guest'));
      try {
        await expect.poll(() => upOf(guest, a).innerText()).toBe('▲ 1');
        expect(await upOf(guest, a).getAttribute('aria-pressed')).toBe('false');
        expect(await downOf(guest, b).getAttribute('aria-pressed')).toBe('false');
        expect(guest.requests.some((r) => r.url.pathname === '/api/readers/me/votes')).toBe(false);
      } finally {
        await guest.context.close();
      }
    },
    READER_TIMEOUT_MS,
  );
});
