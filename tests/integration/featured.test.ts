import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommentFeatureCommand } from '../../src/cli/comment-commands.js';
import { UsageError } from '../../src/cli/site-commands.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { addSite, deleteQueueKeys, newQueuePrefix, startApi, type TestApi } from '../support/harness.js';
import { seedThread } from '../support/seed-thread.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 15, item 3: editors' picks. A moderator features a published comment from the desk or the
// CLI; GET /api/comments?featured=1 lists a page's picks; every change is audited; unfeature undoes;
// a pick that is removed leaves the list. Real Postgres and Redis, the API over HTTP.
let db: TestDatabase;
let api: TestApi;
const prefix = newQueuePrefix();

interface ThreadItem {
  id: string;
  featured?: boolean;
  featuredAt?: string;
}
interface ThreadAnswer {
  comments: ThreadItem[];
  total?: number;
}

async function thread(page: string, query = ''): Promise<ThreadAnswer> {
  const res = await fetch(`${api.url}/api/comments?site=picks&page=${page}${query}`, {
    headers: { origin: api.origin },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ThreadAnswer;
}

async function picks(page: string): Promise<string[]> {
  return (await thread(page, '&featured=1')).comments.map((c) => c.id);
}

async function signedIn(email: string): Promise<DashboardClient> {
  const c = new DashboardClient(api.url);
  await c.signIn(email);
  return c;
}

async function auditActions(id: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ action: string; actor: string }>(
    'select action, actor from moderation_events where comment_id = $1 order by id',
    [id],
  );
  return rows.map((r) => `${r.action} by ${r.actor}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'picks', [api.origin]);
  await addSite(db.pool, 'other', [api.origin]);
  await api.sites.refresh();
  await addModerator(db.pool, 'desk@example.org', 'moderator', ['picks']);
  await addModerator(db.pool, 'elsewhere@example.org', 'moderator', ['other']);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

describe("editors' picks from the desk", () => {
  it('feature → listed with featured=1 and marked in the thread; unfeature (the undo) → gone; both audited', async () => {
    const [a, b, c] = await seedThread(db.pool, 'picks', 'story', [{ at: 0 }, { at: 1000 }, { at: 2000 }]);
    const desk = await signedIn('desk@example.org');
    expect(await picks('story')).toEqual([]);

    const res = await desk.post(`/admin/comments/${b}/feature`, {}, { json: true });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { id: string; featured: boolean; changed: boolean; featuredAt: string };
    expect(answer).toMatchObject({ id: b, featured: true, changed: true });
    expect(Date.parse(answer.featuredAt)).not.toBeNaN();
    // Featuring again changes nothing and records nothing.
    const again = await desk.post(`/admin/comments/${b}/feature`, {}, { json: true });
    expect(((await again.json()) as { changed: boolean }).changed).toBe(false);

    await desk.post(`/admin/comments/${c}/feature`, {}, { json: true });
    // The latest pick first; the strip's answer has no total (it is not the thread's first page).
    const strip = await thread('story', '&featured=1');
    expect(strip.comments.map((x) => x.id)).toEqual([c, b]);
    expect(strip.total).toBeUndefined();
    // The thread itself (cached by version: featuring moved it) marks the picks and only them.
    const items = (await thread('story')).comments;
    expect(items.map((x) => [x.id, x.featured ?? false])).toEqual([
      [a, false],
      [b, true],
      [c, true],
    ]);

    const undo = await desk.post(`/admin/comments/${b}/unfeature`, {}, { json: true });
    expect(await undo.json()).toMatchObject({ id: b, featured: false, featuredAt: null, changed: true });
    expect(await picks('story')).toEqual([c]);
    expect((await thread('story')).comments.find((x) => x.id === b)?.featured).toBeUndefined();
    expect(await auditActions(b!)).toEqual(['feature by desk@example.org', 'unfeature by desk@example.org']);
  });

  it('a form post (no JavaScript) redirects back with a notice', async () => {
    const [a] = await seedThread(db.pool, 'picks', 'form-story', [{ at: 0 }]);
    const desk = await signedIn('desk@example.org');
    const res = await desk.post(`/admin/comments/${a}/feature`, {});
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location') ?? '', api.url).searchParams.get('notice')).toBe(
      "Added to the editors' picks.",
    );
    expect(await picks('form-story')).toEqual([a]);
  });

  it('only a published comment can be featured (409 NOT_PUBLISHED); a pick that is removed leaves the strip', async () => {
    const [held, pub] = await seedThread(db.pool, 'picks', 'removed', [{ at: 0, status: 'pending' }, { at: 1 }]);
    const desk = await signedIn('desk@example.org');
    const refused = await desk.post(`/admin/comments/${held}/feature`, {}, { json: true });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_PUBLISHED');
    expect(await auditActions(held!)).toEqual([]);

    await desk.post(`/admin/comments/${pub}/feature`, {}, { json: true });
    expect(await picks('removed')).toEqual([pub]);
    const removed = await desk.post(`/admin/comments/${pub}/status`, { action: 'reject' }, { json: true });
    expect(removed.status).toBe(200);
    expect(await picks('removed')).toEqual([]);
    // Undoing the removal brings it back to the strip: the pick was the editors' decision, kept.
    const { batchId } = (await removed.json()) as { batchId: string };
    expect((await desk.post('/admin/undo', { batch: batchId }, { json: true })).status).toBe(200);
    expect(await picks('removed')).toEqual([pub]);
    // A removed pick can still be taken out of the picks.
    await desk.post(`/admin/comments/${pub}/status`, { action: 'delete' }, { json: true });
    const out = await desk.post(`/admin/comments/${pub}/unfeature`, {}, { json: true });
    expect(await out.json()).toMatchObject({ changed: true, featured: false });
  });

  it("a moderator of another site cannot feature this site's comments; an unknown id is 404", async () => {
    const [a] = await seedThread(db.pool, 'picks', 'guarded', [{ at: 0 }]);
    const other = await signedIn('elsewhere@example.org');
    const res = await other.post(`/admin/comments/${a}/feature`, {}, { json: true });
    expect(res.status).toBe(403);
    expect(await picks('guarded')).toEqual([]);
    const unknown = await other.post(
      '/admin/comments/00000000-0000-4000-8000-000000000000/feature',
      {},
      { json: true },
    );
    expect(unknown.status).toBe(404);
    const notId = await other.post('/admin/comments/not-an-id/feature', {}, { json: true });
    expect(notId.status).toBe(404);
  });

  it('featuring needs the CSRF token', async () => {
    const [a] = await seedThread(db.pool, 'picks', 'csrf', [{ at: 0 }]);
    const desk = await signedIn('desk@example.org');
    const res = await desk.post(`/admin/comments/${a}/feature`, {}, { json: true, csrf: false });
    expect(res.status).toBe(403);
    expect(await picks('csrf')).toEqual([]);
  });
});

describe("editors' picks from the command line", () => {
  it('comment feature / unfeature ID, audited as cli; refused for a held comment or a bad id', async () => {
    const [a, held] = await seedThread(db.pool, 'picks', 'cli', [{ at: 0 }, { at: 1, status: 'pending' }]);
    const lines: string[] = [];
    await runCommentFeatureCommand(db.pool, ['feature', a!], (l) => lines.push(l));
    expect(await picks('cli')).toEqual([a]);
    await runCommentFeatureCommand(db.pool, ['feature', a!], (l) => lines.push(l));
    await runCommentFeatureCommand(db.pool, ['unfeature', a!], (l) => lines.push(l));
    expect(lines).toEqual([
      `comment ${a} (picks cli): now an editors' pick`,
      `comment ${a} (picks cli): was already an editors' pick`,
      `comment ${a} (picks cli): now not an editors' pick`,
    ]);
    expect(await picks('cli')).toEqual([]);
    expect(await auditActions(a!)).toEqual(['feature by cli', 'unfeature by cli']);
    await expect(runCommentFeatureCommand(db.pool, ['feature', held!], () => {})).rejects.toThrow(/not published/);
    await expect(runCommentFeatureCommand(db.pool, ['feature', 'nope'], () => {})).rejects.toBeInstanceOf(UsageError);
    await expect(runCommentFeatureCommand(db.pool, ['feature'], () => {})).rejects.toBeInstanceOf(UsageError);
  });
});

describe('GET /api/comments?featured=', () => {
  it('refuses a value other than 1 or 0, and a cursor or replies with it', async () => {
    for (const q of [
      '&featured=yes',
      '&featured=1&cursor=abc',
      '&featured=1&replies=00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await fetch(`${api.url}/api/comments?site=picks&page=story${q}`, { headers: { origin: api.origin } });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('featured');
    }
  });
});
