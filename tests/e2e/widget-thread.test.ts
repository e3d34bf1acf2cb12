import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS_DIR,
  WIDGET_TIMEOUT_MS,
  approve,
  commentIn,
  openPage,
  postComment,
  publishComment,
  seedThread,
  serveHostPage,
  turnToForm,
  startWidgetEnv,
  type Visit,
  type WidgetEnv,
} from './widget-env.js';

/*
 * The widget reading a thread on a customer's page of another origin, in a real Chromium: nesting,
 * links, permalinks, paging a long thread, hostile comments and a hostile host stylesheet, the colour
 * schemes and a second language. Screenshots land in test-artifacts/ for people to look at.
 */

/** The few browser globals these tests touch inside page.evaluate (the test tsconfig has no DOM lib). */
interface BrowserWindow {
  getComputedStyle(
    el: unknown,
  ): Record<'color' | 'backgroundColor' | 'borderRadius' | 'fontFamily' | 'letterSpacing' | 'fontSize', string>;
  location: { hash: string };
}

let env: WidgetEnv;
let ann = '';
let bob = '';
let cy = '';

beforeAll(async () => {
  env = await startWidgetEnv({ holdFirstTime: false }, { replyMail: true });
  ann = await publishComment(env, {
    author: 'Ann Example',
    url: 'https://ann.example/',
    body: 'The *first* comment, with [a link](https://example.org/).',
  });
  bob = await publishComment(env, { author: 'Bob', body: 'A reply to Ann.\n\n> quoted\n\nand `code`.', parent: ann });
  cy = await publishComment(env, { author: 'Cy', body: 'A second conversation.' });
}, WIDGET_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, WIDGET_TIMEOUT_MS);

async function close(v: Visit): Promise<void> {
  await v.context.close();
}

