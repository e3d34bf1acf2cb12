import { describe, it, expect } from 'vitest';
import { contentHash } from '../../src/domain/content-hash.js';
import { PARENT_ID } from './support/check-context.js';

type HashInput = Parameters<typeof contentHash>[0];

const base: HashInput = {
  siteId: 'blog',
  page: 'posts/hello',
  parentId: null,
  author: 'Ada',
  email: 'ada@example.org',
  body: 'Nice post.',
};

const hex = (overrides: Partial<HashInput>): string => contentHash({ ...base, ...overrides }).toString('hex');

describe('contentHash', () => {
  it('the same comment twice gives the same 32-byte hash', () => {
    const a = contentHash({ ...base });
    const b = contentHash({ ...base });
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(true);
  });

  it.each([
    ['spaces around the author', { author: '  Ada \t' }],
    ['spaces and line breaks around the body', { body: '\n  Nice post. \n' }],
    ['the email in capitals', { email: 'ADA@Example.ORG' }],
    ['spaces around the email', { email: ' ada@example.org ' }],
  ])('%s give the same hash', (_scenario, overrides) => {
    expect(hex(overrides)).toBe(hex({}));
  });

  it.each([
    ['another site', { siteId: 'shop' }],
    ['another page', { page: 'posts/other' }],
    ['a parent', { parentId: PARENT_ID }],
    ['another author', { author: 'Grace' }],
    ['another email', { email: 'grace@example.org' }],
    ['another body', { body: 'Nice post!' }],
    ['a body differing in case', { body: 'nice post.' }],
    ['a body differing inside whitespace', { body: 'Nice  post.' }],
    ['an author differing in case', { author: 'ada' }],
  ])('%s gives a different hash', (_scenario, overrides) => {
    expect(hex(overrides)).not.toBe(hex({}));
  });

  it('moving text from one field to the next gives a different hash (fields are separated)', () => {
    expect(hex({ siteId: 'blog', page: 'posts/hello' })).not.toBe(hex({ siteId: 'blogposts', page: '/hello' }));
    expect(hex({ author: 'Ada', body: 'Nice post.' })).not.toBe(hex({ author: 'AdaNice', body: 'post.' }));
  });
});
