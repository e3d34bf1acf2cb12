import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { createReaderSession } from '../../src/readers/reader-sessions.js';
import { upsertReader } from '../../src/readers/reader-store.js';
import { createLogger } from '../../src/logger.js';
import { changeStatus } from '../../src/store/moderation-actions.js';
import { listCommentEdits } from '../../src/store/comment-edits.js';
import { toEditId, type EditJob } from '../../src/queue/edits-queue.js';
import { createEditProcessor } from '../../workers/edit-processor.js';
import { MAX_AUTHOR_EDITS } from '../../src/http/public/own-comment-routes.js';
import { createLiveFeed, createSubscriberRedis } from '../../src/queue/live-events.js';
import { addSite, postJson, TEST_REDIS_URL, waitFor, waitForStored } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

// Issue 14, item 9: an author edits or deletes their own comment within the site's edit window, with
// their reader token or (guests) the comment's edit key; the edit goes through the checks again in the
// edit worker. Real Postgres, Redis, API and workers.
let p: TestPipeline;
const SITE = 'own';
let n = 0;

interface Posted {
  id: string;
  editKey: string;
}

async function post(body: string, site = SITE): Promise<Posted> {
  n += 1;
  const res = await postJson(
    p.api,
    { site, page: 'article', author: `Guest ${n}`, email: `guest${n}@example.org`, body },
    { origin: p.api.origin },
  );
  expect(res.status).toBe(202);
  const answer = (await res.json()) as { id: string; editKey: string };
  expect(answer.editKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await waitForStored(p.db.pool, answer.id);
  return { id: answer.id, editKey: answer.editKey };
}

function patch(id: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${p.api.url}/api/comments/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', origin: p.api.origin, ...headers },
    body: JSON.stringify(body),
  });
}

function del(id: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${p.api.url}/api/comments/${id}`, { method: 'DELETE', headers: { origin: p.api.origin, ...headers } });
}

interface StatusAnswer {
  status: string;
  html?: string;
  editedAt?: string;
  edit?: { id: string; status: string; errors?: { field: string; code: string }[] };
}

async function status(id: string): Promise<StatusAnswer> {
  const res = await fetch(`${p.api.url}/api/comments/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as StatusAnswer;
}

/** Waits until the status answer reports the edit with this id, and returns that answer. */
function waitForEdit(id: string, editId: string): Promise<StatusAnswer> {
  return waitFor(`edit ${editId} of ${id}`, async () => {
    const s = await status(id);
    return s.edit?.id === editId ? s : undefined;
  });
}

async function thread(): Promise<{ id: string; html: string; editedAt?: string }[]> {
  const res = await fetch(`${p.api.url}/api/comments?site=${SITE}&page=article`, { headers: { origin: p.api.origin } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: { id: string; html: string; editedAt?: string }[] }).comments;
}

/** A signed-in reader of the site, and their token (`own` makes them the author of a comment). */
async function reader(name: string, siteId = SITE): Promise<{ id: number; token: string }> {
  const r = await upsertReader(p.db.pool, {
    siteId,
    via: 'sso',
    identity: `sso:${name}`,
    name,
    email: `${name}@readers.example.org`,
  });
  const { token } = await createReaderSession(p.db.pool, r.id);
  return { id: r.id, token };
}

// POST /api/comments with a reader token is helper C's; until then a reader's comment is a guest's
// row given the reader's id, which is all the edit routes read.
async function own(commentId: string, readerId: number): Promise<void> {
  await p.db.pool.query('update comments set reader_id = $2 where id = $1', [commentId, readerId]);
}

const cli = { id: null, label: 'cli', siteIds: [SITE] };

