import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSite, postJson, waitForStored, type TestApi } from '../support/harness.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';
import type { TestDatabase } from '../support/test-db.js';

// The desk's pages as the server renders them (issue 13, items 8 and 9): the audit log names the
// comment's author and shows its start, in the moderator's time zone; the queue's cards say what a
// score is measured against and who decided; the nav has every page, the right one current.
let db: TestDatabase;
let api: TestApi;
let pipeline: TestPipeline;
let n = 0;

async function post(fields: { author: string; email: string; body: string }): Promise<string> {
  n += 1;
  const res = await postJson(api, { site: 'news', page: `p${n}`, ...fields }, { origin: api.origin });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

async function signedIn(email: string): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email);
  return c;
}

/** The HTML of one card on a queue page. */
function cardOf(page: string, id: string): string {
  const start = page.indexOf(`id="card-${id}"`);
  expect(start, `card ${id} on the page`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</article>', start));
}

beforeAll(async () => {
  pipeline = await startPipeline();
  ({ db, api } = pipeline);
  await addSite(db.pool, 'news', [api.origin], {
    holdFirstTime: true,
    floodSeconds: 0,
    holdLinks: 2,
    spamWords: ['casino'],
  });
  await addModerator(db.pool, 'chief@example.org', 'admin', ['news']);
});

afterAll(async () => {
  await pipeline?.close();
});

describe('the audit log (item 8)', () => {
  it("names the comment's author and quotes its start, not a bare 8-character id", async () => {
    const id = await post({
      author: 'Nora <b>Bold</b>',
      email: 'nora@example.org',
      body: 'The bridge closes on Monday for repairs, and the detour goes past the school, which worries me a lot.',
    });
    const c = await signedIn('chief@example.org');
    expect((await c.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    const page = await c.page(`/admin/audit?comment=${id}`);
    expect(page).toContain('<b class="rd-audit-author">Nora &lt;b&gt;Bold&lt;/b&gt;</b>');
    // Cut at a word, with an ellipsis; the full id on hover.
    expect(page).toContain('“The bridge closes on Monday for repairs, and the detour goes past the school,…”');
    expect(page).toContain(`title="${id}"`);
    expect(page).not.toContain(`<code>${id.slice(0, 8)}</code>`);
  });

  it("shows times in the moderator's zone from the rd_tz cookie, with UTC on hover; UTC without it, saying so", async () => {
    const id = await post({ author: 'Otto', email: 'otto@example.org', body: 'A comment for the clock.' });
    const c = await signedIn('chief@example.org');
    expect((await c.post(`/admin/comments/${id}/status`, { action: 'reject' }, { json: true })).status).toBe(200);
    const { rows } = await db.pool.query<{ at: Date }>(
      `select created_at as at from moderation_events where comment_id = $1`,
      [id],
    );
    const at = rows[0]!.at;
    const utc = `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

    const plain = await c.page(`/admin/audit?comment=${id}`);
    expect(plain).toContain('<th>When (UTC)</th>');
    expect(plain).toContain('Times are in UTC');
    expect(plain).toContain(`title="${utc}"`);

    const res = await c.get(`/admin/audit?comment=${id}`, { cookie: `${c.cookie}; rd_tz=Asia%2FKolkata` });
    const zoned = await res.text();
    // Kolkata is UTC+05:30 all year: the shown time is the UTC one moved by 5.5 hours.
    const kolkata = new Date(at.getTime() + 5.5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(zoned).toContain('<th>When (Asia/Kolkata)</th>');
    expect(zoned).toMatch(new RegExp(`<time datetime="${at.toISOString()}" title="${utc}"\\s*>${kolkata}</time`));
  });
});

describe('the queue (item 9)', () => {
  it('says what the links count is measured against, from the site’s settings now', async () => {
    const id = await post({
      author: 'Lin Links',
      email: 'lin@example.org',
      body: 'See https://a.example/ and https://b.example/ and https://c.example/ for more.',
    });
    const c = await signedIn('chief@example.org');
    const card = cardOf(await c.page('/admin?tab=pending'), id);
    expect(card).toContain('<span class="rd-score">links 3 — held at 2</span>');
  });

  it('says on the Spam and Approved tabs who decided and when: the rules, or which moderator', async () => {
    const bySpam = await post({ author: 'Sam Spam', email: 'sam@example.org', body: 'Best casino bonus here' });
    expect((await db.pool.query('select status from comments where id = $1', [bySpam])).rows[0].status).toBe('spam');
    const byHand = await post({ author: 'Hana Hand', email: 'hana@example.org', body: 'Approved by a person.' });
    const c = await signedIn('chief@example.org');
    expect((await c.post(`/admin/comments/${byHand}/status`, { action: 'approve' }, { json: true })).status).toBe(200);

    const spam = cardOf(await c.page('/admin?tab=spam'), bySpam);
    expect(spam).toMatch(/Marked spam by\s+<b class="rd-decider">the rules<\/b> \(Spam word\) ·/);
    const approved = cardOf(await c.page('/admin?tab=approved'), byHand);
    // The moderator's display name (addModerator makes it the email's local part).
    expect(approved).toMatch(/Published by\s+<b class="rd-decider">chief<\/b>/);
    const { rows } = await db.pool.query<{ at: Date }>(
      `select created_at as at from moderation_events where comment_id = $1 and to_status = 'approved'`,
      [byHand],
    );
    expect(approved).toContain(`${rows[0]!.at.toISOString().replace('T', ' ').slice(0, 16)} UTC`);
  });

  it('relabels a held first comment once the author has an approved one', async () => {
    const first = await post({ author: 'Fern', email: 'fern@example.org', body: 'My first words here.' });
    const second = await post({ author: 'Fern', email: 'fern@example.org', body: 'And my second ones.' });
    const c = await signedIn('chief@example.org');
    expect(cardOf(await c.page('/admin?tab=pending'), second)).toContain('<b>First comment</b>');
    expect((await c.post(`/admin/comments/${first}/status`, { action: 'approve' }, { json: true })).status).toBe(200);
    const card = cardOf(await c.page('/admin?tab=pending'), second);
    expect(card).toContain('<b>No longer a first comment</b>');
    expect(card).toContain('this author has 1 approved comment here now');
  });

  it('shows the live count in the bulk button with a number the script can move', async () => {
    const c = await signedIn('chief@example.org');
    const page = await c.page('/admin?tab=pending');
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from comments where status = 'pending' and reported_at is null`,
    );
    expect(page).toMatch(
      new RegExp(`<span class="rd-view-count"\\s+data-count="${rows[0]!.n}"\\s*>${rows[0]!.n}</span\\s*>`),
    );
  });
});

describe('the navigation (item 9)', () => {
  it('lists Privacy and the queue board for admins, and marks Privacy, not Sites, on the privacy page', async () => {
    const c = await signedIn('chief@example.org');
    const page = await c.page('/admin/privacy');
    expect(page).toMatch(/<a href="\/admin\/privacy"\s+aria-current="page">Privacy<\/a>/);
    expect(page).toMatch(/<a href="\/admin\/sites"\s*>Sites<\/a>/);
    expect(page).toContain('<a href="/admin/queues">Queue board</a>');
  });
});
