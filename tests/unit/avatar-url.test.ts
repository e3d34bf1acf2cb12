import { describe, expect, it } from 'vitest';
import { toAvatarHash, toAvatarUrl, type AvatarAuthor } from '../../src/domain/avatar-url.js';
import { AVATAR_HASH, renderIdenticonSvg } from '../../src/domain/identicon.js';

const opts = { gravatar: false, publicUrl: 'https://comments.example', secret: 'k'.repeat(43) };
const guest: AvatarAuthor = { avatar: '', readerId: null, email: 'ann@example.org', name: 'Ann' };

describe('toAvatarUrl', () => {
  it.each([
    ['a reader’s own picture, whatever the site says', { ...guest, avatar: 'https://idp.example/a.png' }, true],
    ['a reader’s own picture with gravatar off', { ...guest, avatar: 'https://idp.example/a.png' }, false],
  ])('keeps %s', (_what, author, gravatar) => {
    expect(toAvatarUrl(author, { ...opts, gravatar })).toBe('https://idp.example/a.png');
  });

  it('is Gravatar’s only for a signed-in reader (a verified email), never for a guest’s typed one', () => {
    const on = { ...opts, gravatar: true };
    expect(toAvatarUrl({ ...guest, readerId: 42 }, on)).toMatch(
      /^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?/,
    );
    expect(toAvatarUrl(guest, on)).toBe(`https://comments.example/avatars/${toAvatarHash(guest, opts.secret)}.svg`);
    expect(toAvatarUrl({ ...guest, readerId: 42 }, opts)).not.toContain('gravatar');
  });

  it('names a signed-in reader by their id: a new name or email keeps the picture', () => {
    const reader = { ...guest, readerId: 42 };
    expect(toAvatarHash({ ...reader, name: 'Other', email: 'other@example.org' }, opts.secret)).toBe(
      toAvatarHash(reader, opts.secret),
    );
    expect(toAvatarHash(reader, opts.secret)).not.toBe(toAvatarHash({ ...reader, readerId: 43 }, opts.secret));
  });

  it('is keyed: another secret, another hash (nobody can compute an email’s hash without ours)', () => {
    expect(toAvatarHash(guest, opts.secret)).not.toBe(toAvatarHash(guest, 'another secret'));
    expect(toAvatarHash(guest, opts.secret)).toMatch(AVATAR_HASH);
  });
});

describe('renderIdenticonSvg', () => {
  const hashes = ['0'.repeat(32), 'f'.repeat(32), '0123456789abcdef'.repeat(2), 'fedcba9876543210'.repeat(2)];

  it.each(hashes)('draws %s the same every time, with rectangles only', (hash) => {
    const svg = renderIdenticonSvg(hash);
    expect(renderIdenticonSvg(hash)).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect([...svg.matchAll(/<(\w+)/g)].map((m) => m[1])).toEqual(['svg', 'rect', 'path']);
  });

  it('draws different hashes differently, and is mirrored left to right', () => {
    expect(new Set(hashes.map(renderIdenticonSvg)).size).toBe(hashes.length);
    const d = /d="([^"]+)"/.exec(renderIdenticonSvg('1'.repeat(32)))?.[1];
    // Every cell odd: the full 5×5 square, 25 cells.
    expect(d?.match(/M/g)?.length).toBe(25);
  });

  it('refuses what is not a hash', () => {
    expect(() => renderIdenticonSvg('"/><script>')).toThrow();
  });
});
