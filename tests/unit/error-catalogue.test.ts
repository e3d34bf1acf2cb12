import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFieldErrors } from '../../src/domain/comment-fields.js';
import { checkPageTitle } from '../../src/domain/page-title.js';
import { errorCatalogue, isErrorCode, statusesOf, type ErrorCode, type ErrorEntry } from '../../src/error-catalogue.js';
import { AppError } from '../../src/errors.js';
import { en as readerPageWords } from '../../src/i18n/reader-words.js';
import { enMore } from '../../widget/more-words.js';

/*
 * The catalogue is the one list of the API's error codes; the README's "Error codes" table is its copy
 * for readers, and other tables and sentences of the README that pair a status with a code must agree
 * with it. The type checker does the rest: AppError.of takes only catalogue codes (see the
 * @ts-expect-error lines below, which fail `tsc` if a typo or a wrong status ever compiles).
 */

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const codes = Object.keys(errorCatalogue) as ErrorCode[];

function statusCell(status: ErrorEntry['status']): string {
  return typeof status === 'number' ? String(status) : status === '4xx' ? '4xx' : status.join(', ');
}

/** The README's rows as the catalogue would write them. */
function expectedRows(): string[] {
  return codes.map((code) => {
    const e: ErrorEntry = errorCatalogue[code];
    return `| \`${code}\` | ${statusCell(e.status)} | ${e.meaning} |`;
  });
}

function readmeErrorTable(): string[] {
  const start = readme.indexOf('<!-- error-codes:');
  const end = readme.indexOf('<!-- /error-codes -->');
  expect(start, 'README.md has an "<!-- error-codes: … -->" block').toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((l) => l.startsWith('| `'));
}

/** Whether `status` is one a code may answer with. */
function allows(code: ErrorCode, status: number): boolean {
  const s = statusesOf(code);
  return s === '4xx' ? status >= 400 && status < 500 : s.includes(status);
}

describe('the README documents exactly the error catalogue', () => {
  it('its Error codes table lists every catalogue code, in order, with the same status and meaning', () => {
    const rows = readmeErrorTable();
    // On failure the message is the table to paste into README.md.
    expect(rows.join('\n'), `README.md's Error codes table should read:\n${expectedRows().join('\n')}\n`).toBe(
      expectedRows().join('\n'),
    );
  });

  it('its Error codes table names no code the catalogue lacks', () => {
    const named = readmeErrorTable().map((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1]);
    expect(named.filter((c) => c === undefined || !isErrorCode(c))).toEqual([]);
  });

  it('every status | code table elsewhere in the README pairs codes with a status the catalogue gives them', () => {
    const wrong: string[] = [];
    let tables = 0;
    let inTable = false;
    for (const line of readme.split('\n')) {
      if (/^\| status \| code \|/.test(line)) {
        inTable = true;
        tables++;
        continue;
      }
      if (!line.startsWith('|')) {
        inTable = false;
        continue;
      }
      if (!inTable) continue;
      const [, statusCellText, codeCell] = line.split('|').map((c) => c.trim());
      const status = Number(statusCellText);
      if (!Number.isInteger(status) || status < 400) continue;
      for (const [, code] of (codeCell ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)) {
        if (!isErrorCode(code!) || !allows(code, status)) wrong.push(`${status} ${code}`);
      }
    }
    expect(tables).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
  });

  it('every "`429 RATE_LIMITED`" in the README prose agrees with the catalogue', () => {
    const pairs = [...readme.matchAll(/`([1-5]\d\d) ([A-Z][A-Z0-9_]+)`/g)].map((m) => [Number(m[1]), m[2]!] as const);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.filter(([status, code]) => !isErrorCode(code) || !allows(code, status))).toEqual([]);
  });
});

