import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/cli/export-commands.js';
import { addSite } from '../support/harness.js';
import { fixtureDir, importFile } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// One bad input fails only itself, in imports too: a NUL in one comment used to make Postgres refuse
// the batch's statement, and the whole import stopped with "invalid byte sequence for encoding".
let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rd-import-bad-'));
  for (const id of ['a', 'b']) await addSite(db.pool, id, ['https://blog.example']);
  expect((await importFile(db.pool, ['wordpress', join(fixtureDir, 'wordpress-nasty.xml'), '--site', 'a'])).code).toBe(
    0,
  );
});

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('an import file with text Postgres cannot store', () => {
  it('skips only the comments and pages that hold it, says so, and imports the rest', async () => {
    const out = join(dir, 'a.json');
    await runExportCommand(db.pool, ['--site', 'a', '--out', out], new PassThrough(), () => {}, new Date());
    const doc = JSON.parse(await readFile(out, 'utf8')) as {
      pages: { identifier: string; title: string | null }[];
      comments: { id: string; page: string; authorName: string; body: string; authorEmail: string }[];
    };
    const total = doc.comments.length;
    doc.comments[0]!.authorName = 'bad\u0000name';
    doc.comments[1]!.body = 'lone \ud800 surrogate';
    doc.comments[2]!.authorEmail = 'x\u0085@example.org';
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify(doc));

    const r = await importFile(db.pool, ['json', file, '--site', 'b']);
    expect(r.code).toBe(0);
    const stored = await db.pool.query<{ n: number }>(`select count(*)::int as n from comments where site_id = 'b'`);
    expect(stored.rows[0]!.n).toBe(total - 3);
    expect(r.lines).toContain('skipped: 3');
    expect(r.lines.join('\n')).toMatch(/1 × a control character or broken Unicode in its authorName/);
    expect(r.lines.join('\n')).toMatch(/1 × a control character or broken Unicode in its body/);
    expect(r.lines.join('\n')).toMatch(/1 × a control character or broken Unicode in its authorEmail/);
  });
});