describe('the widget on a page of another origin', () => {
  it(
    'renders the thread with replies nested, author links, relative times and permalinks, under a strict host CSP',
    async () => {
      const url = serveHostPage(env, '/article');
      const v = await openPage(env, url);
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('3 Comments');
        // Bob's reply sits in Ann's replies list; Cy is a second top-level comment.
        expect(await v.widget.locator(`li#comment-${ann} > ol.rd-replies > li#comment-${bob}`).count()).toBe(1);
        expect(
          await v.widget.locator('ol.rd-list[aria-labelledby] > li').evaluateAll((lis) => lis.map((li) => li.id)),
        ).toEqual([`comment-${ann}`, `comment-${cy}`]);

        const author = commentIn(v, ann).locator('.rd-author').first();
        expect(await author.innerText()).toBe('Ann Example');
        expect(await author.getAttribute('href')).toBe('https://ann.example/');
        expect(await author.getAttribute('rel')).toBe('nofollow ugc noopener');
        expect(
          await commentIn(v, bob)
            .locator('.rd-author')
            .evaluate((e) => e.tagName),
        ).toBe('SPAN');
        expect(await commentIn(v, ann).locator('.rd-body em').first().innerText()).toBe('first');
        expect(await commentIn(v, ann).locator('.rd-body a').first().getAttribute('rel')).toBe('nofollow ugc noopener');
        expect(await commentIn(v, bob).locator('.rd-body blockquote').innerText()).toBe('quoted');

        const time = commentIn(v, cy).locator('.rd-time').first();
        expect(await time.innerText()).toMatch(/^(now|\d+ (seconds?|minutes?) ago)$/);
        expect(await time.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
        expect(await time.getAttribute('href')).toBe(`${url}#comment-${cy}`);

        // The form, as WordPress words it, with the site's required fields (and, mail being set up here,
        // reply notifications).
        const form = v.widget.locator('form');
        expect(await v.widget.locator('h3').innerText()).toBe('Leave a Reply');
        expect(await form.locator('.rd-notes').innerText()).toBe(
          'Your email address will not be published. Required fields are marked *',
        );
        // The rest of the form comes when the reader turns to it.
        expect((await form.locator('label').allInnerTexts()).map((l) => l.trim())).toEqual(['Comment *']);
        await turnToForm(v);
        expect((await form.locator('label').allInnerTexts()).map((l) => l.trim())).toEqual([
          'Comment *',
          'Name *',
          'Email *',
          'Website',
          'Save my name, email, and website in this browser for the next time I comment.',
          'Notify me of replies by mail (the first time, we send a link to confirm).',
        ]);
        expect(await form.getByLabel('Save my name').isChecked()).toBe(false);
        // The API serves a flag endpoint, so each comment has a Report button.
        expect(await v.widget.getByRole('button', { name: 'Report' }).count()).toBe(3);
        // Styled (a constructed stylesheet: the host's CSP allows no inline style) and error-free.
        expect(
          await v.widget
            .locator('.rd-submit')
            .evaluate((b) => (globalThis as unknown as BrowserWindow).getComputedStyle(b).borderRadius),
        ).toBe('6px');
        expect(v.errors).toEqual([]);
        await v.page.locator('#reply-desk').screenshot({ path: join(ARTIFACTS_DIR, 'widget-light.png') });

        // A permalink: the comment is brought into view, marked and focused.
        await time.click();
        await expect.poll(() => commentIn(v, cy).getAttribute('class')).toContain('rd-target');
        expect(await v.page.evaluate(() => (globalThis as unknown as BrowserWindow).location.hash)).toBe(
          `#comment-${cy}`,
        );

        // Report: pick a reason; the flag is stored once for this reader (hashed, no IP in the clear).
        await commentIn(v, cy).getByRole('button', { name: 'Report' }).click();
        await commentIn(v, cy).getByRole('button', { name: 'Abusive' }).click();
        await expect.poll(() => commentIn(v, cy).locator('.rd-flagged').innerText()).toBe('Reported. Thank you.');
        const flags = await env.db.pool.query('select reason, reporter from flags where comment_id = $1', [cy]);
        expect(flags.rows).toHaveLength(1);
        expect(flags.rows[0].reason).toBe('abuse');
        expect(flags.rows[0].reporter).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'follows a dark colour scheme, and speaks German on a German page',
    async () => {
      const url = serveHostPage(env, '/dark');
      const v = await openPage(env, url, { colorScheme: 'dark' });
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('3 Comments');
        expect(
          await v.widget.evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e).backgroundColor),
        ).toBe('rgb(13, 17, 23)');
        expect(await v.widget.evaluate((e) => (globalThis as unknown as BrowserWindow).getComputedStyle(e).color)).toBe(
          'rgb(230, 237, 243)',
        );
        await v.page.locator('#reply-desk').screenshot({ path: join(ARTIFACTS_DIR, 'widget-dark.png') });
      } finally {
        await close(v);
      }
      const de = await openPage(env, serveHostPage(env, '/de', { lang: 'de-DE' }));
      try {
        await expect.poll(() => de.widget.locator('h2').innerText()).toBe('3 Kommentare');
        expect(await de.widget.locator('h3').innerText()).toBe('Schreibe einen Kommentar');
        expect(await de.widget.locator('form').getByRole('textbox', { name: 'Kommentar', exact: true }).count()).toBe(
          1,
        );
        expect(await commentIn(de, ann).getByRole('button', { name: 'Ann Example antworten' }).count()).toBe(1);
      } finally {
        await close(de);
      }
      // data-lang wins over the page's lang.
      const en = await openPage(env, serveHostPage(env, '/de-en', { lang: 'de', dataLang: 'en' }));
      try {
        await expect.poll(() => en.widget.locator('h2').innerText()).toBe('3 Comments');
      } finally {
        await close(en);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'renders hostile comments as inert text, even HTML that slipped past the server',
    async () => {
      const page = 'hostile';
      const bodies = [
        '<img src=x onerror="window.__pwned=1;alert(1)">',
        '<svg onload="window.__pwned=1;alert(1)"><circle r=1></svg>',
        '[click me](javascript:window.__pwned=1;alert(1))',
        '<a href="javascript:window.__pwned=1">raw link</a>',
      ];
      const ids: string[] = [];
      for (const body of bodies)
        ids.push(
          await publishComment(env, {
            author: `<img src=x onerror=alert(1)>`,
            url: 'https://ok.example/"><script>alert(1)</script>',
            body,
            page,
          }),
        );
      // A second wall: HTML the sanitiser should never have let through (a bug, a tampered row).
      const tampered = ids[0] as string;
      await env.db.pool.query('update comments set body_html = $2 where id = $1', [
        tampered,
        '<p>tampered</p><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script><a href="javascript:window.__pwned=1" onclick="window.__pwned=1">js</a><iframe src="javascript:window.__pwned=1"></iframe>',
      ]);
      const v = await openPage(env, serveHostPage(env, '/hostile', { page }));
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('4 Comments');
        await v.page.waitForTimeout(300);
        expect(v.dialogs).toEqual([]);
        expect(await v.page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
        const text = await v.widget.locator('ol.rd-list').first().innerText();
        expect(text).toContain('<svg onload="window.__pwned=1;alert(1)">');
        expect(text).toContain('<img src=x onerror=alert(1)>');
        const found = await v.widget.evaluate((root) => {
          const all = [...root.querySelectorAll('*')];
          return {
            // The authors' avatars are the widget's own <img> (the API's URL, never reader markup).
            tags: [...new Set(all.filter((e) => !e.matches('.rd-meta > img.rd-avatar')).map((e) => e.tagName))].filter(
              (t) => ['SCRIPT', 'IMG', 'SVG', 'IFRAME'].includes(t.toUpperCase()),
            ),
            handlers: all.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
            hrefs: [...root.querySelectorAll('a[href]')].map(
              (a) => new URL((a as unknown as { href: string }).href).protocol,
            ),
          };
        });
        expect(found.tags).toEqual([]);
        expect(found.handlers).toEqual([]);
        expect(found.hrefs.filter((p) => p !== 'http:' && p !== 'https:' && p !== 'mailto:')).toEqual([]);
        expect(await commentIn(v, tampered).locator('.rd-body').innerText()).toContain('tampered');
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'stays visible and readable on a host page whose CSS hides and recolours everything',
    async () => {
      const hostile = `<style>
      * { color: red !important; font-family: "Comic Sans MS", cursive !important; letter-spacing: 4px !important; }
      div, section, ol, li, article, form, p, button, input, textarea, label, h2, h3, span, a { display: none !important; }
      #reply-desk { display: none !important; visibility: hidden !important; opacity: 0 !important; }
      html { font-size: 6px !important; }
    </style>`;
      const v = await openPage(env, serveHostPage(env, '/hostile-css', { head: hostile, csp: false }));
      try {
        const heading = v.widget.locator('h2');
        await expect.poll(() => heading.innerText()).toBe('3 Comments');
        expect(await heading.isVisible()).toBe(true);
        expect(await v.widget.locator('form').getByRole('textbox', { name: 'Comment', exact: true }).isVisible()).toBe(
          true,
        );
        expect(await commentIn(v, bob).isVisible()).toBe(true);
        const style = await commentIn(v, ann)
          .locator('.rd-body p')
          .first()
          .evaluate((p) => {
            const s = (globalThis as unknown as BrowserWindow).getComputedStyle(p);
            return { color: s.color, font: s.fontFamily, spacing: s.letterSpacing, size: s.fontSize };
          });
        expect(style.color).toBe('rgb(31, 35, 40)');
        expect(style.font).not.toMatch(/Comic/);
        expect(style.spacing).toBe('normal');
        expect(style.size).toBe('16px');
        await v.page.locator('#reply-desk').screenshot({ path: join(ARTIFACTS_DIR, 'widget-hostile-host-css.png') });
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'pages through a 2,000-comment thread a page at a time, oldest or newest first',
    async () => {
      const page = 'long-thread';
      await seedThread(env.db.pool, page, 2000);
      const v = await openPage(env, serveHostPage(env, '/long', { page }));
      try {
        const items = v.widget.locator('ol.rd-list[aria-labelledby] > li');
        // The count is written as the language writes numbers (Intl.NumberFormat): 2,000 in English.
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('2,000 Comments');
        expect(await items.count()).toBe(30);
        // The thread's pages (the conversation part's request for the editors' picks is not one).
        const threadRequests = (): URL[] =>
          v.requests.filter((u) => u.pathname === '/api/comments' && !u.searchParams.has('featured'));
        expect(threadRequests().map((u) => u.searchParams.get('limit'))).toEqual(['30']);
        expect(await items.first().locator('.rd-body').innerText()).toBe('Comment number 1');

        const more = v.widget.getByRole('button', { name: 'Load more comments' });
        await more.click();
        await expect.poll(() => items.count()).toBe(60);
        expect(await items.nth(30).locator('.rd-body').innerText()).toBe('Comment number 31');
        expect(threadRequests()[1]?.searchParams.get('cursor')).toBeTruthy();

        await v.widget.getByRole('button', { name: 'Newest' }).click();
        await expect.poll(() => items.first().locator('.rd-body').innerText()).toBe('Comment number 2000');
        expect(await items.count()).toBe(30);
        expect(await v.widget.getByRole('button', { name: 'Newest' }).getAttribute('aria-pressed')).toBe('true');
        await more.click();
        await expect.poll(() => items.count()).toBe(60);
        expect(await items.nth(59).locator('.rd-body').innerText()).toBe('Comment number 1941');
        expect(threadRequests().every((u) => Number(u.searchParams.get('limit')) <= 30)).toBe(true);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'newest first keeps each conversation together: a root, then its replies in the order written',
    async () => {
      const v = await openPage(env, serveHostPage(env, '/newest'));
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('3 Comments');
        await v.widget.getByRole('button', { name: 'Newest' }).click();
        const roots = v.widget.locator('ol.rd-list[aria-labelledby] > li');
        await expect
          .poll(() => roots.evaluateAll((lis) => lis.map((li) => li.id)))
          .toEqual([`comment-${cy}`, `comment-${ann}`]);
        expect(await v.widget.locator(`li#comment-${ann} > ol.rd-replies > li#comment-${bob}`).count()).toBe(1);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});

describe('where the widget may run', () => {
  it(
    'an origin no site lists gets no thread (CORS), and one listed by another site is refused by this one',
    async () => {
      // The same host server as localhost: a different origin, in no site's list.
      serveHostPage(env, '/elsewhere');
      const stranger = await openPage(env, `${env.host.otherOrigin}/elsewhere`);
      try {
        await expect
          .poll(() => stranger.widget.locator('.rd-error').innerText())
          .toBe('The comments could not be loaded.');
        expect(await stranger.widget.locator('form').count()).toBe(0);
      } finally {
        await close(stranger);
      }
      // Now another site lists that origin, so CORS lets the browser read answers: demo's say no.
      await env.db.pool.query(
        "insert into sites (id, name, allowed_origins, settings) values ('other', 'Other', $1, '{}')",
        [[env.host.otherOrigin]],
      );
      await env.api.sites.refresh();
      const other = await openPage(env, `${env.host.otherOrigin}/elsewhere`);
      try {
        await expect
          .poll(() => other.widget.locator('.rd-error').innerText())
          .toBe('Comments are not enabled for this address.');
        const status = await other.page.evaluate(async (api) => {
          const r = await fetch(`${api}/api/comments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ site: 'demo', page: 'x', author: 'A', email: 'a@example.com', body: 'hi' }),
          });
          return { status: r.status, code: ((await r.json()) as { error: { code: string } }).error.code };
        }, env.api.url);
        expect(status).toEqual({ status: 403, code: 'ORIGIN_NOT_ALLOWED' });
      } finally {
        await close(other);
      }
    },
    WIDGET_TIMEOUT_MS,
  );

  it(
    'the demo article carries the widget over its server-rendered thread, behind a CSP that admits only its own script',
    async () => {
      // The demo article's page id; its thread is empty in this database until this post.
      const id = await postComment(env, { author: 'Demo Reader', body: 'On the demo article.', page: 'demo-article' });
      await approve(env.db.pool, id);
      const v = await openPage(env, `${env.api.url}/`);
      try {
        await expect.poll(() => v.widget.locator('h2').innerText()).toBe('1 Comment');
        const response = await v.page.request.get(`${env.api.url}/`);
        expect(response.headers()['content-security-policy']).toMatch(/script-src 'self';/);
        expect(response.headers()['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
        // The server's copy is still in the page for readers without JavaScript, hidden by the widget.
        expect(await v.page.locator('#commentform').isVisible()).toBe(false);
        expect(await commentIn(v, id).locator('.rd-author').innerText()).toBe('Demo Reader');
        expect(v.errors).toEqual([]);
      } finally {
        await close(v);
      }
    },
    WIDGET_TIMEOUT_MS,
  );
});
