import { describe, it, expect } from 'vitest';
import { renderCommentHtml } from '../../src/domain/render-comment.js';

interface Tag {
  name: string;
  attributes: Map<string, string>;
}

const allowedTags = new Set(['p', 'br', 'em', 'strong', 'a', 'blockquote', 'code', 'pre', 'ul', 'ol', 'li']);

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_m, dec: string) => String.fromCodePoint(parseInt(dec, 10)))
    .replace(/&colon;/gi, ':')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every opening tag in the output with its attributes (values entity-decoded), as a browser would see them. */
function parseTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)) {
    const attributes = new Map<string, string>();
    for (const a of (m[2] ?? '').matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      attributes.set((a[1] ?? '').toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? ''));
    }
    tags.push({ name: (m[1] ?? '').toLowerCase(), attributes });
  }
  return tags;
}

const embeddingPage = 'https://blog.example/post/1';

/**
 * Resolves the href as a browser on the embedding page would (the URL parser strips leading controls
 * and tabs, folds backslashes): it must be http(s) or mailto, and a scheme-less href must stay on the
 * embedding page's host (a protocol-relative "//evil" would not).
 */
function expectSafeHref(href: string): void {
  let resolved: URL;
  try {
    resolved = new URL(href, embeddingPage);
  } catch {
    return; // A browser cannot follow it either.
  }
  expect(['http:', 'https:', 'mailto:'], `scheme of href ${JSON.stringify(href)}`).toContain(resolved.protocol);
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(href.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, ''));
  if (!hasScheme) expect(resolved.host, `host of relative href ${JSON.stringify(href)}`).toBe('blog.example');
}

