import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/cli/export-commands.js';
import { addSite } from '../support/harness.js';
import { fixtureDir, importFile, statusCounts } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let db: TestDatabase;
let dir: string;

async function exportTo(site: string, format: 'json' | 'wxr', file: string): Promise<string> {
  const logs: string[] = [];
  const code = await runExportCommand(
    db.pool,
    ['--site', site, '--format', format, '--out', file],
    new PassThrough(),
    (l) => logs.push(l),
    new Date('2026-01-01T00:00:00Z'),
  );
  expect(code).toBe(0);
  return readFile(file, 'utf8');
}

function withoutTime(json: string): unknown {
  const doc = JSON.parse(json) as { exportedAt?: string };
  delete doc.exportedAt;
  return doc;
}

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rd-export-'));
  for (const id of ['a', 'b', 'c']) await addSite(db.pool, id, ['https://blog.example']);
  expect((await importFile(db.pool, ['wordpress', join(fixtureDir, 'wordpress-nasty.xml'), '--site', 'a'])).code).toBe(
    0,
  );
  expect((await importFile(db.pool, ['disqus', join(fixtureDir, 'disqus-nasty.xml'), '--site', 'a'])).code).toBe(0);
  // An edited comment and an anonymised address must survive the trip too.
  await db.pool.query(
    `update comments set edited_at = '2024-03-01T00:00:00Z' where site_id = 'a' and author_name = 'Bob' and body like 'Replying%'`,
  );
  await db.pool.query(`update comments set ip = '203.0.113.0/24' where site_id = 'a' and author_name = 'Ann'`);
});

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('export', () => {
  it('JSON → import into the emptied site → JSON again is exactly the same', async () => {
    const first = await exportTo('a', 'json', join(dir, 'a.json'));
    const doc = JSON.parse(first) as { pages: unknown[]; comments: { id: string }[] };
    expect(doc.pages).toHaveLength(5);
    expect(doc.comments).toHaveLength(24);

    await db.pool.query(`delete from comments where site_id = 'a'`);
    await db.pool.query(`delete from pages where site_id = 'a'`);
    const { code, lines } = await importFile(db.pool, ['json', join(dir, 'a.json'), '--site', 'a']);
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('imported: 24 (approved 17, pending 2, spam 2, rejected 1, deleted 2)');

    const second = await exportTo('a', 'json', join(dir, 'a2.json'));
    expect(withoutTime(second)).toEqual(withoutTime(first));
    // And a second import of the same file adds nothing.
    const again = await importFile(db.pool, ['json', join(dir, 'a.json'), '--site', 'a']);
    expect(again.lines.join('\n')).toContain('already imported by an earlier run: 24');
  });

  it('JSON into another site gets new ids and the same threads', async () => {
    const { code } = await importFile(db.pool, ['json', join(dir, 'a.json'), '--site', 'b']);
    expect(code).toBe(0);
    expect(await statusCounts(db.pool, 'b')).toEqual(await statusCounts(db.pool, 'a'));
    const shared = await db.pool.query(
      `select count(*)::int as n from comments a join comments b on a.id = b.id where a.site_id = 'a' and b.site_id = 'b'`,
    );
    expect(shared.rows[0].n).toBe(0);
    const replies = await db.pool.query(
      `select site_id, count(*)::int as n from comments where parent_id is not null and site_id in ('a', 'b') group by site_id order by site_id`,
    );
    expect(replies.rows).toEqual([
      { site_id: 'a', n: 4 },
      { site_id: 'b', n: 4 },
    ]);
  });

  it('WXR is well-formed XML that imports back as WordPress', async () => {
    const wxr = await exportTo('a', 'wxr', join(dir, 'a.xml'));
    const parser = new SaxesParser({ xmlns: true });
    let items = 0;
    let comments = 0;
    parser.on('opentag', (t) => {
      if (t.local === 'item') items += 1;
      if (t.local === 'comment' && t.prefix === 'wp') comments += 1;
    });
    parser.on('error', (e) => {
      throw e;
    });
    parser.write(wxr).close();
    expect(items).toBe(5);
    expect(comments).toBe(23); // every comment but the rejected duplicate
    expect(wxr).toContain('<wp:wxr_version>1.2</wp:wxr_version>');

    const { code, lines } = await importFile(db.pool, ['wordpress', join(dir, 'a.xml'), '--site', 'c']);
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain('imported: 23 (approved 17, pending 2, spam 2, rejected 0, deleted 2)');
    expect(lines.join('\n')).toContain('replies linked to their parent: 4');
  });

  it('an unknown site is a usage error and leaves no file', async () => {
    await expect(exportTo('nope', 'json', join(dir, 'nope.json'))).rejects.toThrow(/no site "nope"/);
    await expect(readFile(join(dir, 'nope.json.partial'))).rejects.toThrow();
  });
});
