import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToCommentText } from '../../src/import/html-to-text.js';
import {
  importedCommentId,
  isLinkback,
  toAuthorUrl,
  toDisqusStatus,
  toEmail,
  toIp,
  toIsoDate,
  toWordPressDate,
  toWordPressStatus,
} from '../../src/import/source-mapping.js';
import { sniffXmlEncoding } from '../../src/import/xml-records.js';
import { renderCommentHtml } from '../../src/domain/render-comment.js';

describe('toWordPressStatus', () => {
  it.each([
    ['1', 'approved'],
    ['0', 'pending'],
    ['spam', 'spam'],
    ['trash', 'deleted'],
    ['post-trashed', 'deleted'],
    [' 1 ', 'approved'],
    ['SPAM', 'spam'],
    ['approve', 'approved'],
    ['hold', 'pending'],
    ['2', null],
    ['', null],
  ])('wp:comment_approved %j → %j', (value, expected) => {
    expect(toWordPressStatus(value)).toBe(expected);
  });
});

describe('toDisqusStatus', () => {
  const f = (isDeleted: string | null, isSpam: string | null, isApproved: string | null = null) => ({
    isDeleted,
    isSpam,
    isApproved,
  });
  it.each([
    ['a plain post', f('false', 'false'), 'approved'],
    ['a deleted post', f('true', 'false'), 'deleted'],
    ['spam', f('false', 'true'), 'spam'],
    ['deleted spam (spam says more)', f('true', 'true'), 'spam'],
    ['isApproved false (held)', f('false', 'false', 'false'), 'pending'],
    ['isApproved true', f('false', 'false', 'true'), 'approved'],
    ['no flags at all', f(null, null), 'approved'],
    ['flags in capitals and spaces', f(' TRUE ', null), 'deleted'],
  ])('%s → %s', (_s, flags, expected) => {
    expect(toDisqusStatus(flags)).toBe(expected);
  });
});

describe('toWordPressDate', () => {
  it.each([
    ['the GMT date when set', '2024-01-03 12:00:00', '2024-01-03 13:00:00', '2024-01-03T12:00:00.000Z', false],
    [
      'the local date read as UTC when GMT is zero',
      '0000-00-00 00:00:00',
      '2024-01-08 10:00:00',
      '2024-01-08T10:00:00.000Z',
      true,
    ],
    ['the local date when GMT is missing', '', '2024-01-08 10:00:00', '2024-01-08T10:00:00.000Z', true],
    ['a leap day', '2024-02-29 23:59:59', '', '2024-02-29T23:59:59.000Z', false],
  ])('%s', (_s, gmt, local, iso, assumed) => {
    expect(toWordPressDate(gmt, local)).toEqual({ date: new Date(iso), assumedUtc: assumed });
  });
  it.each([
    ['both empty', '', ''],
    ['words', 'yesterday', 'yesterday'],
    ['Feb 30', '2023-02-30 10:00:00', ''],
    ['month 13', '2023-13-01 10:00:00', ''],
  ])('%s → null', (_s, gmt, local) => {
    expect(toWordPressDate(gmt, local)).toBeNull();
  });
});

describe('toIsoDate', () => {
  it.each([
    ['2020-01-05T10:00:00Z', '2020-01-05T10:00:00.000Z', false],
    ['2020-01-08T15:30:00+02:00', '2020-01-08T13:30:00.000Z', false],
    ['2020-01-08T15:30:00-0500', '2020-01-08T20:30:00.000Z', false],
    ['2020-01-08T15:30:00.123Z', '2020-01-08T15:30:00.000Z', false],
    ['2020-01-08T15:30:00', '2020-01-08T15:30:00.000Z', true],
    ['2020-01-08 15:30', '2020-01-08T15:30:00.000Z', true],
  ])('%s → %s', (value, iso, assumed) => {
    expect(toIsoDate(value)).toEqual({ date: new Date(iso), assumedUtc: assumed });
  });
  it.each(['', 'Jan 5 2020', '2020-13-05T10:00:00Z', '0000-00-00T00:00:00Z'])('%j → null', (value) => {
    expect(toIsoDate(value)).toBeNull();
  });
});

