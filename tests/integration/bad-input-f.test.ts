import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedCommentId } from '../../src/import/source-mapping.js';
import { addSite } from '../support/harness.js';
import { importFile } from '../support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Hostile import files of issue 11 (items 5 and 12): a text node far larger than any comment, and a
 * JSON export carrying javascript: links.
 */

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rd-bad-input-f-'));
  for (const id of ['huge-wp', 'huge-dq', 'json-urls']) await addSite(db.pool, id, ['https://blog.example']);
});

afterAll(async () => {
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

const MB = 1024 * 1024;

/** Writes `mb` MiB of `unit` repeated, one MiB at a time (the test itself never holds the whole node). */
async function writeHuge(out: NodeJS.WritableStream, unit: string, mb: number): Promise<void> {
  const piece = unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
  for (let i = 0; i < mb; i += 1) if (!out.write(piece)) await once(out, 'drain');
}

/** Runs an import while sampling the heap; returns its printed lines and the peak heap growth in MiB. */
async function importMeasured(args: string[]): Promise<{ code: number; lines: string[]; growthMb: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 10);
  try {
    const { code, lines } = await importFile(db.pool, args);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { code, lines, growthMb: (peak - baseline) / MB };
  } finally {
    clearInterval(sampler);
  }
}

describe('an import with a text node far larger than any comment', () => {
  it('WordPress: a 40 MB comment (CDATA) and a 40 MB one (text) are skipped with a report line, memory stays flat', async () => {
    const file = join(dir, 'huge.xml');
    const out = createWriteStream(file);
    const comment = (id: number, content: string) =>
      `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>R${id}</wp:comment_author>` +
      `<wp:comment_date_gmt>2023-01-0${id} 10:00:00</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved>` +
      `<wp:comment_parent>0</wp:comment_parent>${content}</wp:comment>\n`;
    out.write(
      '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n',
    );
    out.write('<item><title>Post</title><link>https://blog.example/p/1</link><wp:post_id>1</wp:post_id>\n');
    out.write(comment(1, '<wp:comment_content>A normal comment.</wp:comment_content>'));
    out.write('<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_content><![CDATA[');
    await writeHuge(out, 'lorem ipsum ', 40);
    out.write(
      ']]></wp:comment_content><wp:comment_date_gmt>2023-01-02 10:00:00</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved></wp:comment>\n',
    );
    out.write(
      '<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_date_gmt>2023-01-03 10:00:00</wp:comment_date_gmt><wp:comment_approved>1</wp:comment_approved><wp:comment_content>',
    );
    await writeHuge(out, 'dolor &amp; sit ', 40);
    out.write('</wp:comment_content></wp:comment>\n');
    out.write(comment(4, '<wp:comment_content>After the big ones.</wp:comment_content>'));
    out.end('</item></channel></rss>\n');
    await once(out, 'finish');

    const { code, lines, growthMb } = await importMeasured(['wordpress', file, '--site', 'huge-wp']);
    console.log(`[bad-input-f] 80 MB of text nodes imported with a heap growth of ${growthMb.toFixed(1)} MB at peak`);
    const report = lines.join('\n');
    expect(code).toBe(0);
    expect(report).toContain('comments in the file: 4');
    expect(report).toMatch(/imported: 2 /);
    expect(report).toContain('2 × a field longer than 1,000,000 characters (wp:comment_content) (e.g. 1/2, 1/3)');
    const { rows } = await db.pool.query<{ body: string }>(
      `select body from comments where site_id = 'huge-wp' order by received_at`,
    );
    expect(rows.map((r) => r.body)).toEqual(['A normal comment.', 'After the big ones.']);
    // Before, saxes gathered each node whole: 40 MB of text cost well over 100 MB of heap (300 MB cost
    // 1.3 GB). Now only one 1 MiB chunk and the first 1,000,000 characters of a field are held.
    expect(growthMb).toBeLessThan(40);
  }, 120_000);

  it('Disqus: a 40 MB message is skipped with a report line, memory stays flat', async () => {
    const file = join(dir, 'huge-disqus.xml');
    const out = createWriteStream(file);
    out.write(
      '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
    );
    out.write('<thread dsq:id="t1"><id>page-1</id><link>https://blog.example/1</link><title>One</title></thread>\n');
    const post = (id: string, message: string) =>
      `<post dsq:id="${id}"><message>${message}</message><createdAt>2023-01-01T10:00:00Z</createdAt>` +
      `<author><name>R</name><email>r@example.org</email></author><thread dsq:id="t1"/></post>\n`;
    out.write(post('p1', '<![CDATA[<p>Fine.</p>]]>'));
    out.write('<post dsq:id="p2"><message><![CDATA[');
    await writeHuge(out, '<p>spam</p>', 40);
    out.write(']]></message><createdAt>2023-01-01T11:00:00Z</createdAt><thread dsq:id="t1"/></post>\n');
    out.end('</disqus>\n');
    await once(out, 'finish');

    const { code, lines, growthMb } = await importMeasured(['disqus', file, '--site', 'huge-dq']);
    const report = lines.join('\n');
    expect(code).toBe(0);
    expect(report).toContain('1 × a field longer than 1,000,000 characters (message) (e.g. p2)');
    expect((await db.pool.query(`select count(*)::int as n from comments where site_id = 'huge-dq'`)).rows[0].n).toBe(
      1,
    );
    expect(growthMb).toBeLessThan(40);
  }, 120_000);
});

describe('a JSON export with links that are not http(s)', () => {
  it('blanks javascript: and other non-web websites and page URLs, and says so in the report', async () => {
    const page = (identifier: string, url: string | null) =>
      JSON.stringify({ identifier, url, title: identifier, closed: false });
    const comment = (n: number, pageId: string, authorUrl: string) =>
      JSON.stringify({
        id: importedCommentId('x', 'json', String(n)),
        page: pageId,
        parent: null,
        status: 'approved',
        authorName: `A${n}`,
        authorEmail: '',
        authorUrl,
        body: `Comment ${n}`,
        ip: null,
        userAgent: '',
        referrer: '',
        idempotencyKey: null,
        receivedAt: `2024-01-0${n}T00:00:00.000Z`,
        editedAt: null,
      });
    const file = join(dir, 'urls.json');
    await writeFile(
      file,
      [
        '{"format":"reply-desk-export","version":1,"exportedAt":"2024-02-01T00:00:00.000Z","site":{"id":"old","name":"Old"},',
        '"pages":[',
        `${page('p-js', 'javascript:alert(document.cookie)')},`,
        `${page('p-data', ' data:text/html,<script>alert(1)</script>')},`,
        `${page('p-ok', 'https://blog.example/ok')}`,
        '],',
        '"comments":[',
        `${comment(1, 'p-js', 'javascript:alert(1)')},`,
        `${comment(2, 'p-data', 'JaVaScRiPt:alert(1)')},`,
        `${comment(3, 'p-ok', 'https://reader.example/')},`,
        `${comment(4, 'p-ok', 'vbscript:msgbox(1)')},`,
        `${comment(5, 'p-ok', 'https://user:pw@evil.example/')}`,
        ']}',
      ].join('\n'),
    );
    const { code, lines } = await importFile(db.pool, ['json', file, '--site', 'json-urls']);
    const report = lines.join('\n');
    expect(code).toBe(0);
    expect(report).toMatch(/imported: 5 /);
    expect(report).toMatch(/note: 4 × website not an http\(s\) address: stored without one/);
    expect(report).toMatch(/note: 2 × page URL not an http\(s\) address: stored without one \(e\.g\. p-js, p-data\)/);
    const comments = await db.pool.query<{ author_url: string }>(
      `select author_url from comments where site_id = 'json-urls' order by received_at`,
    );
    expect(comments.rows.map((r) => r.author_url)).toEqual(['', '', 'https://reader.example/', '', '']);
    const pages = await db.pool.query<{ identifier: string; url: string | null }>(
      `select identifier, url from pages where site_id = 'json-urls' order by identifier`,
    );
    expect(pages.rows).toEqual([
      { identifier: 'p-data', url: null },
      { identifier: 'p-js', url: null },
      { identifier: 'p-ok', url: 'https://blog.example/ok' },
    ]);
  });
});
