import { describe, expect, it } from 'vitest';
import { htmlToCommentText } from '../../src/import/html-to-text.js';
import { MARKUP_BUDGET, markupCost } from '../../src/domain/comment-markdown.js';
import { renderCommentHtml } from '../../src/domain/render-comment.js';

/*
 * Hostile inputs of issue 11 item 5 that are pure functions: HTML from imports and Markdown bodies
 * built to make the converter or the renderer do quadratic (or merely enormous) work. The bounds are
 * absolute but far below what the old code took on the same inputs (noted per case), so a loaded
 * machine passes and a regression fails.
 */

function millis(f: () => void): number {
  const started = performance.now();
  f();
  return performance.now() - started;
}

/** Repeats `unit` to about `length` characters. */
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('HTML-to-text of imported comments is linear', () => {
  // 300 KB each (the comment of the report was 360 KB and took 44 s). Before: every unclosed tag made a
  // regular expression scan to the end of the text, so 100 KB took 0.2 s (unclosed links) to 14 s
  // (`<b` repeated) and over a minute (a run of spaces), growing with the square; now milliseconds.
  it.each([
    ['unclosed links', '<a href="https://x.example/">'],
    ['tags without a closing >', '<a '],
    ['letters after <', '<b'],
    ['unclosed comments', '<!--'],
    ['unclosed scripts', '<script>'],
    ['unclosed pre', '<pre>'],
    ['unclosed quotes', '<blockquote>'],
    ['nested quotes', '<blockquote><p>q</p>'],
    ['a run of spaces', ' '],
    ['entities', '&amp;&#1;&bogus;'],
  ])('%s: 300 KB converts in a few seconds at most (old: 2 s to minutes; now milliseconds)', (_name, unit) => {
    const input = `${fill(unit, 300_000)}x`;
    htmlToCommentText(input.slice(0, 1000)); // warm up
    const ms = millis(() => htmlToCommentText(input));
    // Bounds sit far from both sides, so a loaded CI machine (a pause, another test file) cannot flip them.
    expect(ms).toBeLessThan(3000);
  });

  it('a 2 MB hostile comment converts in seconds at most, where quadratic work would take hours', () => {
    // An absolute bound far from both sides rather than a ratio of timings: on a loaded machine one
    // pause decides a ratio of milliseconds. The old code took 14 s for 100 KB of this; 2 MB, ~400×.
    const large = fill('<a x<b y<!-- <pre><blockquote>   ', 2_000_000);
    const ms = millis(() => htmlToCommentText(large));
    console.log(`[bad-input-f] HTML-to-text: ${ms.toFixed(0)} ms for 2 MB`);
    expect(ms).toBeLessThan(5000);
  });

  it('still converts what the subset can say, with deep quotes read flat past five levels', () => {
    expect(htmlToCommentText('<p>a <a href="https://x.example/">x <b>y</b></a> <i>i</i></p><pre>1 &lt; 2</pre>')).toBe(
      'a [x y](https://x.example/) *i*\n\n```\n1 < 2\n```',
    );
    const deep = `${'<blockquote>'.repeat(50)}deep${'</blockquote>'.repeat(50)}`;
    expect(htmlToCommentText(deep)).toBe('> > > > > deep');
    expect(htmlToCommentText('<a href="https://x.example/">never closed')).toBe('[never closed](https://x.example/)');
    expect(htmlToCommentText('before<script>never closed')).toBe('before');
  });
});

describe('Markdown bodies have a rendering budget', () => {
  // 65 KB bodies (the intake limit). Before: `a@b.co ` made 9,000 links (0.9 s), `**a` 0.7 s,
  // `https://a.example/ ` 0.3 s, `a\n` 0.5 s, `<http://a` 0.6 s, `*` × n + `a` + `*` × n 0.2 s.
  const pathological = [
    ['emails', 'a@b.co '],
    ['strong delimiters', '**a'],
    ['links', 'https://a.example/ '],
    ['line breaks', 'a\n'],
    ['autolinks', '<http://a'],
    ['emphasis', '*_[`'],
    ['brackets', '[a]('],
    ['entities', '&amp;'],
  ] as const;

  it.each(pathological)('%s past the budget render as escaped plain text', (_name, unit) => {
    const body = fill(unit, 65_000);
    expect(markupCost(body)).toBeGreaterThan(MARKUP_BUDGET);
    const html = renderCommentHtml(body);
    expect(html).not.toMatch(/<(a|em|strong|code|blockquote)\b/);
    expect(html.startsWith('<p>')).toBe(true);
  });

  it('all of them together render in a small fraction of the old 3.5 s', () => {
    for (const [, unit] of pathological) renderCommentHtml(fill(unit, 1000));
    const ms = millis(() => {
      for (const [, unit] of pathological) renderCommentHtml(fill(unit, 65_000));
    });
    expect(ms).toBeLessThan(1500);
  });

  it('a body just under the budget (the worst kind) still renders as Markdown, in bounded time', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. ';
    const body = `${'**a**'.repeat(Math.floor(MARKUP_BUDGET / 4))}${prose.repeat(1200)}`.slice(0, 65_000);
    expect(markupCost(body)).toBeLessThanOrEqual(MARKUP_BUDGET);
    renderCommentHtml(body);
    const ms = millis(() => renderCommentHtml(body));
    expect(renderCommentHtml(body)).toContain('<strong>a</strong>');
    expect(ms).toBeLessThan(1000);
  });

  it('plain-text rendering keeps the text, escaped, with its lines', () => {
    const body = `${'<b>&"\''.repeat(2500)}\nnext line\n\nnew paragraph`;
    expect(markupCost(body)).toBeGreaterThan(MARKUP_BUDGET);
    const html = renderCommentHtml(body);
    expect(html).toMatch(/^<p>(&lt;b&gt;&amp;&quot;&#39;){2500}<br>\nnext line<\/p>\n<p>new paragraph<\/p>$/);
  });

  it('an ordinary comment of the longest kind (65 KB, a link and emphasis in every paragraph) is below the budget', () => {
    const paragraph = `${'It was the best of times, it was the worst of times: the age of wisdom, the age of foolishness. '.repeat(4)}See https://example.org/ and *this*.\n\n`;
    const body = fill(paragraph, 65_000);
    expect(markupCost(body)).toBeLessThan(MARKUP_BUDGET);
    expect(renderCommentHtml(body)).toContain('<em>this</em>');
  });
});
