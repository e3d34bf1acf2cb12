import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
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
 * Issue 15: the widget is axe-core clean (WCAG 2.1 A and AA rules, colour contrast included) in the
 * states a reader meets: a thread with votes, badges and editors' picks, the form, the form's errors,
 * and Arabic right to left; and the conversation works from the keyboard with screen-reader labels:
 * the sort switch and the vote buttons are reachable with Tab and work with Enter and Space, pressed
 * states are aria-pressed, and "N new comments" is said in the live region.
 */

const AXE = join(projectRoot, 'node_modules/axe-core/axe.min.js');

let env: WidgetEnv;

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false, votes: 'updown', guestVotes: true });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

/** A page with a conversation worth checking: a reply, votes, Verified and Staff marks, a pick. */
async function seedConversation(page: string): Promise<string[]> {
  const root = randomUUID();
  const ids = await seedThread(env.db.pool, SITE, page, [
    { id: root, at: 0 },
    { parent: root, depth: 1, at: 1000 },
    { at: 2000 },
    { at: 3000 },
  ]);
  await env.db.pool.query('update comments set votes_up = 7, votes_down = 2, top_score = 0.4 where id = $1', [ids[0]]);
  await env.db.pool.query('update comments set author_verified = true, author_staff = true where id = $1', [ids[1]]);
  await env.db.pool.query('update comments set featured_at = now() where id = $1', [ids[2]]);
  return ids;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; summary: string }[];
}

/** axe-core's WCAG 2.1 A/AA rules on the widget (its shadow tree included), violations only. */
async function axeViolations(v: Visit): Promise<Violation[]> {
  if (!(await v.page.evaluate(() => 'axe' in globalThis))) await v.page.addScriptTag({ path: AXE });
  return v.page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (...a: unknown[]) => Promise<{ violations: Violation[] }> } })
      .axe;
    const host = (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
      '#reply-desk',
    );
    const { violations } = await axe.run(host, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return violations.map((x) => ({
      id: x.id,
      impact: x.impact,
      help: x.help,
      nodes: x.nodes.map((n) => ({
        target: n.target,
        summary: (n as unknown as { failureSummary: string }).failureSummary,
      })),
    }));
  });
}

const open = (path: string, o: Parameters<typeof serveHostPage>[2] = {}): Promise<Visit> =>
  // The host page's CSP forbids inline scripts, which is what addScriptTag writes: axe is the test's, not the page's.
  openPage(env, serveHostPage(env, path, o), { bypassCSP: true });

describe('the widget for every reader', () => {
  it(
    'a thread with votes, badges, picks and the form has no WCAG A/AA violations; nor the form with its errors',
    async () => {
      const page = 'a11y-thread';
      const ids = await seedConversation(page);
      const v = await open(`/${page}`, { page });
      try {
        await expect.poll(() => v.widget.locator('aside.rd-picks').isVisible()).toBe(true);
        await expect
          .poll(() =>
            commentIn(v, ids[0]!)
              .getByRole('button', { name: /^Vote up/ })
              .first()
              .innerText(),
          )
          .toBe('▲ 7');
        await expect.poll(() => v.widget.locator('form textarea').count()).toBe(1);
        expect(await axeViolations(v)).toEqual([]);

        // An empty post: the form says what is missing, in place.
        await v.widget.getByRole('button', { name: 'Post Comment' }).click();
        await expect.poll(() => v.widget.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
        expect(await axeViolations(v)).toEqual([]);
        // The API's 422 (what the form was refused for) is the only thing the console saw.
        expect(v.errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'in Arabic, right to left, it has none either',
    async () => {
      const page = 'a11y-arabic';
      await seedConversation(page);
      const v = await open(`/${page}`, { page, dataLang: 'ar' });
      try {
        expect(await v.widget.getAttribute('dir')).toBe('rtl');
        await expect.poll(() => v.widget.locator('aside.rd-picks').isVisible()).toBe(true);
        await expect.poll(() => v.widget.locator('form textarea').count()).toBe(1);
        expect(await axeViolations(v)).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'the sort switch and the vote buttons work from the keyboard, with their state for screen readers',
    async () => {
      const page = 'a11y-keys';
      const ids = await seedConversation(page);
      const v = await open(`/${page}`, { page });
      try {
        const top = v.widget.getByRole('button', { name: 'Top', exact: true });
        await expect.poll(() => top.isVisible()).toBe(true);
        expect(await top.getAttribute('aria-pressed')).toBe('false');
        // Tab from the page's start until the Top button has the focus: it is in the tab order.
        const focused = () =>
          v.page.evaluate(() => {
            const d = (globalThis as unknown as { document: { activeElement: { shadowRoot?: unknown } | null } })
              .document;
            const inner = (d.activeElement?.shadowRoot as { activeElement?: { textContent?: string } } | undefined)
              ?.activeElement;
            return inner?.textContent ?? null;
          });
        let reached = false;
        for (let i = 0; i < 40 && !reached; i++) {
          await v.page.keyboard.press('Tab');
          reached = (await focused()) === 'Top';
        }
        expect(reached).toBe(true);
        await v.page.keyboard.press('Enter');
        await expect.poll(() => top.getAttribute('aria-pressed')).toBe('true');
        const roots = v.widget.locator('ol.rd-list[aria-labelledby] > li');
        // The voted conversation (7 up, 2 down) is first now.
        await expect.poll(() => roots.first().getAttribute('id')).toBe(`comment-${ids[0]}`);

        // On to the first comment's up vote, by Tab alone; Space votes, Space again takes it back.
        const up = commentIn(v, ids[0]!)
          .locator(':scope > article')
          .getByRole('button', { name: /^Vote up/ });
        expect(await up.getAttribute('aria-pressed')).toBe('false');
        reached = false;
        for (let i = 0; i < 40 && !reached; i++) {
          await v.page.keyboard.press('Tab');
          reached = (await focused()) === '▲ 7';
        }
        expect(reached).toBe(true);
        await v.page.keyboard.press('Space');
        await expect.poll(() => up.innerText()).toBe('▲ 8');
        expect(await up.getAttribute('aria-pressed')).toBe('true');
        await v.page.keyboard.press('Space');
        await expect.poll(() => up.innerText()).toBe('▲ 7');
        expect(await up.getAttribute('aria-pressed')).toBe('false');
        // Each vote button names what it does for a screen reader, not just "▲".
        expect(await up.getAttribute('aria-label')).toMatch(/^Vote up/);
        expect(
          await commentIn(v, ids[0]!)
            .locator(':scope > article')
            .getByRole('button', { name: /^Vote down/ })
            .getAttribute('aria-pressed'),
        ).toBe('false');
        expect(v.errors).toEqual([]);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'a comment arriving live is said in the polite live region as "1 new comment"',
    async () => {
      const page = 'a11y-live';
      await seedConversation(page);
      const v = await open(`/${page}`, { page });
      try {
        const region = v.widget.locator('[role="status"][aria-live="polite"]').first();
        await expect.poll(() => region.count()).toBe(1);
        await expect.poll(() => v.requests.some((u) => u.pathname === '/api/live')).toBe(true);
        await v.page.waitForTimeout(500);
        await postComment(env, { author: 'Eve', body: 'Arriving live.', page });
        await expect.poll(() => region.innerText(), { timeout: 30_000 }).toBe('1 new comment');
        expect(await v.widget.getByRole('button', { name: '1 new comment' }).isVisible()).toBe(true);
      } finally {
        await v.context.close();
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
