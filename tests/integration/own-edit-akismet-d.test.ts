import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAkismetClient } from '../../src/akismet/akismet-client.js';
import { createLogger } from '../../src/logger.js';
import { AKISMET_QUEUE, createAkismetQueue } from '../../src/queue/akismet-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { createAkismetProcessor } from '../../workers/akismet-processor.js';
import { startFakeAkismet, AKISMET_TEST_KEY, type FakeAkismet } from '../support/fake-akismet.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  TEST_REDIS_URL,
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// An author's edit is asked of Akismet as a new comment is (when AKISMET_KEY is set), against a local
// server speaking its protocol: its answer about the new text counts, and an edit it cannot check is
// held and rechecked by the Akismet worker, which reads the comment's current text.
let db: TestDatabase;
let api: TestApi;
let fake: FakeAkismet;
let worker: { close(): Promise<void> };
let akismetWorker: Worker;
const prefix = newQueuePrefix();
const connection = createWorkerRedis(TEST_REDIS_URL);
const akismetQueue = createAkismetQueue(connection, prefix);

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAkismet();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  const client = createAkismetClient({ key: AKISMET_TEST_KEY, url: fake.url, timeoutMs: 400, isTest: true });
  worker = await startWorker({
    pool: db.pool,
    prefix,
    akismet: { client, queue: akismetQueue, recheckDelayMs: 300, publicUrl: api.url },
  });
  akismetWorker = new Worker(
    AKISMET_QUEUE,
    createAkismetProcessor({ db: db.pool, client, logger: createLogger('silent', 'test'), publicUrl: api.url }),
    { connection, prefix, concurrency: 2 },
  );
  await akismetWorker.waitUntilReady();
});

afterAll(async () => {
  fake.mode = 'up';
  await akismetWorker?.close();
  await worker?.close();
  await akismetQueue.close();
  connection.disconnect();
  await api?.close();
  await fake?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
async function publish(): Promise<{ id: string; editKey: string }> {
  n += 1;
  const res = await postJson(
    api,
    { site: 'news', page: 'p', author: 'Ann', email: `ann${n}@example.org`, body: `A fine comment ${n}` },
    { origin: api.origin },
  );
  const answer = (await res.json()) as { id: string; editKey: string };
  expect((await waitForStored(db.pool, answer.id)).status).toBe('approved');
  return answer;
}

async function edit(c: { id: string; editKey: string }, body: string): Promise<string> {
  const res = await fetch(`${api.url}/api/comments/${c.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', origin: api.origin },
    body: JSON.stringify({ body, editKey: c.editKey }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { editId: string }).editId;
}

async function edited(id: string, editId: string): Promise<{ edit: { status: string; errors?: { code: string }[] } }> {
  return waitFor(`edit ${editId}`, async () => {
    const s = (await (await fetch(`${api.url}/api/comments/${id}`)).json()) as {
      edit?: { id: string; status: string; errors?: { code: string }[] };
    };
    return s.edit?.id === editId ? (s as { edit: { status: string; errors?: { code: string }[] } }) : undefined;
  });
}

describe("an author's edit and Akismet", () => {
  it('Akismet is asked about the new text: its discard refuses the edit and the comment keeps its text', async () => {
    const c = await publish();
    const editId = await edit(c, 'now with akismet-discard-test inside');
    const s = await edited(c.id, editId);
    expect(s.edit).toEqual({
      id: editId,
      status: 'refused',
      errors: [expect.objectContaining({ code: 'AKISMET_DISCARD' })],
    });
    const call = fake.calls.filter((x) => x.method === 'comment-check').at(-1)!;
    expect(call.params.comment_content).toBe('now with akismet-discard-test inside');
    const { rows } = await db.pool.query('select status, body from comments where id = $1', [c.id]);
    expect(rows[0]).toEqual({ status: 'approved', body: `A fine comment ${n}` });
  });

  it('an edit Akismet cannot check is held, then rechecked and published again once it answers', async () => {
    const c = await publish();
    fake.mode = 'down';
    const editId = await edit(c, 'A careful second thought');
    expect((await edited(c.id, editId)).edit.status).toBe('held');
    const { rows } = await db.pool.query('select status from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('pending');
    fake.mode = 'up';
    await waitFor(
      'the recheck to publish the edited comment',
      async () => {
        const r = await db.pool.query('select status, body from comments where id = $1', [c.id]);
        return r.rows[0].status === 'approved' ? r.rows[0] : undefined;
      },
      30_000,
    );
    const { rows: after } = await db.pool.query('select body from comments where id = $1', [c.id]);
    expect(after[0].body).toBe('A careful second thought');
  });
});
