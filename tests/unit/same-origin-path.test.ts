import { describe, expect, it } from 'vitest';
import { findControlCharacterField } from '../../src/http/desk/dashboard-input.js';
import { toSameOriginPath } from '../../src/http/kit/same-origin-path.js';

describe('toSameOriginPath', () => {
  it.each([
    ['/', '/'],
    ['/article?id=3#comments', '/article?id=3#comments'],
    ['/a/../b', '/b'],
    ['/%09/evil.test', '/%09/evil.test'],
  ])('keeps the path %j as %j', (value, expected) => {
    expect(toSameOriginPath(value)).toBe(expected);
  });

  it.each([
    '/\t/evil.test',
    '/\n/evil.test',
    '/\r/evil.test',
    '\t//evil.test',
    '//evil.test',
    '///evil.test',
    '/\\evil.test',
    '/\\/evil.test',
    '\\\\evil.test',
    'javascript:alert(1)',
    'https://evil.test/',
    'evil.test',
    '',
    ' /x',
    '/\u0000x',
    '/\u0085x',
    '/x y',
    '/./\t/evil.test',
  ])('refuses %j', (value) => {
    expect(toSameOriginPath(value)).toBeNull();
  });

  it('refuses nothing at all', () => {
    expect(toSameOriginPath(null)).toBeNull();
  });
});

describe('findControlCharacterField', () => {
  it.each([
    [{ q: 'fine', body: 'line\n\tnext\r\n' }, null],
    [{ q: 'a\u0000b' }, 'q'],
    [{ ids: ['ok', '\u0001'] }, 'ids'],
    [{ filter: { deep: [{ x: '\u007f' }] } }, 'filter'],
    [{ password: 'my \u0000 password' }, null],
    [{ 'na\u0000me': 'v' }, 'na?me'],
    [undefined, null],
  ])('%j → %j', (values, field) => {
    expect(findControlCharacterField(values)).toBe(field);
  });
});
