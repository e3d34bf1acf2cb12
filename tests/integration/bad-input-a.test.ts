import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 11, items 1a, 14 and 17: control characters and broken Unicode in any field of a submission
 * (JSON or the classic form) are a 422 naming the field, never a 202 that jams the worker; a website
 * typed without a scheme is stored with http://; a comment that starts with an indented code block
 * keeps it.
 */
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
let n = 0;

function valid(extra: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site: 'hostile-a',
    page: 'p',
    author: `Tester ${n}`,
    email: `t${n}@example.org`,
    body: `Plain comment ${n}`,
    ...extra,
  };
}
function formFields(extra: Record<string, string> = {}): Record<string, string> {
  n += 1;
  return {
    site: 'hostile-a',
    comment_post_ID: 'p',
    author: `Former ${n}`,
    email: `f${n}@example.org`,
    comment: `Form comment ${n}`,
    ...extra,
  };
}
async function postJsonText(payload: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${api.url}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: api.origin },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.status, text: await res.text() };
}
async function postForm(fields: Record<string, string>): Promise<{ status: number; text: string; type: string }> {
  const res = await fetch(`${api.url}/api/comments`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: api.origin, referer: `${api.origin}/post` },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'hostile-a', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

const bad: [string, string][] = [
  ['NUL', 'a\u0000b'],
  ['SOH', 'a\u0001b'],
  ['ESC', 'a\u001bb'],
  ['DEL', 'a\u007fb'],
  ['C1 NEL', 'a\u0085b'],
  ['C1 CSI', 'a\u009bb'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
  ['a trailing NUL', 'ab\u0000'],
];

// Every string field the JSON body accepts, with the field the error must name.
const jsonFields: [string, string][] = [
  ['site', 'site'],
  ['page', 'page'],
  ['pageUrl', 'pageUrl'],
  ['pageTitle', 'pageTitle'],
  ['parent', 'parent'],
  ['author', 'author'],
  ['email', 'email'],
  ['url', 'url'],
  ['body', 'body'],
  ['key', 'key'],
  ['honeypot', 'honeypot'],
  ['formToken', 'formToken'],
  ['lang', 'lang'],
];
// And every one of the form's, reported under the API's names as the form's other errors are.
const formFieldNames: [string, string][] = [
  ['site', 'site'],
  ['comment_post_ID', 'page'],
  ['page_url', 'pageUrl'],
  ['page_title', 'pageTitle'],
  ['comment_parent', 'parent'],
  ['author', 'author'],
  ['email', 'email'],
  ['url', 'url'],
  ['comment', 'body'],
  ['key', 'key'],
  ['reply_desk_hp', 'honeypot'],
  ['reply_desk_token', 'formToken'],
  ['reply_desk_lang', 'lang'],
  ['redirect_to', 'redirectTo'],
  ['notify_replies', 'notifyReplies'],
];

const ownCheck: Record<string, string> = { email: 'INVALID_EMAIL', url: 'INVALID_URL', parent: 'INVALID_PARENT' };

describe('control characters and broken Unicode in a JSON submission', () => {
  const cases = jsonFields.flatMap(([name, field]) => bad.map(([what, value]) => [name, what, value, field] as const));
  it.each(cases)(
    '%s with %s: 422 INVALID_CHARACTERS naming the field, nothing queued',
    async (name, _what, value, field) => {
      const before = await api.queue.count();
      // JSON.stringify writes a lone surrogate as a \uXXXX escape, as a hostile client would send it.
      const body = JSON.stringify(valid({ [name]: value }));
      const { status, text } = await postJsonText(body);
      expect(status, text).toBe(422);
      const error = (JSON.parse(text) as { error: { code: string; field: string; message: string } }).error;
      expect(error.field).toBe(field);
      // A field with a check of its own may refuse it by that check first (as a CRLF in an email always was).
      expect(['INVALID_CHARACTERS', ownCheck[field]]).toContain(error.code);
      if (error.code === 'INVALID_CHARACTERS')
        expect(error.message).toMatch(/contains characters that are not allowed/);
      expect(await api.queue.count()).toBe(before);
    },
  );

  it.each([
    ['tab', 'a\tb'],
    ['newline', 'a\nb'],
    ['CRLF', 'a\r\nb'],
  ])('a %s in the comment is text, and accepted', async (_what, value) => {
    const { status, text } = await postJsonText(valid({ body: `line one ${value} line two` }));
    expect(status, text).toBe(202);
  });

  it.each([
    ['tab', '\t'],
    ['newline', '\n'],
    ['CR', '\r'],
  ])('a %s inside the page title is refused (titles reach mail headers)', async (_what, c) => {
    const { status, text } = await postJsonText(valid({ pageTitle: `Title${c}Bcc: x@evil.example` }));
    expect(status, text).toBe(422);
    expect((JSON.parse(text) as { error: { field: string } }).error.field).toBe('pageTitle');
  });

  it('several bad fields are all listed, the first one naming the error', async () => {
    const { status, text } = await postJsonText(valid({ pageTitle: 'T\u0000', key: 'k\u0000', body: 'ok' }));
    expect(status).toBe(422);
    const error = (JSON.parse(text) as { error: { field: string; errors: { field: string }[] } }).error;
    expect(error.field).toBe('pageTitle');
    expect(error.errors.map((e) => e.field)).toEqual(['pageTitle', 'key']);
  });
});

describe('control characters and broken Unicode in a form post', () => {
  // URLSearchParams encodes a lone surrogate as U+FFFD, so the form cases are the control characters.
  const formBad = bad.filter(([what]) => !what.includes('surrogate'));
  const cases = formFieldNames.flatMap(([name, field]) =>
    formBad.map(([what, value]) => [name, what, value, field] as const),
  );
  it.each(cases)('%s with %s: 422 and the readable error page', async (name, _what, value) => {
    const before = await api.queue.count();
    const { status, text, type } = await postForm(formFields({ [name]: value }));
    expect(status, text.slice(0, 300)).toBe(422);
    expect(type).toMatch(/^text\/html/);
    expect(text).toContain('Comment Submission Failure');
    if (!['email', 'url', 'comment_parent'].includes(name))
      expect(text).toContain('contains characters that are not allowed');
    // The way back, except when the site itself is what cannot be read.
    if (name !== 'site') expect(text).toContain('« Back');
    expect(await api.queue.count()).toBe(before);
  });
});

describe('websites and bodies as readers type them', () => {
  it('a website without a scheme is stored with http:// in front (WordPress behaviour)', async () => {
    const { status, text } = await postJsonText(valid({ url: 'user.example.org' }));
    expect(status, text).toBe(202);
    const { id } = JSON.parse(text) as { id: string };
    await waitForStored(db.pool, id);
    const { rows } = await db.pool.query<{ author_url: string }>('select author_url from comments where id = $1', [id]);
    expect(rows[0]?.author_url).toBe('http://user.example.org');
  });

  it('the same from the no-JS form', async () => {
    const { status } = await postForm(
      formFields({ url: 'www.example.org/about', comment: 'Form website without scheme' }),
    );
    expect(status).toBe(303);
    const row = await waitForRow("body = 'Form website without scheme'");
    expect(row.author_url).toBe('http://www.example.org/about');
  });

  it.each([
    ['javascript:alert(1)'],
    ['  JaVaScRiPt:alert(1)'],
    ['data:text/html,x'],
    ['ftp://files.example.org'],
    ['mailto:a@b.example'],
  ])('a website with another scheme (%j) is still refused', async (url) => {
    const { status, text } = await postJsonText(valid({ url }));
    expect(status, text).toBe(422);
    expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('INVALID_URL');
  });

  it('a comment that starts with an indented code block keeps it, and renders it as code', async () => {
    const body = '\n    const answer = 42;\n    print(answer)\n\nThat is all.\n\n';
    const { status, text } = await postJsonText(valid({ body }));
    expect(status, text).toBe(202);
    const { id } = JSON.parse(text) as { id: string };
    const row = await waitForStored(db.pool, id);
    const stored = await db.pool.query<{ body: string }>('select body from comments where id = $1', [id]);
    expect(stored.rows[0]?.body).toBe('    const answer = 42;\n    print(answer)\n\nThat is all.');
    expect(row.body_html).toMatch(/<pre><code>const answer = 42;\nprint\(answer\)\n?<\/code><\/pre>/);
  });

  it('a body of only whitespace and blank lines is still refused as missing', async () => {
    const { status, text } = await postJsonText(valid({ body: '\n    \n\t\n   ' }));
    expect(status).toBe(422);
    expect((JSON.parse(text) as { error: { code: string; field: string } }).error).toMatchObject({
      code: 'REQUIRED',
      field: 'body',
    });
  });

  it('the same code comment posted twice is still a duplicate', async () => {
    const payload = valid({ body: '    x = 1\n\nsame again' });
    const first = JSON.parse((await postJsonText(payload)).text) as { id: string };
    expect((await waitForStored(db.pool, first.id)).status).toBe('approved');
    const second = JSON.parse((await postJsonText(payload)).text) as { id: string };
    const row = await waitForStored(db.pool, second.id);
    expect(row.status).toBe('rejected');
    expect(row.verdict.reasons.map((r) => r.code)).toContain('DUPLICATE');
  });
});

async function waitForRow(where: string): Promise<{ author_url: string; body: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { rows } = await db.pool.query<{ author_url: string; body: string }>(
      `select author_url, body from comments where ${where}`,
    );
    if (rows[0]) return rows[0];
    if (Date.now() > deadline) throw new Error(`no row where ${where}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
