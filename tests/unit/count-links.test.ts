import { describe, it, expect } from 'vitest';
import { countLinks } from '../../src/domain/count-links.js';

describe('countLinks', () => {
  it.each([
    ['plain text', 'Thanks for the post!', 0],
    ['an empty text', '', 0],
    ['one https link', 'see https://example.org/page', 1],
    ['one http link in capitals', 'see HTTP://EXAMPLE.ORG', 1],
    ['a protocol-relative link', 'see //example.org', 1],
    ['a bare www host', 'see www.example.org', 1],
    ['a bare www host in capitals', 'see WWW.EXAMPLE.ORG', 1],
    ['a www host behind a scheme counts once', 'https://www.example.org', 1],
    ['two links', 'https://a.example and http://b.example', 2],
    ['three links of mixed kinds', 'https://a.example, www.b.example and //c.example', 3],
    ['a Markdown link', '[click](https://example.org)', 1],
    ['the same link twice', 'https://example.org https://example.org', 2],
    ['a path with slashes but no scheme', 'a/b/c and 1/2', 0],
    ['a scheme followed by a slash only', 'http:/ nothing', 0],
    ['"//" followed by a space', 'comment // like this', 0],
    ['"www." inside another word', 'awww.nice', 0],
    ['a lone "www."', 'www. is a prefix', 0],
  ])('%s has %i link(s)', (_scenario, text, expected) => {
    expect(countLinks(text)).toBe(expected);
  });

  it('gives the same answer on repeated calls (the global regex keeps no state between calls)', () => {
    const text = 'https://a.example https://b.example';
    expect([countLinks(text), countLinks(text), countLinks(text)]).toEqual([2, 2, 2]);
  });
});
