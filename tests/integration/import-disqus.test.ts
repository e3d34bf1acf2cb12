import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedCommentId } from '../../src/import/source-mapping.js';
import { addSite } from '../support/harness.js';
import { countRows, fixtureDir, importFile, statusCounts } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

let db: TestDatabase;
const nasty = join(fixtureDir, 'disqus-nasty.xml');
const idOf = (site: string, post: string) => importedCommentId(site, 'disqus', post);

beforeAll(async () => {
  db = await createTestDatabase();
  for (const id of ['news', 'dry']) await addSite(db.pool, id, ['https://news.example']);
  // A page the widget already shows, keyed by its URL: thread 1004 must land on it.
  await db.pool.query(
    `insert into pages (site_id, identifier, url, title) values ('news', 'https://news.example/existing', 'https://news.example/existing', 'Existing')`,
  );
});

afterAll(async () => {
  await db?.drop();
});

describe('import disqus', () => {
  it('imports the nasty fixture with a truthful report', async () => {
    const { code, lines } = await importFile(db.pool, ['disqus', nasty, '--site', 'news']);
    const report = lines.join('\n');
    expect(code).toBe(0);
    expect(report).toContain('pages: 2 new, 1 existing, 1 in the file without comments (not created)');
    expect(report).toContain('comments in the file: 13');
    expect(report).toContain('imported: 12 (approved 9, pending 1, spam 1, rejected 0, deleted 1)');
    expect(report).toContain('replies linked to their parent: 2');
    expect(report).toMatch(/kept as top-level, parent not in the file .*: 1 \(e\.g\. 5007\)/);
    expect(report).toContain('1 × its page (thread) is not in the file (e.g. 5012)');
    expect(report).toContain('note: 1 × IP address unreadable: stored without one (e.g. 5013)');
    expect(await statusCounts(db.pool, 'news')).toEqual({ approved: 9, pending: 1, spam: 1, deleted: 1 });
  });

  it('maps threads by identifier, by URL when there is none, and onto existing pages', async () => {
    const { rows } = await db.pool.query(
      'select identifier, url, title, closed, approved_count from pages where site_id = $1 order by id',
      ['news'],
    );
    expect(rows).toEqual([
      {
        identifier: 'https://news.example/existing',
        url: 'https://news.example/existing',
        title: 'Existing',
        closed: false,
        approved_count: 1,
      },
      {
        identifier: 'post-1',
        url: 'https://news.example/2020/post-1',
        title: 'Post one: "quotes" & <angles>',
        closed: false,
        approved_count: 7,
      },
      {
        identifier: 'https://news.example/2020/post-2',
        url: 'https://news.example/2020/post-2',
        title: 'Post two, no identifier',
        closed: true,
        approved_count: 1,
      },
    ]);
  });

  it('keeps parents (also when the parent comes later), authors, dates with time zones, and safe text', async () => {
    const row = async (post: string) =>
      (await db.pool.query('select * from comments where id = $1', [idOf('news', post)])).rows[0];
    const first = await row('5001');
    expect(first).toMatchObject({ author_name: 'Ann', author_email: 'ann@example.org', ip: '203.0.113.1', depth: 0 });
    expect(first.body).toBe('First! With a [link](https://example.org/x) and **bold**.\n\nSecond para');
    expect(first.body_html).not.toMatch(/<script/);
    expect(await row('5002')).toMatchObject({ parent_id: idOf('news', '5001'), depth: 1 });
    expect(await row('5003')).toMatchObject({ parent_id: idOf('news', '5005'), depth: 1 });
    expect(await row('5004')).toMatchObject({ status: 'deleted', body: '', author_email: '' });
    expect(await row('5007')).toMatchObject({ parent_id: null });
    expect(await row('5008')).toMatchObject({ author_name: '', author_email: '', ip: null, status: 'approved' });
    expect(await row('5009')).toMatchObject({ status: 'pending' });
    expect(await row('5010')).toMatchObject({ ip: '2001:db8::10' });
    const joe = await row('5013');
    expect(joe).toMatchObject({
      author_name: 'Joe Spaces',
      author_email: 'joe@example.org',
      body: 'Escaped HTML, not CDATA: fish & chips',
    });
    expect(joe.received_at.toISOString()).toBe('2020-01-08T13:30:00.000Z');
  });

  it('a second run adds nothing; a dry run writes nothing', async () => {
    const before = await countRows(db.pool, 'news');
    const again = await importFile(db.pool, ['disqus', nasty, '--site', 'news']);
    expect(again.code).toBe(0);
    expect(again.lines.join('\n')).toContain('already imported by an earlier run: 12');
    expect(await countRows(db.pool, 'news')).toEqual(before);

    const dry = await importFile(db.pool, ['disqus', nasty, '--site', 'dry', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.lines.join('\n')).toContain('would import: 12 (approved 9, pending 1, spam 1, rejected 0, deleted 1)');
    expect(await countRows(db.pool, 'dry')).toEqual({ comments: 0, pages: 0 });
  });
});