describe('every catalogue code is used, and every code clients switch on is catalogued', () => {
  function sourceText(dir: string): string {
    return readdirSync(dir)
      .map((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return sourceText(path);
        return path.endsWith('.ts') && !path.endsWith('error-catalogue.ts') ? readFileSync(path, 'utf8') : '';
      })
      .join('\n');
  }

  it('no catalogue code is dead: each is named somewhere in src/ outside the catalogue', () => {
    const src = sourceText(join(root, 'src'));
    expect(codes.filter((code) => !src.includes(`'${code}'`))).toEqual([]);
  });

  it("the widget's and the no-JS pages' messages by code (REQUIRED_author, TOO_LONG, …) and the widget's code checks are catalogue codes", () => {
    const widgetCodes = new Set<string>();
    // Every language has English's keys (tests/unit/translations.test.ts).
    for (const messages of [enMore, readerPageWords.page]) {
      for (const key of Object.keys(messages.errors)) {
        // "REQUIRED_author" is REQUIRED for the author field.
        widgetCodes.add(isErrorCode(key) ? key : key.replace(/_[a-z][A-Za-z]*$/, ''));
      }
    }
    const widget = sourceText(join(root, 'widget'));
    for (const [, code] of widget.matchAll(/code === '([A-Z0-9_]+)'/g)) widgetCodes.add(code!);
    expect(widgetCodes.size).toBeGreaterThan(3);
    expect([...widgetCodes].filter((c) => !isErrorCode(c))).toEqual([]);
  });

  it.each([
    ['an empty comment and name', { body: ' ', author: '', email: '', url: '', page: '', parentId: null }],
    [
      'overlong fields',
      {
        body: 'x'.repeat(70_000),
        author: 'x'.repeat(300),
        email: `${'x'.repeat(100)}@example.org`,
        url: `https://${'x'.repeat(300)}`,
        page: 'p'.repeat(2000),
        parentId: null,
      },
    ],
    [
      'bad email, website and parent',
      { body: 'hi', author: 'Ann', email: 'not-an-email', url: 'javascript:alert(1)', page: 'p', parentId: 'nope' },
    ],
    [
      'control characters',
      { body: 'a\u0000b', author: 'A\u0001', email: '', url: '', page: 'p\u0002', parentId: null },
    ],
  ])("a comment's field problems (%s) are catalogue codes that may be a 422", (_name, fields) => {
    const errors = findFieldErrors(fields, { requireName: true, requireEmail: true });
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(isErrorCode(e.code) && allows(e.code, 422), e.code).toBe(true);
    const raised = AppError.fields(errors);
    expect(raised).toMatchObject({ status: 422, code: errors[0]!.code, field: errors[0]!.field, fieldErrors: errors });
  });

  it.each([
    ['empty', ''],
    ['two lines', 'a\nb'],
    ['too long', 't'.repeat(2000)],
  ])('a refused page title (%s) is a catalogue code that may be a 422', (_name, title) => {
    const checked = checkPageTitle(title);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(isErrorCode(checked.code) && allows(checked.code, 422)).toBe(true);
  });
});

describe('AppError.of raises a catalogue code', () => {
  it("with the catalogue's status and default message when the caller gives neither", () => {
    const e = AppError.of('SIGNED_OUT');
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({
      status: 401,
      code: 'SIGNED_OUT',
      message: 'Please sign in again.',
      field: undefined,
      fieldErrors: [],
      retryAfter: undefined,
    });
  });

  it("with the caller's message, field, detail and Retry-After", () => {
    const cause = new Error('redis down');
    const e = AppError.of('QUEUE_UNAVAILABLE', { message: 'Not now.', field: 'x', detail: cause, retryAfter: 5 });
    expect(e).toMatchObject({
      status: 503,
      code: 'QUEUE_UNAVAILABLE',
      message: 'Not now.',
      field: 'x',
      detail: cause,
      retryAfter: 5,
    });
  });

  it('with the status the caller names for a code that has several', () => {
    expect(AppError.of('UNKNOWN_SITE', { status: 403 }).status).toBe(403);
    expect(AppError.of('UNKNOWN_SITE', { status: 404 }).status).toBe(404);
    expect(AppError.of('BAD_REQUEST', { status: 431 }).status).toBe(431);
  });

  it('and the type checker refuses a typo, a missing or foreign status, or a status a code does not have', () => {
    // @ts-expect-error: not a catalogue code
    expect(() => AppError.of('SITE_NOT_FUOND')).toThrow();
    // @ts-expect-error: UNKNOWN_SITE is a 403 or a 404; the caller must say which
    expect(() => AppError.of('UNKNOWN_SITE')).toThrow(/needs a status/);
    // @ts-expect-error: REQUIRED is never a 404
    AppError.of('REQUIRED', { status: 404 });
    // @ts-expect-error: NOT_FOUND has one status, the catalogue's
    AppError.of('NOT_FOUND', { status: 410 });
  });
});
