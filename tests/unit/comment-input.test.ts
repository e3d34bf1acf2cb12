import { describe, it, expect } from 'vitest';
import { readCommentInput, sameSiteUrl, type CommentInput } from '../../src/http/public/comment-input.js';
import { AppError } from '../../src/errors.js';
import { toSiteSettings, type Site } from '../../src/domain/site-settings.js';
import { PARENT_ID } from './support/check-context.js';

function readError(body: unknown, source: 'json' | 'form'): AppError {
  try {
    readCommentInput(body, source);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('readCommentInput accepted the body');
}

const emptyInput: CommentInput = {
  site: 'blog',
  page: '',
  pageUrl: null,
  pageTitle: null,
  parentId: null,
  author: '',
  email: '',
  url: '',
  body: '',
  key: null,
  honeypot: '',
  redirectTo: null,
  notifyReplies: false,
  formToken: '',
  lang: '',
};

describe('readCommentInput from JSON', () => {
  it('reads every accepted field, trimming text and lower-casing the email', () => {
    expect(
      readCommentInput(
        {
          site: ' blog ',
          page: ' posts/1 ',
          pageUrl: ' https://blog.example/posts/1 ',
          pageTitle: ' Post one ',
          parent: ` ${PARENT_ID} `,
          author: ' Ada ',
          email: ' Ada@Example.ORG ',
          url: ' https://ada.example ',
          body: '\n Hello \n',
          key: ' k-1 ',
          honeypot: ' ',
        },
        'json',
      ),
    ).toEqual({
      site: 'blog',
      page: 'posts/1',
      pageUrl: 'https://blog.example/posts/1',
      pageTitle: 'Post one',
      parentId: PARENT_ID,
      author: 'Ada',
      email: 'ada@example.org',
      url: 'https://ada.example',
      body: ' Hello',
      key: 'k-1',
      honeypot: ' ',
      redirectTo: null,
      notifyReplies: false,
      formToken: '',
      lang: '',
    });
  });

  it('a body with only the site gives empty fields, not undefined', () => {
    expect(readCommentInput({ site: 'blog' }, 'json')).toEqual(emptyInput);
  });

  it.each([
    ['null', { parent: null, key: null, pageUrl: null, pageTitle: null }],
    ['empty strings', { parent: '', key: '', pageUrl: '', pageTitle: '' }],
    ['whitespace', { parent: '  ', key: ' ', pageUrl: '\t', pageTitle: ' ' }],
  ])('nullable fields sent as %s become null', (_scenario, fields) => {
    expect(readCommentInput({ site: 'blog', ...fields }, 'json')).toEqual(emptyInput);
  });

  it('ignores server-owned and unknown fields (no mass assignment)', () => {
    const input = readCommentInput(
      {
        site: 'blog',
        body: 'hi',
        status: 'approved',
        id: PARENT_ID,
        ip: '127.0.0.1',
        siteId: 'other',
        receivedAt: '2000-01-01T00:00:00Z',
        score: -100,
        parentId: PARENT_ID,
        redirectTo: 'https://evil.example',
        __proto__: { status: 'approved' },
        constructor: 'x',
      },
      'json',
    );
    expect(input).toEqual({ ...emptyInput, body: 'hi' });
    expect(Object.keys(input).sort()).toEqual(Object.keys(emptyInput).sort());
  });

  it('WordPress form names in a JSON body are ignored', () => {
    expect(readCommentInput({ site: 'blog', comment: 'hi', comment_post_ID: '7' }, 'json')).toEqual(emptyInput);
  });

  it.each([
    ['a number body', { site: 'blog', body: 42 }, 'body'],
    ['an object page', { site: 'blog', page: { $ne: '' } }, 'page'],
    ['a numeric parent', { site: 'blog', parent: 5 }, 'parent'],
    ['an array author', { site: 'blog', author: ['a', 'b'] }, 'author'],
    ['a boolean email', { site: 'blog', email: true }, 'email'],
    ['a null body', { site: 'blog', body: null }, 'body'],
    ['a numeric site', { site: 7 }, 'site'],
    ['a missing site', { body: 'hi' }, 'site'],
  ])('%s is a 400 naming the field', (_scenario, body, field) => {
    const error = readError(body, 'json');
    expect(error.status).toBe(400);
    expect(error.field).toBe(field);
  });

  it('a missing site is REQUIRED', () => {
    expect(readError({ body: 'hi' }, 'json').code).toBe('REQUIRED');
  });

  it.each([
    ['a number body', { site: 'blog', body: 42 }],
    ['an object page', { site: 'blog', page: { $ne: '' } }],
    ['a numeric site', { site: 7 }],
  ])('%s is INVALID_TYPE, not "missing"', (_scenario, body) => {
    const error = readError(body, 'json');
    expect(error.code).toBe('INVALID_TYPE');
    expect(error.message).not.toMatch(/missing/);
  });

  it.each([
    ['null', null],
    ['an array', [{ site: 'blog' }]],
    ['a string', 'site=blog'],
    ['a number', 1],
    ['undefined', undefined],
  ])('a body that is %s is a 400 INVALID_BODY', (_scenario, body) => {
    const error = readError(body, 'json');
    expect([error.status, error.code]).toEqual([400, 'INVALID_BODY']);
  });
});

describe('readCommentInput from a WordPress form', () => {
  it('reads the WordPress field names', () => {
    expect(
      readCommentInput(
        {
          site: 'blog',
          comment_post_ID: ' 42 ',
          comment_parent: PARENT_ID,
          author: ' Ada ',
          email: 'ADA@example.org',
          url: 'https://ada.example',
          comment: ' Hello ',
          key: 'k',
          redirect_to: 'https://blog.example/p#c',
          page_url: 'https://blog.example/p',
          page_title: 'P',
          reply_desk_hp: '',
        },
        'form',
      ),
    ).toEqual({
      site: 'blog',
      page: '42',
      pageUrl: 'https://blog.example/p',
      pageTitle: 'P',
      parentId: PARENT_ID,
      author: 'Ada',
      email: 'ada@example.org',
      url: 'https://ada.example',
      body: ' Hello',
      key: 'k',
      honeypot: '',
      redirectTo: 'https://blog.example/p#c',
      notifyReplies: false,
      formToken: '',
      lang: '',
    });
  });

  it.each([
    ['"0" (WordPress for "no parent")', '0', null],
    ['" 0 "', ' 0 ', null],
    ['empty', '', null],
    ['a uuid', PARENT_ID, PARENT_ID],
    ['"00"', '00', '00'],
  ])('comment_parent %s gives parentId %j', (_scenario, value, expected) => {
    expect(readCommentInput({ site: 'blog', comment_parent: value }, 'form').parentId).toBe(expected);
  });

  it.each([
    ['json', { site: 'blog', notifyReplies: true }, true],
    ['json', { site: 'blog', notifyReplies: false }, false],
    ['form', { site: 'blog', notify_replies: '1' }, true],
    ['form', { site: 'blog' }, false],
  ] as const)('the reply-notice opt-in from %s %j is %s', (source, body, expected) => {
    expect(readCommentInput(body, source).notifyReplies).toBe(expected);
  });

  it('a notifyReplies that is not a boolean is a 400 INVALID_TYPE', () => {
    expect(readError({ site: 'blog', notifyReplies: 'yes' }, 'json').code).toBe('INVALID_TYPE');
  });

  it('the honeypot field is read from reply_desk_hp', () => {
    expect(readCommentInput({ site: 'blog', reply_desk_hp: 'bot was here' }, 'form').honeypot).toBe('bot was here');
  });

  it('ignores server-owned fields and JSON names (no mass assignment)', () => {
    expect(
      readCommentInput(
        {
          site: 'blog',
          comment: 'hi',
          status: 'approved',
          comment_approved: '1',
          id: PARENT_ID,
          ip: '1.2.3.4',
          body: 'other',
          parent: PARENT_ID,
          honeypot: 'x',
        },
        'form',
      ),
    ).toEqual({ ...emptyInput, body: 'hi' });
  });

  it.each([
    ['comment', { site: 'blog', comment: ['a', 'b'] }],
    ['author', { site: 'blog', author: ['Ada', 'Eve'] }],
    ['comment_parent', { site: 'blog', comment_parent: ['0', PARENT_ID] }],
    ['site', { site: ['blog', 'shop'] }],
    ['comment_post_ID', { site: 'blog', comment_post_ID: { nested: '1' } }],
  ])('a repeated or nested %s field is a 400 naming it', (field, body) => {
    const error = readError(body, 'form');
    expect([error.status, error.field]).toEqual([400, field]);
  });

  it('a repeated field is INVALID_TYPE, not "missing"', () => {
    const error = readError({ site: 'blog', comment: ['a', 'b'] }, 'form');
    expect(error.code).toBe('INVALID_TYPE');
    expect(error.message).not.toMatch(/missing/);
  });
});

describe('sameSiteUrl', () => {
  const site: Site = {
    id: 'blog',
    name: 'Blog',
    allowedOrigins: ['https://blog.example', 'http://localhost:3000'],
    settings: toSiteSettings({}),
  };

  it.each([
    ['a page on the site', 'https://blog.example/posts/1#comments', 'https://blog.example/posts/1#comments'],
    ['the site root with the default port', 'https://BLOG.example:443', 'https://blog.example/'],
    ['the second allowed origin', 'http://localhost:3000/p?x=1', 'http://localhost:3000/p?x=1'],
    ['null', null, null],
    ['another site', 'https://evil.example/', null],
    ['a look-alike subdomain', 'https://blog.example.evil.example/', null],
    ['a user-info trick', 'https://blog.example@evil.example/', null],
    ['the same host over http', 'http://blog.example/', null],
    ['the same host on another port', 'https://blog.example:8443/', null],
    ['a subdomain of the site', 'https://www.blog.example/', null],
    ['a relative path', '/posts/1', null],
    ['a protocol-relative URL', '//evil.example/', null],
    ['a javascript: URL', 'javascript:alert(1)', null],
    ['a data: URL', 'data:text/html,hi', null],
    ['an empty string', '', null],
    ['a URL over 2000 bytes', `https://blog.example/${'a'.repeat(2000)}`, null],
  ])('%s → %j', (_scenario, value, expected) => {
    expect(sameSiteUrl(value, site)).toBe(expected);
  });
});

// Issue 11, items 14 and 17: what readers type is kept as a reader would mean it.
describe('readCommentInput keeps what the text means', () => {
  it.each([
    ['an indented code block first', '    const x = 1;\n\nThat is my code.', '    const x = 1;\n\nThat is my code.'],
    ['blank lines before the code block', '\n  \n\t\n    code()\n', '    code()'],
    ['CRLF blank lines before it', '\r\n\r\n    code()\r\n', '    code()'],
    ['trailing spaces and lines', 'Hello   \n\n  ', 'Hello'],
    ['whitespace only', ' \n\t \r\n ', ''],
  ])('body with %s', (_scenario, body, expected) => {
    expect(readCommentInput({ site: 'blog', body }, 'json').body).toBe(expected);
    expect(readCommentInput({ site: 'blog', comment: body }, 'form').body).toBe(expected);
  });

  it.each([
    ['user.example.org', 'http://user.example.org'],
    [' www.example.org/about?x=1 ', 'http://www.example.org/about?x=1'],
    ['user.example.org:8080/blog', 'http://user.example.org:8080/blog'],
    ['https://user.example.org', 'https://user.example.org'],
    ['HTTP://User.Example.org', 'HTTP://User.Example.org'],
    ['javascript:alert(1)', 'javascript:alert(1)'],
    ['JavaScript://%0aalert(1)', 'JavaScript://%0aalert(1)'],
    ['ftp://files.example.org', 'ftp://files.example.org'],
    ['//user.example.org', '//user.example.org'],
    ['', ''],
  ])('website %j is read as %j (WordPress adds http:// when there is no scheme)', (url, expected) => {
    expect(readCommentInput({ site: 'blog', url }, 'json').url).toBe(expected);
    expect(readCommentInput({ site: 'blog', url }, 'form').url).toBe(expected);
  });
});