describe('small field rules', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 2001:db8::1 ', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['unknown', null],
    ['', null],
    ['203.0.113.7, 10.0.0.1', null],
    ['999.1.1.1', null],
  ])('toIp(%j) → %j', (v, expected) => expect(toIp(v)).toBe(expected));

  it.each([
    ['https://ann.example', 'https://ann.example/'],
    ['ann.example', 'http://ann.example/'],
    ['javascript:alert(1)', ''],
    ['http://', ''],
    ['', ''],
    ['ftp://files.example', ''],
    ['localhost', ''],
  ])('toAuthorUrl(%j) → %j', (v, expected) => expect(toAuthorUrl(v)).toBe(expected));

  it.each([
    ['Ann@Example.org', 'ann@example.org'],
    [' bob@example.org ', 'bob@example.org'],
    ['not an email', ''],
    ['', ''],
  ])('toEmail(%j) → %j', (v, expected) => expect(toEmail(v)).toBe(expected));

  it.each([
    ['pingback', true],
    ['trackback', true],
    ['Pingback', true],
    ['comment', false],
    ['', false],
  ])('isLinkback(%j) → %s', (v, expected) => expect(isLinkback(v)).toBe(expected));

  it('derives the same id for the same (site, source, id) and different ids otherwise', () => {
    const a = importedCommentId('blog', 'wordpress', '10/101');
    expect(importedCommentId('blog', 'wordpress', '10/101')).toBe(a);
    expect(importedCommentId('blog', 'disqus', '10/101')).not.toBe(a);
    expect(importedCommentId('news', 'wordpress', '10/101')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('sniffXmlEncoding', () => {
  it.each([
    ['<?xml version="1.0" encoding="ISO-8859-1"?><rss/>', 'iso-8859-1'],
    ["<?xml version='1.0' encoding='windows-1252' ?>", 'windows-1252'],
    ['<?xml version="1.0"?><rss/>', 'utf-8'],
    ['<rss/>', 'utf-8'],
  ])('%j → %s', (head, expected) => expect(sniffXmlEncoding(Buffer.from(head, 'latin1'))).toBe(expected));
  it('a UTF-8 byte-order mark wins', () => {
    expect(sniffXmlEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x3c]))).toBe('utf-8');
  });
});

describe('htmlToCommentText', () => {
  it.each([
    ['paragraphs and breaks', '<p>One<br />two</p><p>Three</p>', 'One\ntwo\n\nThree'],
    [
      'a link with text',
      'see <a href="https://wordpress.org/" rel="nofollow">WordPress</a>',
      'see [WordPress](https://wordpress.org/)',
    ],
    ['a link that is its own text', '<a href="https://x.example/">https://x.example/</a>', 'https://x.example/'],
    ['a javascript: link keeps only its text', '<a href="javascript:alert(1)">click</a>', 'click'],
    ['emphasis', '<strong>bold</strong> and <em>it</em> and <b>b</b>', '**bold** and *it* and **b**'],
    ['a script and its content go', 'a<script>alert("x")</script>b', 'ab'],
    ['other tags go, their text stays', '<span class="x">kept</span><img src=x onerror=alert(1)>', 'kept'],
    ['entities decode once', '3 &lt; 4 &amp;&amp; &quot;q&quot; &#8212; &#x41; &hellip;', '3 < 4 && "q" — A …'],
    ['escaped tags stay text', '&lt;script&gt;alert(1)&lt;/script&gt;', '<script>alert(1)</script>'],
    ['a quote', '<blockquote>quoted</blockquote>after', '> quoted\n\nafter'],
    ['code', 'use <code>npm ci</code>', 'use `npm ci`'],
    ['unknown entities stay as written', '&bogus; &#0;', '&bogus; \ufffd'],
  ])('%s', (_s, input, expected) => {
    expect(htmlToCommentText(input)).toBe(expected);
  });

  it('whatever it gives renders to inert HTML', () => {
    const html = renderCommentHtml(
      htmlToCommentText('<p>&lt;img src=x onerror=alert(1)&gt; <a href="https://a.example" onclick="x()">a</a></p>'),
    );
    expect(html).not.toMatch(/<img|<[^>]*\son\w+=/);
    expect(html).toContain('&lt;img');
    expect(html).toContain('<a href="https://a.example" rel="nofollow ugc noopener">a</a>');
  });

  it('decodeEntities leaves plain text alone', () => {
    expect(decodeEntities('fish & chips')).toBe('fish & chips');
  });
});
