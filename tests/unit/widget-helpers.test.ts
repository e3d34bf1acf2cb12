import { describe, expect, it } from 'vitest';
import { directionOf, pickLanguage } from '../../widget/i18n.js';
import { pageIdentity, pageUrlOf } from '../../widget/page-identity.js';
import { relativeTime } from '../../widget/relative-time.js';

describe('which thread a page shows', () => {
  it.each([
    {
      dataPage: 'post-42',
      canonical: 'https://news.example/a',
      location: 'https://news.example/a?utm=x#c',
      expected: 'post-42',
    },
    {
      dataPage: '  ',
      canonical: 'https://news.example/a',
      location: 'https://news.example/a?utm=x#c',
      expected: 'https://news.example/a',
    },
    {
      dataPage: null,
      canonical: '/relative/path',
      location: 'https://news.example/a',
      expected: 'https://news.example/relative/path',
    },
    {
      dataPage: undefined,
      canonical: null,
      location: 'https://news.example/a/b?utm_source=x#comments',
      expected: 'https://news.example/a/b',
    },
  ])('data-page $dataPage, canonical $canonical, address $location → $expected', ({ expected, ...input }) => {
    expect(pageIdentity(input)).toBe(expected);
  });

  it('the page URL sent with a comment drops the hash (it names a comment) but keeps the query', () => {
    expect(pageUrlOf('https://news.example/a?p=1#comment-1')).toBe('https://news.example/a?p=1');
  });
});

describe('the widget language', () => {
  it.each([
    { candidates: ['de', 'en'], expected: 'de' },
    { candidates: [undefined, 'de-AT'], expected: 'de' },
    { candidates: ['', 'DE_ch'], expected: 'de' },
    { candidates: ['xx', 'en-GB'], expected: 'en' },
    { candidates: ['fr', 'tlh'], expected: 'fr' },
    { candidates: ['tlh', 'pt-BR'], expected: 'pt' },
    { candidates: ['AR'], expected: 'ar' },
    { candidates: ['tlh', 'zh'], expected: 'en' },
    { candidates: [null, ''], expected: 'en' },
  ])('data-lang/page lang $candidates → $expected', ({ candidates, expected }) => {
    expect(pickLanguage(...candidates)).toBe(expected);
  });

  it('Arabic alone is written right to left', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(['en', 'de', 'ja', 'tr'].map(directionOf)).toEqual(['ltr', 'ltr', 'ltr', 'ltr']);
  });
});

describe('relative times', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');
  it.each([
    { at: '2026-05-01T11:59:50Z', lang: 'en', expected: 'now' },
    { at: '2026-05-01T12:00:05Z', lang: 'en', expected: 'now' },
    { at: '2026-05-01T11:57:00Z', lang: 'en', expected: '3 minutes ago' },
    { at: '2026-05-01T09:00:00Z', lang: 'en', expected: '3 hours ago' },
    { at: '2026-04-30T12:00:00Z', lang: 'en', expected: 'yesterday' },
    { at: '2026-04-17T12:00:00Z', lang: 'en', expected: '2 weeks ago' },
    { at: '2025-05-01T12:00:00Z', lang: 'en', expected: 'last year' },
    { at: '2026-05-01T11:57:00Z', lang: 'de', expected: 'vor 3 Minuten' },
    { at: 'not a date', lang: 'en', expected: '' },
  ])('$at in $lang → "$expected"', ({ at, lang, expected }) => {
    expect(relativeTime(at, now, lang)).toBe(expected);
  });
});
