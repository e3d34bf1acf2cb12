import type { BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../support/harness.js';
import {
  DEMO_PAGE,
  DEMO_SITE,
  E2E_TIMEOUT_MS,
  expectPublished,
  postDemoComment,
  startDemoEnv,
  type DemoEnv,
} from './demo-env.js';

/*
 * A hostile thread, published and opened in a browser WITH JavaScript: nothing a reader typed may run.
 * Every payload that would run sets window.__pwned or opens a dialog, so either shows a hole. The page
 * is checked twice: as served (behind its Content-Security-Policy), and with the CSP bypassed, because
 * the markup itself must be inert; the CSP is the second wall, not the first.
 */

const PWN = 'window.__pwned=1;alert(1)';

/** Comment texts: raw HTML, mutation-XSS shapes, and Markdown link tricks. */
const hostileBodies: string[] = [
  `<script>${PWN}</script>`,
  `<img src=x onerror="${PWN}">`,
  `<svg onload="${PWN}"><circle r=1></svg>`,
  `<iframe src="javascript:${PWN}"></iframe><iframe srcdoc="<script>${PWN}</script>"></iframe>`,
  `<a href="javascript:${PWN}">raw link</a> <a href="javas&#99;ript:${PWN}">entity link</a>`,
  `<<script>script>${PWN}<</script>/script>`,
  `<style>body{display:none}</style><link rel=stylesheet href=//evil.example/x.css><base href=//evil.example/>`,
  `<object data="javascript:${PWN}"></object><embed src="javascript:${PWN}"><form action="javascript:${PWN}"><button>go</button></form>`,
  // Mutation XSS: markup that changes meaning when a sanitiser's output is parsed again.
  `<noscript><p title="</noscript><img src=x onerror=${PWN}>">`,
  `<svg></p><style><a id="</style><img src=1 onerror=${PWN}>">`,
  `<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=${PWN}&gt;">`,
  `<form><math><mtext></form><form><mglyph><style></math><img src onerror=${PWN}>`,
  // Markdown link tricks.
  `[plain](javascript:${PWN})`,
  `[mixed case](JaVaScRiPt:${PWN})`,
  `[entity colon](javascript&#58;${PWN})`,
  `[entity letter](&#106;avascript:${PWN})`,
  `[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+)`,
  `[vb](vbscript:msgbox(1))`,
  `<javascript:${PWN}>`,
  `[quote break](https://ok.example/"onmouseover="${PWN})`,
  `[title break](https://ok.example "a\\" onmouseover=\\"${PWN}")`,
  `![image](https://ok.example/x.png" onerror="${PWN})`,
  `[<img src=x onerror=${PWN}>](https://ok.example/)`,
  `[ref][1]\n\n[1]: javascript:${PWN}`,
  '`<script>window.__pwned=1</script>` and\n\n```html\n<script>window.__pwned=1</script>\n```',
  `> <svg onload=${PWN}>`,
  // Benign links that must survive, with the reader-link rel.
  '[a fine link](https://ok.example/page) and [mail me](mailto:reader@example.com) and www.example.org',
];

/** Names and websites that try to break out of the attribute or text they land in. */
const hostileAuthors: { author: string; url: string }[] = [
  { author: `<script>${PWN}</script>`, url: '' },
  { author: `"><img src=x onerror=${PWN}>`, url: `https://ok.example/"><script>${PWN}</script>` },
  { author: `' onmouseover='${PWN}`, url: `https://ok.example/' onmouseover='${PWN}` },
];

/** Websites the API must refuse outright: only http(s) addresses are links. */
const refusedWebsites = [
  `javascript:${PWN}`,
  `JAVASCRIPT:${PWN}`,
  `  javascript:${PWN}`,
  `data:text/html,<script>${PWN}</script>`,
  'vbscript:msgbox(1)',
  '//evil.example/',
];

/** Elements the thread may contain: the page's own markup plus the sanitiser's allow-list. */
const ALLOWED_THREAD_TAGS = new Set([
  'LI',
  'ARTICLE',
  'FOOTER',
  'B',
  'SPAN',
  'A',
  'TIME',
  'DIV',
  'OL',
  'P',
  'BR',
  'EM',
  'STRONG',
  'BLOCKQUOTE',
  'CODE',
  'PRE',
  'UL',
]);

let env: DemoEnv;
const ids: string[] = [];
let hostileNameId = '';

beforeAll(async () => {
  // Link-heavy comments would be held at the default of 2 links; here everything must be published.
  env = await startDemoEnv({ holdFirstTime: false, holdLinks: 0 });
  for (const [i, body] of hostileBodies.entries()) {
    ids.push(await postDemoComment(env.api, { author: `Tester ${i}`, email: `t${i}@example.com`, body }));
  }
  for (const [i, a] of hostileAuthors.entries()) {
    ids.push(
      await postDemoComment(env.api, {
        author: a.author,
        url: a.url,
        email: `n${i}@example.com`,
        body: `Name test ${i}`,
      }),
    );
  }
  hostileNameId = ids[hostileBodies.length] as string;
  // The worker refuses a reply to a comment that is not published yet, so the parent goes first.
  await expectPublished(env, hostileNameId);
  ids.push(
    await postDemoComment(env.api, {
      author: 'Replier',
      email: 'r@example.com',
      body: 'A reply under a hostile name.',
      parent: hostileNameId,
    }),
  );
  for (const id of ids) await expectPublished(env, id);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
  await env?.close();
}, E2E_TIMEOUT_MS);

interface Visit {
  page: Page;
  response: Response;
  dialogs: string[];
  errors: string[];
}

/** Opens a demo URL with JavaScript on, recording dialogs, script errors and console errors. */
async function visit(context: BrowserContext, path: string): Promise<Visit> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser asks for /favicon.ico by itself and the service has none; that 404 is no symptom.
    const from = m.location().url;
    if (m.type() === 'error' && !from.endsWith('/favicon.ico')) errors.push(`console: ${m.text()} at ${from}`);
  });
  const response = await page.goto(`${env.api.url}${path}`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  // onerror/onload handlers of broken images fire just after load; give them the chance.
  await page.waitForTimeout(500);
  return { page, response: response as Response, dialogs, errors };
}