/** Fails the test, naming the problem, if the HTML could run script or send the reader anywhere but http(s)/mailto. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<\s*script/i);
  expect(html).not.toMatch(/<\s*(iframe|img|svg|object|embed|style|noscript|math|form|input|base|link|meta)\b/i);
  for (const tag of parseTags(html)) {
    expect(allowedTags, `tag <${tag.name}>`).toContain(tag.name);
    for (const [name, value] of tag.attributes) {
      expect(name, `attribute ${name} on <${tag.name}>`).not.toMatch(/^on/);
      expect(['href', 'rel', 'start'], `attribute ${name} on <${tag.name}>`).toContain(name);
      if (name === 'href') expectSafeHref(value);
    }
  }
}

function links(html: string): Tag[] {
  return parseTags(html).filter((t) => t.name === 'a');
}

describe('renderCommentHtml: the Markdown subset', () => {
  it.each([
    ['plain text', 'Hello there', '<p>Hello there</p>'],
    ['emphasis', '*soft* and _soft_', '<p><em>soft</em> and <em>soft</em></p>'],
    ['strong emphasis', '**loud** and __loud__', '<p><strong>loud</strong> and <strong>loud</strong></p>'],
    ['inline code', 'run `npm test` now', '<p>run <code>npm test</code> now</p>'],
    ['inline code with markup inside', '`<b>x</b>`', '<p><code>&lt;b&gt;x&lt;/b&gt;</code></p>'],
    ['a blockquote', '> quoted', '<blockquote>\n<p>quoted</p>\n</blockquote>'],
    ['a bullet list', '- one\n- two', '<ul>\n<li>one</li>\n<li>two</li>\n</ul>'],
    ['a numbered list', '1. one\n2. two', '<ol>\n<li>one</li>\n<li>two</li>\n</ol>'],
    ['a numbered list starting at 3', '3. three\n4. four', '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'],
    ['a fenced code block', '```\nlet a = 1 < 2;\n```', '<pre><code>let a = 1 &lt; 2;\n</code></pre>'],
    ['an indented code block', '    indented', '<pre><code>indented\n</code></pre>'],
    ['a line break inside a paragraph', 'one\ntwo', '<p>one<br />\ntwo</p>'],
    ['two paragraphs', 'one\n\ntwo', '<p>one</p>\n<p>two</p>'],
    ['a backslash escape', '\\*not emphasis\\*', '<p>*not emphasis*</p>'],
    ['a heading, which is not in the subset', '# Title', '<p># Title</p>'],
  ])('renders %s', (_scenario, text, expected) => {
    expect(renderCommentHtml(text)).toBe(expected);
  });

  it('a fenced code block with a language gets no class attribute', () => {
    const html = renderCommentHtml('```js\nalert(1)\n```');
    expect(html).toContain('alert(1)');
    expect(html).not.toContain('class=');
    expectInert(html);
  });

  it.each([
    ['a Markdown link', '[docs](https://example.org/docs)', 'https://example.org/docs', 'docs'],
    ['an http link', '[x](http://example.org)', 'http://example.org', 'x'],
    ['a mailto link', '[mail me](mailto:ada@example.org)', 'mailto:ada@example.org', 'mail me'],
    ['an autolink', '<https://example.org>', 'https://example.org', 'https://example.org'],
    [
      'a bare URL (linkify)',
      'see https://example.org/x?a=1&b=2 now',
      'https://example.org/x?a=1&b=2',
      'https://example.org/x?a=1&b=2',
    ],
  ])('renders %s as a link with rel="nofollow ugc noopener"', (_scenario, text, href, label) => {
    const html = renderCommentHtml(text);
    const [a, ...rest] = links(html);
    expect(rest).toEqual([]);
    expect(a?.attributes.get('href')).toBe(href);
    expect(a?.attributes.get('rel')).toBe('nofollow ugc noopener');
    expect(html).toContain(`>${label.replace(/&/g, '&amp;')}</a>`);
  });

  it('a link title is dropped', () => {
    const [a] = links(renderCommentHtml('[x](https://example.org "hover text")'));
    expect(a?.attributes.has('title')).toBe(false);
    expect(a?.attributes.get('href')).toBe('https://example.org');
  });

  it('an image becomes a plain link, not an <img>', () => {
    const html = renderCommentHtml('![pic](https://example.org/a.png)');
    expect(html).not.toContain('<img');
    expect(links(html)[0]?.attributes.get('href')).toBe('https://example.org/a.png');
  });
});

describe('renderCommentHtml: hostile input is inert', () => {
  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['a script tag in capitals', '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>'],
    ['an img with onerror', '<img src=x onerror=alert(1)>'],
    ['an svg with onload', '<svg onload=alert(1)>'],
    ['an svg inside a paragraph', 'hi <svg/onload=alert(1)> there'],
    ['an iframe', '<iframe src="javascript:alert(1)"></iframe>'],
    ['an iframe with srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['a raw <a href>', '<a href="javascript:alert(1)">click</a>'],
    ['a raw <a href> to a real site', '<a href="https://example.org">click</a>'],
    ['a style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['a noscript mXSS payload', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
    ['a math/mglyph mXSS payload', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
    ['a form with formaction', '<form><button formaction=javascript:alert(1)>x</button></form>'],
    ['an HTML comment hiding markup', '<!--><img src=x onerror=alert(1)>-->'],
    ['a CDATA section', '<![CDATA[><img src=x onerror=alert(1)>]]>'],
    ['a Markdown javascript: link', '[x](javascript:alert(1))'],
    ['a Markdown JAVASCRIPT: link in capitals', '[x](JAVASCRIPT:alert(1))'],
    ['a Markdown javascript: link in mixed case', '[x](JaVaScRiPt:alert(1))'],
    ['a Markdown javascript: link with a leading space', '[x]( javascript:alert(1))'],
    ['a Markdown javascript: link in angle brackets', '[x](<javascript:alert(1)>)'],
    ['a Markdown javascript: link with a tab inside the scheme', '[x](java\tscript:alert(1))'],
    ['a Markdown javascript: link with an encoded tab', '[x](java&#9;script:alert(1))'],
    ['a Markdown javascript: link with percent-encoding', '[x](javascript%3Aalert(1))'],
    ['an entity-encoded colon (&#58;)', '[x](javascript&#58;alert(1))'],
    ['an entity-encoded colon (&colon;)', '[x](javascript&colon;alert(1))'],
    ['an entity-encoded scheme (&#106;)', '[x](&#106;avascript:alert(1))'],
    ['a hex entity-encoded scheme', '[x](&#x6A;&#x61;vascript:alert(1))'],
    ['a data: link', '[x](data:text/html,<script>alert(1)</script>)'],
    ['a base64 data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a vbscript: link', '[x](vbscript:msgbox(1))'],
    ['a file: link', '[x](file:///etc/passwd)'],
    ['a protocol-relative link', '[x](//evil.example/path)'],
    ['a backslash protocol-relative link', '[x](\\\\evil.example)'],
    ['an autolink with javascript:', '<javascript:alert(1)>'],
    ['a reference-style javascript: link', '[x][1]\n\n[1]: javascript:alert(1)'],
    ['a javascript: image', '![x](javascript:alert(1))'],
    ['a link whose text holds markup', '[<img src=x onerror=alert(1)>](https://example.org)'],
    ['a link whose URL tries to break out of the attribute', '[x](https://example.org/"onmouseover="alert(1))'],
    ['a bare URL that tries to break out of the attribute', 'https://example.org/"><script>alert(1)</script>'],
    ['markup inside a fenced code block', '```\n<script>alert(1)</script>\n```'],
    ['markup inside inline code', '`<img src=x onerror=alert(1)>`'],
    ['markup inside a blockquote', '> <script>alert(1)</script>'],
    ['markup inside a list item', '- <img src=x onerror=alert(1)>'],
    ['a NUL inside a tag name', '<scr\u0000ipt>alert(1)</script>'],
  ])('%s', (_scenario, text) => {
    expectInert(renderCommentHtml(text));
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](data:text/html,hi)'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](//evil.example/path)'],
    ['[x](javascript&#58;alert(1))'],
  ])('%j leaves no link with an href', (text) => {
    for (const a of links(renderCommentHtml(text))) expect(a.attributes.has('href')).toBe(false);
  });

  it('raw HTML is shown as text, so the reader sees what was typed', () => {
    expect(renderCommentHtml('<b>bold</b>')).toBe('<p>&lt;b&gt;bold&lt;/b&gt;</p>');
  });

  it('an img tag typed by the reader does not survive as an element', () => {
    const html = renderCommentHtml('<img src=x onerror=alert(1)>');
    expect(parseTags(html).map((t) => t.name)).toEqual(['p']);
    expect(html).toContain('&lt;img');
  });
});

describe('the inertness checker itself', () => {
  it.each([
    ['<p><script>x</script></p>'],
    ['<p><img src=x onerror=alert(1)></p>'],
    ['<p onclick="x">a</p>'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['<a href="&#106;avascript:alert(1)">x</a>'],
    ['<a href=" data:text/html,hi">x</a>'],
    ['<a href="//evil.example">x</a>'],
    ['<a href="https://ok.example" style="x">x</a>'],
  ])('flags %j', (html) => {
    expect(() => expectInert(html)).toThrow();
  });

  it('passes a safe link', () => {
    expect(() =>
      expectInert('<p><a href="https://ok.example/?a=1&amp;b=2" rel="nofollow ugc noopener">x</a></p>'),
    ).not.toThrow();
  });
});
