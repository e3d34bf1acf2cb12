import { describe, it, expect } from 'vitest';
import { findFieldErrors, isAllowedWebsite, isUuid, type CommentFields } from '../../src/domain/comment-fields.js';
import { cleanFields, PARENT_ID } from './support/check-context.js';

const requireBoth = { requireName: true, requireEmail: true };
const requireNone = { requireName: false, requireEmail: false };

/** The [field, code] pairs of every error, in order. */
function errorsOf(overrides: Partial<CommentFields>, settings = requireBoth): [string, string][] {
  return findFieldErrors(cleanFields(overrides), settings).map((e) => [e.field, e.code]);
}

const emailOfBytes = (n: number): string => `${'a'.repeat(n - '@example.org'.length)}@example.org`;
const urlOfBytes = (n: number): string => `https://example.org/${'a'.repeat(n - 'https://example.org/'.length)}`;

describe('findFieldErrors', () => {
  it('when every field is valid, there are no errors', () => {
    expect(errorsOf({})).toEqual([]);
  });

  it.each([
    ['an empty body', { body: '' }],
    ['a body of only whitespace', { body: ' \n\t ' }],
  ])('when the comment has %s, body is REQUIRED', (_scenario, fields) => {
    expect(errorsOf(fields)).toEqual([['body', 'REQUIRED']]);
  });

  it.each([
    [
      'name and email required, both empty',
      requireBoth,
      [
        ['author', 'REQUIRED'],
        ['email', 'REQUIRED'],
      ],
    ],
    ['only the name required', { requireName: true, requireEmail: false }, [['author', 'REQUIRED']]],
    ['only the email required', { requireName: false, requireEmail: true }, [['email', 'REQUIRED']]],
    ['neither required', requireNone, []],
  ])('with %s, an anonymous comment gives the matching REQUIRED errors', (_scenario, settings, expected) => {
    expect(errorsOf({ author: '', email: '' }, settings)).toEqual(expected);
  });

  it('when the page is empty, page is REQUIRED', () => {
    expect(errorsOf({ page: '' })).toEqual([['page', 'REQUIRED']]);
  });

  it('when several fields are wrong, every error is listed in field order', () => {
    expect(errorsOf({ body: '', author: '', email: 'nope', url: 'ftp://x.org', page: '', parentId: '1' })).toEqual([
      ['body', 'REQUIRED'],
      ['author', 'REQUIRED'],
      ['email', 'INVALID_EMAIL'],
      ['url', 'INVALID_URL'],
      ['page', 'REQUIRED'],
      ['parent', 'INVALID_PARENT'],
    ]);
  });

  describe('byte limits count UTF-8 bytes, not characters', () => {
    it.each([
      // [scenario, fields, expected errors]
      ['a 245-byte ASCII name', { author: 'a'.repeat(245) }, []],
      ['a 246-byte ASCII name', { author: 'a'.repeat(246) }, [['author', 'TOO_LONG']]],
      ['a name of 243 ASCII + one 2-byte é (245 bytes)', { author: `${'a'.repeat(243)}é` }, []],
      ['a name of 244 ASCII + one 2-byte é (246 bytes)', { author: `${'a'.repeat(244)}é` }, [['author', 'TOO_LONG']]],
      ['a name of 123 é (246 bytes, 123 characters)', { author: 'é'.repeat(123) }, [['author', 'TOO_LONG']]],
      ['a name of 241 ASCII + a 4-byte emoji (245 bytes)', { author: `${'a'.repeat(241)}😀` }, []],
      [
        'a name of 242 ASCII + a 4-byte emoji (246 bytes)',
        { author: `${'a'.repeat(242)}😀` },
        [['author', 'TOO_LONG']],
      ],
      ['a 100-byte email', { email: emailOfBytes(100) }, []],
      ['a 101-byte email', { email: emailOfBytes(101) }, [['email', 'TOO_LONG']]],
      [
        'a 60-character email of 2-byte letters (over 100 bytes)',
        { email: `${'é'.repeat(48)}@example.org` },
        [['email', 'TOO_LONG']],
      ],
      ['a 200-byte website', { url: urlOfBytes(200) }, []],
      ['a 201-byte website', { url: urlOfBytes(201) }, [['url', 'TOO_LONG']]],
      ['a 65,525-byte body', { body: 'a'.repeat(65_525) }, []],
      ['a 65,526-byte body', { body: 'a'.repeat(65_526) }, [['body', 'TOO_LONG']]],
      [
        'a body of 65,523 ASCII + one 3-byte € (65,526 bytes)',
        { body: `${'a'.repeat(65_523)}€` },
        [['body', 'TOO_LONG']],
      ],
      ['a body of 65,522 ASCII + one 3-byte € (65,525 bytes)', { body: `${'a'.repeat(65_522)}€` }, []],
      ['a 1000-byte page', { page: 'p'.repeat(1000) }, []],
      ['a 1001-byte page', { page: 'p'.repeat(1001) }, [['page', 'TOO_LONG']]],
    ])('%s gives %j', (_scenario, fields, expected) => {
      expect(errorsOf(fields)).toEqual(expected);
    });
  });

  describe('email syntax', () => {
    it.each(['ada@example.org', 'ada.lovelace+comments@mail.example.co.uk', "o'brien@example.ie"])(
      'accepts %j',
      (email) => {
        expect(errorsOf({ email })).toEqual([]);
      },
    );

    it.each([
      'ada',
      'ada@',
      '@example.org',
      'ada@example',
      'ada lovelace@example.org',
      'ada@@example.org',
      'ada@example..org',
      'ada@exa mple.org',
      'ada@example.org\u0000',
      '<ada@example.org>',
    ])('refuses %j as INVALID_EMAIL', (email) => {
      expect(errorsOf({ email })).toEqual([['email', 'INVALID_EMAIL']]);
    });
  });

  describe('website', () => {
    it.each(['http://example.org', 'https://example.org/about?x=1#top', 'HTTPS://EXAMPLE.ORG'])('accepts %j', (url) => {
      expect(errorsOf({ url })).toEqual([]);
    });

    it.each([
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.org',
      'mailto:ada@example.org',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'https://user:pass@example.org',
      'https://user@example.org',
      'https://:secret@example.org',
      'example.org',
      '//example.org',
      'https://',
      'not a url',
    ])('refuses %j as INVALID_URL', (url) => {
      expect(errorsOf({ url })).toEqual([['url', 'INVALID_URL']]);
    });
  });

  describe('characters', () => {
    it.each([
      ['a NUL in the name', { author: 'Ada\u0000' }, 'author'],
      ['a line break in the name', { author: 'Ada\nLovelace' }, 'author'],
      ['a DEL in the name', { author: 'Ada\u007f' }, 'author'],
      ['a C1 control in the name', { author: 'Ada\u0085' }, 'author'],
      ['a right-to-left override in the name', { author: 'evil\u202Egnp.exe' }, 'author'],
      ['a left-to-right embedding in the name', { author: '\u202AAda' }, 'author'],
      ['a first-strong isolate in the name', { author: 'Ada\u2068x\u2069' }, 'author'],
      ['a lone high surrogate in the name', { author: 'Ada\uD83D' }, 'author'],
      ['a lone low surrogate in the name', { author: '\uDE00Ada' }, 'author'],
      ['a NUL in the body', { body: 'hello\u0000world' }, 'body'],
      ['a vertical tab in the body', { body: 'hello\u000bworld' }, 'body'],
      ['an escape character in the body', { body: 'hello\u001b[31mred' }, 'body'],
      ['a DEL in the body', { body: 'hello\u007f' }, 'body'],
      ['a lone surrogate in the body', { body: 'broken \uD800 text' }, 'body'],
      ['a NUL in the page', { page: 'blog/\u0000' }, 'page'],
      ['a bidi override in the page', { page: 'blog/\u202Eevil' }, 'page'],
    ])('%s is INVALID_CHARACTERS on that field', (_scenario, fields, field) => {
      expect(errorsOf(fields)).toEqual([[field, 'INVALID_CHARACTERS']]);
    });

    it.each([
      ['tabs and line breaks in the body', { body: 'line one\r\n\tline two\nthree' }],
      ['an emoji (a valid surrogate pair) in the name and body', { author: 'Ada 😀', body: 'Great 👍' }],
      ['non-Latin letters in the name', { author: 'Łukasz Żółw 李雷 محمد' }],
      ['right-to-left text without override characters in the body', { body: 'שלום עולם' }],
    ])('%s is accepted', (_scenario, fields) => {
      expect(errorsOf(fields)).toEqual([]);
    });
  });

  describe('parent', () => {
    it.each([
      ['no parent', null, []],
      ['a lowercase uuid', PARENT_ID, []],
      ['an uppercase uuid', PARENT_ID.toUpperCase(), []],
      ['a number', '42', [['parent', 'INVALID_PARENT']]],
      ['an empty string', '', [['parent', 'INVALID_PARENT']]],
      ['a uuid with extra text', `${PARENT_ID}x`, [['parent', 'INVALID_PARENT']]],
      ['a uuid with a SQL tail', `${PARENT_ID}' or 1=1 --`, [['parent', 'INVALID_PARENT']]],
    ])('%s gives %j', (_scenario, parentId, expected) => {
      expect(errorsOf({ parentId })).toEqual(expected);
    });
  });

  it('every error carries a message for the reader', () => {
    const errors = findFieldErrors(
      cleanFields({ body: '', author: '', email: 'x', url: 'x', page: '', parentId: 'x' }),
      requireBoth,
    );
    expect(errors).toHaveLength(6);
    for (const e of errors) expect(e.message).toMatch(/\S/);
  });
});

describe('isAllowedWebsite', () => {
  it.each([
    ['http://example.org', true],
    ['https://example.org:8443/path', true],
    ['https://xn--bcher-kva.example', true],
    ['https://bücher.example', true],
    ['javascript:alert(1)', false],
    ['data:text/plain,hi', false],
    ['ftp://example.org', false],
    ['ws://example.org', false],
    ['https://user:pass@example.org', false],
    ['http://user@example.org', false],
    ['', false],
    ['https://', false],
  ])('%j → %s', (value, allowed) => {
    expect(isAllowedWebsite(value)).toBe(allowed);
  });
});

describe('isUuid', () => {
  it.each([
    [PARENT_ID, true],
    ['00000000-0000-0000-0000-000000000000', true],
    ['0190A1B2-C3D4-7E5F-8A6B-7C8D9E0F1A2B', true],
    ['0190a1b2c3d47e5f8a6b7c8d9e0f1a2b', false],
    ['{0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b}', false],
    ['0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2g', false],
    [` ${PARENT_ID}`, false],
    [`${PARENT_ID}\n`, false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isUuid(value)).toBe(expected);
  });
});