/** Everything that shows reader input ran nothing and carries nothing that could. */
async function expectInert({ page, dialogs, errors }: Visit): Promise<void> {
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(errors).toEqual([]);

  const thread = await page.locator('#comments').evaluate((root) => {
    const els = [...root.querySelectorAll('ol.comment-list *')];
    return {
      tags: [...new Set(els.map((e) => e.tagName))],
      onAttributes: [...root.querySelectorAll('*')].flatMap((e) =>
        [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName} ${a.name}`),
      ),
      contentLinks: [...root.querySelectorAll('.comment-content a')].map((a) => ({
        href: a.getAttribute('href'),
        rel: a.getAttribute('rel'),
        text: a.textContent,
      })),
      authorLinks: [...root.querySelectorAll('.comment-meta .fn a')].map((a) => ({
        href: (a as unknown as { href: string }).href,
        rel: a.getAttribute('rel'),
      })),
      // Every link on the page, resolved: nothing may navigate to script.
      schemes: [...root.ownerDocument.querySelectorAll('a[href]')].map(
        (a) => new URL((a as unknown as { href: string }).href).protocol,
      ),
    };
  });
  expect(thread.tags.filter((t) => !ALLOWED_THREAD_TAGS.has(t))).toEqual([]);
  expect(thread.onAttributes).toEqual([]);
  // Where each link may point is the last test's business; here: none passes rank or window.opener.
  for (const link of thread.contentLinks) expect(link.rel, JSON.stringify(link)).toBe('nofollow ugc noopener');
  for (const link of thread.authorLinks) {
    expect(link.href).toMatch(/^https?:\/\//);
    expect(link.rel).toBe('nofollow ugc noopener');
  }
  expect(thread.schemes.filter((s) => !['http:', 'https:', 'mailto:'].includes(s))).toEqual([]);
}

describe('a thread of hostile comments on the demo page', () => {
  it(
    'refuses websites that are not http(s) with a 422 and never stores them',
    async () => {
      for (const [i, url] of refusedWebsites.entries()) {
        const res = await postJson(
          env.api,
          {
            site: DEMO_SITE,
            page: DEMO_PAGE,
            author: `Web ${i}`,
            email: `w${i}@example.com`,
            url,
            body: `Website test ${i}`,
          },
          { origin: env.api.origin },
        );
        const body = (await res.json()) as { error?: { code?: string; field?: string } };
        expect({ url, status: res.status, code: body.error?.code, field: body.error?.field }).toEqual({
          url,
          status: 422,
          code: 'INVALID_URL',
          field: 'url',
        });
      }
      const { rows } = await env.db.pool.query(
        "select count(*)::int as n from comments where body like 'Website test%'",
      );
      expect(rows[0].n).toBe(0);
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'publishes every hostile comment and the page runs none of it, behind a CSP that forbids scripts',
    async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: true });
      try {
        const v = await visit(context, '/');
        const csp = v.response.headers()['content-security-policy'] ?? '';
        expect(csp).toMatch(/(^|;)\s*default-src 'none'\s*(;|$)/);
        expect(csp).toMatch(/(^|;)\s*script-src 'self'\s*(;|$)/);
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(await v.page.locator('ol.comment-list li.comment').count()).toBe(ids.length);
        await expectInert(v);
        // The payloads are shown as the text the reader typed, not swallowed.
        const text = await v.page.locator('ol.comment-list').innerText();
        expect(text).toContain('<script>window.__pwned=1;alert(1)</script>');
        expect(text).toContain(`<img src=x onerror="${PWN}">`);
        // And the benign links still work as links.
        const fine = v.page.locator('.comment-content a', { hasText: 'a fine link' });
        expect(await fine.getAttribute('href')).toBe('https://ok.example/page');
        expect(await v.page.locator('.comment-content a[href="mailto:reader@example.com"]').count()).toBe(1);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'the markup is inert on its own: nothing runs even with the CSP bypassed',
    async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
      try {
        await expectInert(await visit(context, '/'));
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'replying to a hostile name shows the name as text in the form heading',
    async () => {
      const context = await env.browser.newContext({ javaScriptEnabled: true, bypassCSP: true });
      try {
        const v = await visit(context, `/?replytocom=${hostileNameId}#respond`);
        await expectInert(v);
        expect(await v.page.locator('#reply-title').innerText()).toContain(`Leave a Reply to <script>${PWN}</script>`);
        expect(await v.page.locator('#reply-title *').evaluateAll((els) => els.map((e) => e.tagName))).toEqual([
          'SMALL',
          'A',
        ]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );

  it(
    'a link in reader text is an absolute http(s) or mailto link, and a refused link leaves no empty <a>',
    async () => {
      // Not script, but links the reader did not mean to be links: a relative href resolves on whatever
      // site embeds the thread, and an <a> whose href was stripped still looks like a link that does nothing.
      const bodies: Record<string, string> = {
        relative: '[relative](/wp-admin/profile.php)',
        query: '[query](?replytocom=1)',
        backslash: '[backslash](\\\\evil.example/)',
        protocolRelative: '[protocol relative](//evil.example/path)',
        dataImage: '[data image](data:image/png;base64,iVBORw0KGgo=)',
      };
      const posted: string[] = [];
      for (const [name, body] of Object.entries(bodies)) {
        posted.push(
          await postDemoComment(env.api, { author: `Links ${name}`, email: `links-${name}@example.com`, body }),
        );
      }
      for (const id of posted) await expectPublished(env, id);

      const context = await env.browser.newContext({ javaScriptEnabled: true });
      try {
        const v = await visit(context, '/');
        await expectInert(v);
        const offending = await v.page.locator('.comment-content a').evaluateAll((as) =>
          as
            .map((a) => ({
              author: a.closest('li.comment')?.querySelector('.fn')?.textContent ?? '',
              href: a.getAttribute('href'),
            }))
            .filter((l) => l.href === null || !/^(https?:\/\/|mailto:)/i.test(l.href)),
        );
        expect(offending).toEqual([]);
      } finally {
        await context.close();
      }
    },
    E2E_TIMEOUT_MS,
  );
});
