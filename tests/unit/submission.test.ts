import { describe, it, expect } from 'vitest';
import { mintCommentId } from '../../src/domain/submission.js';
import { isUuid } from '../../src/domain/comment-fields.js';

const versionOf = (id: string): string => id.charAt(14);

describe('mintCommentId', () => {
  it('the same site and key give the same id (a retried submission maps to the same comment)', () => {
    const id = mintCommentId('blog', 'key-123');
    expect(mintCommentId('blog', 'key-123')).toBe(id);
    expect(isUuid(id)).toBe(true);
    expect(versionOf(id)).toBe('5');
  });

  it.each([
    ['another site, same key', 'shop', 'key-123'],
    ['same site, another key', 'blog', 'key-124'],
    ['the same characters split differently between site and key', 'blogk', 'ey-123'],
  ])('%s gives a different id', (_scenario, siteId, key) => {
    expect(mintCommentId(siteId, key)).not.toBe(mintCommentId('blog', 'key-123'));
  });

  it('an empty key is still a key: stable, and not a fresh v7', () => {
    expect(mintCommentId('blog', '')).toBe(mintCommentId('blog', ''));
    expect(versionOf(mintCommentId('blog', ''))).toBe('5');
  });

  it('without a key every call gives a distinct, time-ordered UUIDv7', () => {
    const ids = Array.from({ length: 200 }, () => mintCommentId('blog', null));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(isUuid(id)).toBe(true);
      expect(versionOf(id)).toBe('7');
    }
    expect([...ids].sort()).toEqual(ids);
  });
});