beforeAll(async () => {
  p = await startPipeline();
  // Published unless a rule holds (no first-time hold, no flood window between the suite's comments).
  await addSite(p.db.pool, SITE, [p.api.origin], {
    holdFirstTime: false,
    floodSeconds: 0,
    holdWords: ['casino'],
    editWindowMinutes: 15,
  });
  await addSite(p.db.pool, 'spammy', [p.api.origin], { holdFirstTime: false, floodSeconds: 0, spamWords: ['pills'] });
  await addSite(p.db.pool, 'noedit', [p.api.origin], { holdFirstTime: false, floodSeconds: 0, editWindowMinutes: 0 });
}, 60_000);

afterAll(async () => {
  await p?.close();
});

describe('a guest edits their comment with its edit key', () => {
  it('within the window: the thread shows the new text and editedAt at once, and the history keeps the old text', async () => {
    const c = await post('First version of my thought');
    const res = await patch(c.id, { body: 'Second version, *better*', editKey: c.editKey });
    expect(res.status).toBe(202);
    const answer = (await res.json()) as { id: string; status: string; statusUrl: string; editId: string };
    expect(answer).toEqual({
      id: c.id,
      status: 'queued',
      statusUrl: `${p.api.url}/api/comments/${c.id}`,
      editId: expect.stringMatching(/^edit-/),
    });
    const s = await waitForEdit(c.id, answer.editId);
    expect(s.status).toBe('published');
    expect(s.edit).toEqual({ id: answer.editId, status: 'applied' });
    expect(s.html).toContain('<em>better</em>');
    expect(s.editedAt).toBeDefined();

    const shown = (await thread()).find((x) => x.id === c.id)!;
    expect(shown.html).toContain('Second version');
    expect(shown.editedAt).toBe(s.editedAt);

    const edits = await listCommentEdits(p.db.pool, c.id);
    expect(edits).toEqual([
      expect.objectContaining({
        byAuthor: true,
        readerId: null,
        editorId: null,
        outcome: 'applied',
        bodyBefore: 'First version of my thought',
        bodyAfter: 'Second version, *better*',
      }),
    ]);
    const { rows: audit } = await p.db.pool.query(
      `select actor, action, from_status, to_status, detail from moderation_events where comment_id = $1 and action = 'edit'`,
      [c.id],
    );
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'reader', from_status: 'approved', to_status: 'approved' }),
    ]);
  });

  it('a wrong key, no proof at all, or another reader’s token is 403 NOT_YOUR_COMMENT and changes nothing', async () => {
    const c = await post('Not yours to change');
    const other = await post('Somebody else');
    const stranger = await reader('stranger');
    for (const res of [
      await patch(c.id, { body: 'Hijacked', editKey: other.editKey }),
      await patch(c.id, { body: 'Hijacked' }),
      await patch(c.id, { body: 'Hijacked' }, { authorization: `Bearer ${stranger.token}` }),
      await del(c.id, { 'x-edit-key': other.editKey }),
    ]) {
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_YOUR_COMMENT');
    }
    const { rows } = await p.db.pool.query('select body, status from comments where id = $1', [c.id]);
    expect(rows[0]).toEqual({ body: 'Not yours to change', status: 'approved' });
  });

  it('a token that signs nobody in is 401 READER_SIGNED_OUT, not a silent "not yours"', async () => {
    const c = await post('Token test');
    const res = await patch(c.id, { body: 'New' }, { authorization: 'Bearer rdr_nobody' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('READER_SIGNED_OUT');
  });

  it('after the window: 403 EDIT_WINDOW_CLOSED for an edit and a delete; with editing off, at once', async () => {
    const c = await post('Old news');
    await p.db.pool.query(`update comments set received_at = now() - interval '16 minutes' where id = $1`, [c.id]);
    const late = await patch(c.id, { body: 'Too late', editKey: c.editKey });
    expect(late.status).toBe(403);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('EDIT_WINDOW_CLOSED');
    const lateDelete = await del(c.id, { 'x-edit-key': c.editKey });
    expect(lateDelete.status).toBe(403);
    expect(((await lateDelete.json()) as { error: { code: string } }).error.code).toBe('EDIT_WINDOW_CLOSED');

    // Just inside the window it still works: the boundary is the site's minutes, not a fixed one.
    const d = await post('Still in time');
    await p.db.pool.query(`update comments set received_at = now() - interval '14 minutes' where id = $1`, [d.id]);
    expect((await patch(d.id, { body: 'In time', editKey: d.editKey })).status).toBe(202);

    // A site with editing off (editWindowMinutes 0) answers no edit key at all, and its authors, even
    // signed in and at once, are told editing is off.
    const res = await postJson(
      p.api,
      { site: 'noedit', page: 'x', author: 'G', email: 'g@example.org', body: 'Fixed text' },
      { origin: p.api.origin },
    );
    const { id, editKey } = (await res.json()) as { id: string; editKey?: string };
    expect(editKey).toBeUndefined();
    await waitForStored(p.db.pool, id);
    const me = await reader('fixed', 'noedit');
    await own(id, me.id);
    const off = await patch(id, { body: 'x' }, { authorization: `Bearer ${me.token}` });
    expect(off.status).toBe(403);
    expect(((await off.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'EDIT_WINDOW_CLOSED',
      message: 'Comments cannot be changed on this site.',
    });
  });

  it('the new text is checked as a new comment’s: empty, too long or with a NUL is 422 and nothing is queued', async () => {
    const c = await post('Body checks');
    const cases: [unknown, string][] = [
      [{ body: '   ', editKey: c.editKey }, 'REQUIRED'],
      [{ editKey: c.editKey }, 'REQUIRED'],
      [{ body: 'x'.repeat(70_000), editKey: c.editKey }, 'TOO_LONG'],
      [{ body: 'nul \u0000 here', editKey: c.editKey }, 'INVALID_CHARACTERS'],
    ];
    for (const [body, code] of cases) {
      const res = await patch(c.id, body);
      expect(res.status).toBe(422);
      const e = ((await res.json()) as { error: { code: string; field: string } }).error;
      expect(e).toMatchObject({ code, field: 'body' });
    }
    const wrongType = await patch(c.id, { body: 42, editKey: c.editKey });
    expect(wrongType.status).toBe(400);
    expect(
      (await p.db.pool.query('select count(*)::int as n from comment_edits where comment_id = $1', [c.id])).rows[0],
    ).toEqual({ n: 0 });
  });

  it('an unknown id is 404, and a foreign origin 403 ORIGIN_NOT_ALLOWED', async () => {
    const c = await post('Origin check');
    const unknown = await patch('00000000-0000-4000-8000-000000000000', { body: 'x', editKey: c.editKey });
    expect(unknown.status).toBe(404);
    const foreign = await fetch(`${p.api.url}/api/comments/${c.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ body: 'x', editKey: c.editKey }),
    });
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_NOT_ALLOWED');
  });
});

describe('a signed-in reader edits with their token', () => {
  it('the edit is stored as theirs', async () => {
    const me = await reader('writer');
    const c = await post('Reader text');
    await own(c.id, me.id);
    const res = await patch(c.id, { body: 'Reader text, revised' }, { authorization: `Bearer ${me.token}` });
    expect(res.status).toBe(202);
    const { editId } = (await res.json()) as { editId: string };
    expect((await waitForEdit(c.id, editId)).edit?.status).toBe('applied');
    const edits = await listCommentEdits(p.db.pool, c.id);
    expect(edits).toEqual([
      expect.objectContaining({ byAuthor: true, readerId: me.id, bodyAfter: 'Reader text, revised' }),
    ]);
  });
});

describe('an edit goes through the checks again', () => {
  it('a published comment edited to hold a hold word is hidden, shows moderators why, and is back when approved', async () => {
    const c = await post('A harmless remark');
    expect((await thread()).some((x) => x.id === c.id)).toBe(true);
    const res = await patch(c.id, { body: 'Visit my casino tonight', editKey: c.editKey });
    const { editId } = (await res.json()) as { editId: string };
    const s = await waitForEdit(c.id, editId);
    expect(s.status).toBe('held');
    expect(s.edit?.status).toBe('held');
    expect((await thread()).some((x) => x.id === c.id)).toBe(false);

    const { rows } = await p.db.pool.query('select status, verdict from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('pending');
    const codes = (rows[0].verdict as { reasons: { code: string }[] }).reasons.map((r) => r.code);
    expect(codes).toEqual(['HOLD_WORD']);
    const edits = await listCommentEdits(p.db.pool, c.id);
    expect(edits[0]).toMatchObject({ outcome: 'held', byAuthor: true });
    expect(edits[0]!.reasons.map((r) => r.code)).toContain('HOLD_WORD');
    const { rows: audit } = await p.db.pool.query(
      `select from_status, to_status from moderation_events where comment_id = $1 and action = 'edit'`,
      [c.id],
    );
    expect(audit).toEqual([{ from_status: 'approved', to_status: 'pending' }]);

    await changeStatus(p.db.pool, {
      ids: [c.id],
      action: 'approve',
      toStatus: 'approved',
      actor: cli,
      batchId: crypto.randomUUID(),
    });
    const back = (await thread()).find((x) => x.id === c.id);
    expect(back?.html).toContain('casino');
  });

  it('an edit a rule refuses changes nothing, and the status answer says why', async () => {
    const c = await post('Keep me as I am');
    const other = await post('Identical twin');
    // The fingerprint of another live comment (same page, author and text) is a duplicate: refused.
    await p.db.pool.query('update comments set author_name = $2, author_email = $3 where id = $1', [
      c.id,
      `Guest ${n}`,
      `guest${n}@example.org`,
    ]);
    const res = await patch(c.id, { body: 'Identical twin', editKey: c.editKey });
    expect(res.status).toBe(202);
    const { editId } = (await res.json()) as { editId: string };
    const s = await waitForEdit(c.id, editId);
    expect(s.status).toBe('published');
    expect(s.edit).toEqual({ id: editId, status: 'refused', errors: [expect.objectContaining({ code: 'DUPLICATE' })] });
    const { rows } = await p.db.pool.query('select body, edited_at from comments where id = $1', [c.id]);
    expect(rows[0]).toEqual({ body: 'Keep me as I am', edited_at: null });
    expect(await listCommentEdits(p.db.pool, c.id)).toEqual([]);
    expect(other.id).not.toBe(c.id);
  });
});

describe('held, spam and refused comments', () => {
  it('a held comment edited to clean text stays held (only a moderator publishes it), with the new text', async () => {
    const c = await post('Come to the casino');
    expect((await waitForStored(p.db.pool, c.id)).status).toBe('pending');
    const { editId } = (await (await patch(c.id, { body: 'Come to the library', editKey: c.editKey })).json()) as {
      editId: string;
    };
    const s = await waitForEdit(c.id, editId);
    expect(s).toMatchObject({ status: 'held', edit: { status: 'applied' } });
    expect(s.html).toContain('library');
    const { rows } = await p.db.pool.query('select status, verdict from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('pending');
    // It still waits for the reason it was held for.
    expect((rows[0].verdict as { reasons: { code: string }[] }).reasons.map((r) => r.code)).toContain('HOLD_WORD');
  });

  it('a spam comment stays spam through an edit and a delete, and its author is told "held" as ever', async () => {
    const c = await post('Cheap pills here', 'spammy');
    expect((await waitForStored(p.db.pool, c.id)).status).toBe('spam');
    const res = await patch(c.id, { body: 'A perfectly normal remark', editKey: c.editKey });
    expect(res.status).toBe(202);
    const { editId } = (await res.json()) as { editId: string };
    expect((await waitForEdit(c.id, editId)).edit).toEqual({ id: editId, status: 'held' });
    expect((await del(c.id, { 'x-edit-key': c.editKey })).status).toBe(204);
    const { rows } = await p.db.pool.query('select status from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('spam');
  });

  it('a rejected comment is 409 COMMENT_NOT_EDITABLE', async () => {
    const c = await post('To be rejected');
    await changeStatus(p.db.pool, {
      ids: [c.id],
      action: 'reject',
      toStatus: 'rejected',
      actor: cli,
      batchId: crypto.randomUUID(),
    });
    const res = await patch(c.id, { body: 'Rewritten', editKey: c.editKey });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('COMMENT_NOT_EDITABLE');
  });

  it('a comment not checked yet is 409 COMMENT_NOT_EDITABLE with Retry-After, not 404', async () => {
    // A submission job the worker will not take for a minute: the comment is queued, not stored.
    const id = crypto.randomUUID();
    const job = await p.api.queue.add('submit', {} as never, { jobId: id, delay: 60_000 });
    try {
      const res = await patch(id, { body: 'Too soon', editKey: 'A'.repeat(43) });
      expect(res.status).toBe(409);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('COMMENT_NOT_EDITABLE');
    } finally {
      await job.remove();
    }
  });

  it('open dashboards hear of a published comment an edit sent back to the queue', async () => {
    const feed = createLiveFeed({ connect: () => createSubscriberRedis(TEST_REDIS_URL), prefix: p.prefix });
    const heard: { id: string; status: string }[] = [];
    const stop = feed.listen((e) => heard.push(e));
    try {
      await feed.ready();
      const c = await post('Calm words');
      await patch(c.id, { body: 'casino casino', editKey: c.editKey });
      await waitFor('the live event', () => heard.find((e) => e.id === c.id));
      expect(heard.filter((e) => e.id === c.id)).toEqual([{ id: c.id, siteId: SITE, status: 'pending' }]);
    } finally {
      stop();
      await feed.close();
    }
  });
});

describe('CORS', () => {
  it('a preflight from the site allows PATCH, DELETE and the X-Edit-Key header', async () => {
    const res = await fetch(`${p.api.url}/api/comments/00000000-0000-4000-8000-000000000000`, {
      method: 'OPTIONS',
      headers: {
        origin: p.api.origin,
        'access-control-request-method': 'DELETE',
        'access-control-request-headers': 'x-edit-key',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-edit-key');
  });
});

describe('an author deletes their comment', () => {
  it('204: gone from the thread, a reader audit row, replies stay', async () => {
    const c = await post('Parent to delete');
    const res = await postJson(
      p.api,
      { site: SITE, page: 'article', parent: c.id, author: 'Replier', email: 'replier@example.org', body: 'A reply' },
      { origin: p.api.origin },
    );
    const reply = (await res.json()) as { id: string };
    await waitForStored(p.db.pool, reply.id);

    const gone = await del(c.id, { 'x-edit-key': c.editKey });
    expect(gone.status).toBe(204);
    const shown = await thread();
    expect(shown.some((x) => x.id === c.id)).toBe(false);
    expect(shown.some((x) => x.id === reply.id)).toBe(true);
    const { rows } = await p.db.pool.query(
      `select actor, actor_id, from_status, to_status from moderation_events where comment_id = $1 and action = 'delete'`,
      [c.id],
    );
    expect(rows).toEqual([{ actor: 'reader', actor_id: null, from_status: 'approved', to_status: 'deleted' }]);
    // Deleted is gone for its author too: no edit, no second delete, no status.
    expect((await del(c.id, { 'x-edit-key': c.editKey })).status).toBe(404);
    expect((await patch(c.id, { body: 'Back?', editKey: c.editKey })).status).toBe(404);
    expect((await fetch(`${p.api.url}/api/comments/${c.id}`)).status).toBe(404);
  });

  it('a reader deletes with their token', async () => {
    const me = await reader('deleter');
    const c = await post('Mine to delete');
    await own(c.id, me.id);
    expect((await del(c.id, { authorization: `Bearer ${me.token}` })).status).toBe(204);
    const { rows } = await p.db.pool.query('select status from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('deleted');
  });
});

describe('idempotency', () => {
  it('a PATCH sent twice is one edit; sent again after it applied, it answers the same edit', async () => {
    const c = await post('Retry me');
    const [a, b] = await Promise.all([
      patch(c.id, { body: 'Retried edit', editKey: c.editKey }),
      patch(c.id, { body: 'Retried edit', editKey: c.editKey }),
    ]);
    const ea = ((await a.json()) as { editId: string }).editId;
    const eb = ((await b.json()) as { editId: string }).editId;
    expect(ea).toBe(eb);
    await waitForEdit(c.id, ea);
    const again = await patch(c.id, { body: 'Retried edit', editKey: c.editKey });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { editId: string }).editId).toBe(ea);
    expect(await listCommentEdits(p.db.pool, c.id)).toHaveLength(1);
  });

  it(`an author may change one comment ${MAX_AUTHOR_EDITS} times; the next change is 429 RATE_LIMITED and queues nothing`, async () => {
    const c = await post('Edit me often');
    for (let i = 1; i <= MAX_AUTHOR_EDITS; i += 1) {
      const res = await patch(c.id, { body: `Edit number ${i}`, editKey: c.editKey });
      expect(res.status).toBe(202);
      await waitForEdit(c.id, ((await res.json()) as { editId: string }).editId);
    }
    const over = await patch(c.id, { body: 'One edit too many', editKey: c.editKey });
    expect(over.status).toBe(429);
    expect(((await over.json()) as { error: { code: string; field: string } }).error).toMatchObject({
      code: 'RATE_LIMITED',
      field: 'body',
    });
    expect(await listCommentEdits(p.db.pool, c.id)).toHaveLength(MAX_AUTHOR_EDITS);
    expect((await status(c.id)).html).toContain(`Edit number ${MAX_AUTHOR_EDITS}`);
  });

  it('an edit job run again after its commit (a killed worker’s job coming back) stores one edit', async () => {
    const c = await post('Killed worker');
    const processor = createEditProcessor({ db: p.db.pool, logger: createLogger('silent', 'test') });
    const data: EditJob = {
      editId: toEditId(c.id, 'Killed worker', 'After the kill'),
      commentId: c.id,
      siteId: SITE,
      body: 'After the kill',
      readerId: null,
      requestedAt: new Date().toISOString(),
    };
    const job = (attemptsMade: number) => ({ data, attemptsMade, id: data.editId }) as unknown as Job<EditJob>;
    expect(await processor(job(0))).toEqual({ outcome: 'applied', alreadyStored: false });
    expect(await processor(job(1))).toEqual({ outcome: 'applied', alreadyStored: true });
    expect(await listCommentEdits(p.db.pool, c.id)).toHaveLength(1);
    const { rows } = await p.db.pool.query(
      `select count(*)::int as n from moderation_events where comment_id = $1 and action = 'edit'`,
      [c.id],
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('an older edit that runs after a newer one was applied is dropped', async () => {
    const c = await post('Order matters');
    const processor = createEditProcessor({ db: p.db.pool, logger: createLogger('silent', 'test') });
    const at = (ms: number): string => new Date(Date.now() - ms).toISOString();
    const edit = (body: string, requestedAt: string): Job<EditJob> =>
      ({
        data: {
          editId: toEditId(c.id, 'Order matters', body),
          commentId: c.id,
          siteId: SITE,
          body,
          readerId: null,
          requestedAt,
        },
        attemptsMade: 0,
      }) as unknown as Job<EditJob>;
    expect((await processor(edit('The newer text', at(1000)))).outcome).toBe('applied');
    expect((await processor(edit('The older text', at(5000)))).outcome).toBe('superseded');
    const { rows } = await p.db.pool.query('select body from comments where id = $1', [c.id]);
    expect(rows[0].body).toBe('The newer text');
  });
});
