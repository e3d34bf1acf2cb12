import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_PATHS } from '../../src/http/desk/admin/admin-door.js';

/*
 * The layout README's Development section describes, checked so that it stays true: small folders, and
 * the HTTP layer's floors (app → door → routes → kit). Circular imports are `npm run check:imports`
 * (madge); this file checks the direction of the edges madge does not judge.
 */

const root = resolve(import.meta.dirname, '../..');
const http = 'src/http';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function foldersUnder(dir: string): string[] {
  return [
    dir,
    ...readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => foldersUnder(join(dir, e.name))),
  ];
}

/** The repo-relative .ts files a source file imports by a relative path (type-only imports included: they bind the layers too). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    relative(root, resolve(root, dirname(file), m[1]!)).replace(/\.js$/, '.ts'),
  );
}

/**
 * Which room of the HTTP layer a file stands in: 'app' (src/http itself: app.ts, error-handler.ts),
 * 'kit', a wing ('public', 'readers', 'mail', 'demo', 'ops', 'desk'), or a desk sub-wing ('desk/moderator',
 * 'desk/admin'); undefined outside src/http.
 */
function roomOf(file: string): string | undefined {
  if (!file.startsWith(`${http}/`)) return undefined;
  const parts = file.slice(http.length + 1).split('/');
  if (parts.length === 1) return 'app';
  if (parts[0] === 'desk' && parts.length > 2) return `desk/${parts[1]}`;
  return parts[0];
}

/**
 * Which rooms each room may import from, besides itself and anything outside src/http. The demo article
 * is a page for readers that posts through the public wing's own input narrowing and status wording
 * (one set of rules for both forms), so it may read public's; no other wing reads another's.
 */
const mayImport: Record<string, readonly string[]> = {
  app: ['kit', 'public', 'readers', 'mail', 'desk', 'demo', 'ops'],
  kit: [],
  public: ['kit'],
  readers: ['kit'],
  mail: ['kit'],
  ops: ['kit'],
  demo: ['kit', 'public'],
  desk: ['kit', 'desk/moderator', 'desk/admin'],
  'desk/moderator': ['kit', 'desk'],
  'desk/admin': ['kit', 'desk'],
};

describe('source layout', () => {
  it('no folder under src/ or workers/ holds more than 20 source files directly', () => {
    const crowded = [...foldersUnder('src'), ...foldersUnder('workers')]
      .map((dir) => ({ dir, files: readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts')).length }))
      .filter((f) => f.files > 20);
    expect(crowded).toEqual([]);
  });

  it('every HTTP import goes down a floor: app → wings (doors → routes) → kit, and no wing reads another', () => {
    const wrong = sourceFiles(http).flatMap((file) => {
      const from = roomOf(file)!;
      return importsOf(file)
        .filter((target) => {
          const to = roomOf(target);
          return to !== undefined && to !== from && !(mayImport[from] ?? []).includes(to);
        })
        .map((target) => `${file} → ${target}`);
    });
    expect(wrong).toEqual([]);
  });

  it('inside the desk, only its door (desk-door.ts) reaches into the moderator and admin sub-wings', () => {
    const wrong = sourceFiles(`${http}/desk`)
      .filter((f) => roomOf(f) === 'desk' && !f.endsWith('/desk-door.ts'))
      .flatMap((file) =>
        importsOf(file)
          .filter((t) => roomOf(t)?.startsWith('desk/'))
          .map((t) => `${file} → ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('the escaping template (src/html) stands below HTTP and mail: it imports neither', () => {
    const wrong = sourceFiles('src/html').flatMap((file) =>
      importsOf(file)
        .filter((t) => t.startsWith(`${http}/`) || t.startsWith('src/mail/'))
        .map((t) => `${file} → ${t}`),
    );
    expect(wrong).toEqual([]);
  });

  it('the HTTP layer opens no queue and no connection: the entry file (src/bin/api.ts, the harness) makes and closes them', () => {
    const opens =
      /\bcreate\w*Queue\(|\bnew (?:Queue|Worker|Redis|IORedis|Pool)\b|\bcreate(?:Producer|Subscriber)Redis\(|\bcreatePool\(/;
    const wrong = sourceFiles(http).filter((file) => opens.test(readFileSync(join(root, file), 'utf8')));
    expect(wrong).toEqual([]);
  });

  it('each desk guard is applied by its door only: requireModerator in desk-door.ts, requireAdmin in admin-door.ts', () => {
    // Code only: comments may name a guard to say where it is applied.
    const code = (f: string) => readFileSync(join(root, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const uses = (name: string) =>
      sourceFiles(`${http}/desk`).filter(
        (f) => !f.endsWith('/moderator-session.ts') && new RegExp(`\\b${name}\\b`).test(code(f)),
      );
    expect(uses('requireModerator')).toEqual([`${http}/desk/desk-door.ts`]);
    expect(uses('requireModeratorApi')).toEqual([`${http}/desk/desk-door.ts`]);
    expect(uses('requireAdmin')).toEqual([`${http}/desk/admin/admin-door.ts`]);
  });

  it('the mail wing checks the signed token at its door only, and the public wing applies CORS at its door only', () => {
    const calling = (pattern: RegExp) =>
      sourceFiles(http).filter((f) => pattern.test(readFileSync(join(root, f), 'utf8')));
    expect(calling(/\breadMailToken\(/)).toEqual([`${http}/mail/mail-door.ts`]);
    expect(calling(/\bcors\(/)).toEqual([`${http}/public/public-door.ts`]);
  });

  it('every path an admin route file answers lies under one the admin door guards (ADMIN_PATHS)', () => {
    const paths = sourceFiles(`${http}/desk/admin`)
      .filter((f) => !f.endsWith('/admin-door.ts'))
      .flatMap((f) =>
        [...readFileSync(join(root, f), 'utf8').matchAll(/router\.(?:get|post|use|all)\(\s*'([^']*)'/g)].map(
          (m) => m[1]!,
        ),
      );
    expect(paths.length).toBeGreaterThan(10);
    const unguarded = paths.filter((p) => !ADMIN_PATHS.some((a) => p === a || p.startsWith(`${a}/`)));
    expect(unguarded).toEqual([]);
  });

  it('the small request readers copied across routes are defined once, in the kit', () => {
    const notKit = (f: string) => !f.startsWith(`${http}/kit/`);
    const defining = (files: string[], pattern: RegExp) =>
      files.filter((f) => notKit(f) && pattern.test(readFileSync(join(root, f), 'utf8')));
    // Query readers, the outage answer and the timeout, anywhere in the code…
    expect(
      defining([...sourceFiles('src'), ...sourceFiles('workers')], /\bfunction (queryText|databaseDown|within)\b/),
    ).toEqual([]);
    // …and body readers in the HTTP layer (kit/form-values.ts).
    expect(defining(sourceFiles(http), /\bfunction (bodyText|field|formValue|formText)\b/)).toEqual([]);
  });

  it('every route file lives in a wing, not in the kit or beside app.ts', () => {
    const stray = sourceFiles(http).filter(
      (f) => f.endsWith('-routes.ts') && (roomOf(f) === 'kit' || roomOf(f) === 'app'),
    );
    expect(stray).toEqual([]);
  });
});
