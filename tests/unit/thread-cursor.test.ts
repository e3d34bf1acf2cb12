import { describe, it, expect } from 'vitest';
import { decodeCursor, encodeCursor } from '../../src/http/kit/thread-cursor.js';

const id = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
const b64 = (text: string): string => Buffer.from(text).toString('base64url');

describe('encodeCursor / decodeCursor', () => {
  it.each([
    ['a millisecond-precise time', new Date('2024-06-01T12:34:56.789Z')],
    ['the epoch', new Date(0)],
    ['a far-future time', new Date('2999-12-31T23:59:59.999Z')],
  ])('round-trips %s', (_scenario, receivedAt) => {
    expect(decodeCursor(encodeCursor({ receivedAt, id }))).toEqual({ receivedAt, id });
  });

  it('the cursor is URL-safe', () => {
    expect(encodeCursor({ receivedAt: new Date('2024-06-01T12:34:56.789Z'), id })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('different positions give different cursors', () => {
    const a = encodeCursor({ receivedAt: new Date(1000), id });
    const b = encodeCursor({ receivedAt: new Date(1001), id });
    expect(a).not.toBe(b);
  });

  it.each([
    ['an empty string', ''],
    ['plain garbage', 'not-a-cursor'],
    ['non-base64 characters', '!!!***'],
    ['a time without an id', b64('2024-06-01T12:00:00.000Z')],
    ['an id that is not a uuid', b64('2024-06-01T12:00:00.000Z|42')],
    ['an id with SQL in it', b64(`2024-06-01T12:00:00.000Z|${id}' or '1'='1`)],
    ['an invalid time', b64(`yesterday|${id}`)],
    ['an empty time', b64(`|${id}`)],
    ['an extra part', b64(`2024-06-01T12:00:00.000Z|${id}|x`)],
    ['swapped parts', b64(`${id}|2024-06-01T12:00:00.000Z`)],
  ])('%s decodes to null', (_scenario, value) => {
    expect(decodeCursor(value)).toBeNull();
  });
});
