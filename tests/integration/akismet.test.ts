import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAkismetClient } from '../../src/akismet/akismet-client.js';
import { createLogger } from '../../src/logger.js';
import { AKISMET_QUEUE, createAkismetQueue } from '../../src/queue/akismet-queue.js';
import { createTrainingQueue, enqueueTrainingForChanges, TRAINING_QUEUE } from '../../src/queue/training-queue.js';
import { createWorkerRedis } from '../../src/redis.js';
import { changeStatus, type StatusAction } from '../../src/store/moderation-actions.js';
import { createAkismetProcessor } from '../../workers/akismet-processor.js';
import { createTrainingProcessor } from '../../workers/training-processor.js';
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

// Optional Akismet against a local server speaking its protocol: comment-check from the worker,
// discard, a checker that is down / slow / answers `invalid` (held, then rechecked by a delayed job),
// and submit-spam / submit-ham when a moderator overrides a verdict.
let db: TestDatabase;
let api: TestApi;
let fake: FakeAkismet;
let worker: { close(): Promise<void> };
let akismetWorker: Worker;
let trainer: Worker;
const prefix = newQueuePrefix();
const logger = createLogger('silent', 'test');
const connection = createWorkerRedis(TEST_REDIS_URL);
const akismetQueue = createAkismetQueue(connection, prefix);
const trainingQueue = createTrainingQueue(connection, prefix);
const RECHECK_MS = 300;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeAkismet();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, 'news', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  const client = createAkismetClient({ key: AKISMET_TEST_KEY, url: fake.url, timeoutMs: 400, isTest: true });
  worker = await startWorker({
    pool: db.pool,
    prefix,
    akismet: { client, queue: akismetQueue, recheckDelayMs: RECHECK_MS, publicUrl: api.url },
  });
  akismetWorker = new Worker(
    AKISMET_QUEUE,
    createAkismetProcessor({ db: db.pool, client, logger, publicUrl: api.url }),
    { connection, prefix, concurrency: 4 },
  );
  trainer = new Worker(TRAINING_QUEUE, createTrainingProcessor({ db: db.pool, logger, akismet: akismetQueue }), {
    connection,
    prefix,
  });
  await Promise.all([akismetWorker.waitUntilReady(), trainer.waitUntilReady()]);
});

afterAll(async () => {
  await akismetWorker?.close();
  await trainer?.close();
  await worker?.close();
  await akismetQueue.close();
  await trainingQueue.close();
  connection.disconnect();
  await api?.close();
  await fake?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
async function post(over: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site: 'news',
      page: 'p1',
      pageUrl: `${api.origin}/articles/p1`,
      author: 'Ann',
      email: `ann${n}@example.org`,
      body: `A thoughtful reply, number ${n} (${randomUUID()})`,
      lang: 'en',
      ...over,
    },
    { 'user-agent': 'Mozilla/5.0 (test)', referer: `${api.origin}/articles/p1` },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
const codes = (row: { verdict: { reasons: { code: string }[] } }): string[] => row.verdict.reasons.map((r) => r.code);
const moderator = { id: null, label: 'mod@example.org', siteIds: ['news'] };

async function decide(
  id: string,
  action: StatusAction | 'undo',
  toStatus: 'approved' | 'spam' | 'pending' | 'rejected',
): Promise<void> {
  const changes = await changeStatus(db.pool, { ids: [id], action, toStatus, actor: moderator, batchId: randomUUID() });
  await enqueueTrainingForChanges(trainingQueue, changes);
}

describe('Akismet comment-check', () => {
  it('a comment Akismet calls ham is published, and Akismet got the full request context', async () => {
    const id = await post({ url: 'https://ann.example' });
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('approved');
    const call = fake.calls.filter((c) => c.method === 'comment-check').at(-1)!;
    expect(call.params).toMatchObject({
      api_key: AKISMET_TEST_KEY,
      blog: `${api.origin}/`,
      user_ip: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (test)',
      referrer: `${api.origin}/articles/p1`,
      permalink: `${api.origin}/articles/p1`,
      comment_type: 'comment',
      comment_author: 'Ann',
      comment_author_email: `ann${n}@example.org`,
      comment_author_url: 'https://ann.example',
      blog_lang: 'en',
      blog_charset: 'UTF-8',
      is_test: '1',
    });
    expect(call.params.comment_content).toContain('A thoughtful reply');
    expect(call.params.comment_date_gmt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it.each([
    ['the author viagra-test-123', { author: 'viagra-test-123' }],
    ['the email akismet-guaranteed-spam@example.com', { email: 'akismet-guaranteed-spam@example.com' }],
  ])('%s is spam (AKISMET_SPAM)', async (_s, over) => {
    const row = await waitForStored(db.pool, await post(over));
    expect(row.status).toBe('spam');
    expect(codes(row)).toEqual(['AKISMET_SPAM']);
  });

  it('spam with X-akismet-pro-tip: discard is kept as rejected (AKISMET_DISCARD), out of the spam tab', async () => {
    const row = await waitForStored(db.pool, await post({ body: `buy now akismet-discard-test ${randomUUID()}` }));
    expect(row.status).toBe('rejected');
    expect(codes(row)).toEqual(['AKISMET_DISCARD']);
  });

  it('is not asked about what the local rules already mark as spam', async () => {
    const before = fake.calls.length;
    const row = await waitForStored(db.pool, await post({ honeypot: 'bot' }));
    expect(row.status).toBe('spam');
    expect(fake.calls.length).toBe(before);
  });
});

describe('when Akismet cannot answer', () => {
  async function heldThenRechecked(breakIt: () => void, fixIt: () => void): Promise<void> {
    breakIt();
    const id = await post();
    const held = await waitForStored(db.pool, id);
    expect(held.status).toBe('pending');
    expect(codes(held)).toEqual(['AKISMET_UNAVAILABLE']);
    fixIt();
    await waitFor(
      'the recheck to publish the comment',
      async () => (await waitForStored(db.pool, id)).status === 'approved',
      20_000,
      100,
    );
    expect(codes(await waitForStored(db.pool, id))).toEqual([]);
    const { rows } = await db.pool.query(
      'select actor, action, from_status, to_status, detail from moderation_events where comment_id = $1',
      [id],
    );
    expect(rows).toEqual([
      {
        actor: 'akismet',
        action: 'recheck',
        from_status: 'pending',
        to_status: 'approved',
        detail: expect.objectContaining({ result: 'ham', applied: true }),
      },
    ]);
    const recheck = fake.calls.filter((c) => c.method === 'comment-check').at(-1)!;
    expect(recheck.params.recheck_reason).toBe('recheck_queue');
  }

  it('down (connection dropped): held, never published or dropped, then rechecked to approved when it is back', async () => {
    await heldThenRechecked(
      () => (fake.mode = 'down'),
      () => (fake.mode = 'up'),
    );
  });

  it('too slow (past the timeout): held, then rechecked', async () => {
    await heldThenRechecked(
      () => {
        fake.mode = 'slow';
        fake.slowMs = 2000;
      },
      () => (fake.mode = 'up'),
    );
  });

  it("answering 'invalid' (a bad key): held, then rechecked once the key is right", async () => {
    await heldThenRechecked(
      () => (fake.validKey = 'another-key'),
      () => (fake.validKey = AKISMET_TEST_KEY),
    );
  });

  it('a recheck that finds Akismet saying spam marks the held comment as spam', async () => {
    fake.mode = 'error';
    const id = await post({ author: 'viagra-test-123' });
    expect((await waitForStored(db.pool, id)).status).toBe('pending');
    fake.mode = 'up';
    await waitFor(
      'the recheck to mark spam',
      async () => (await waitForStored(db.pool, id)).status === 'spam',
      20_000,
      100,
    );
    expect(codes(await waitForStored(db.pool, id))).toEqual(['AKISMET_SPAM']);
  });

  it('a late answer never overrides a moderator: approved then undone while Akismet was down stays pending', async () => {
    fake.mode = 'down';
    const id = await post({ author: 'viagra-test-123' });
    expect((await waitForStored(db.pool, id)).status).toBe('pending');
    await decide(id, 'approve', 'approved');
    await decide(id, 'undo', 'pending');
    fake.mode = 'up';
    const event = await waitFor(
      'the recheck to be recorded',
      async () => {
        const { rows } = await db.pool.query(
          `select detail from moderation_events where comment_id = $1 and action = 'recheck'`,
          [id],
        );
        return rows[0] as { detail: { applied: boolean; result: string } } | undefined;
      },
      20_000,
      100,
    );
    expect(event.detail).toMatchObject({ applied: false, result: 'spam' });
    expect((await waitForStored(db.pool, id)).status).toBe('pending');
  });
});

describe("moderators' overrides go back to Akismet", () => {
  it('spam Akismet caught, approved by a moderator → submit-ham; ham it let through, marked spam → submit-spam', async () => {
    fake.mode = 'up';
    const caught = await post({ author: 'viagra-test-123', body: `Actually a real reader ${randomUUID()}` });
    expect((await waitForStored(db.pool, caught)).status).toBe('spam');
    const missed = await post({ body: `Cheap pills here ${randomUUID()}` });
    // Posted before the spam decision below: from then on the spam memory marks this IP's comments as spam.
    const agreed = await post();
    expect((await waitForStored(db.pool, missed)).status).toBe('approved');

    await decide(caught, 'not_spam', 'approved');
    await decide(missed, 'spam', 'spam');
    const ham = await waitFor(
      'submit-ham',
      () =>
        fake.calls.find(
          (c) => c.method === 'submit-ham' && c.params.comment_content?.includes('Actually a real reader'),
        ),
      20_000,
      100,
    );
    expect(ham.params).toMatchObject({
      comment_author: 'viagra-test-123',
      user_ip: '127.0.0.1',
      user_agent: 'Mozilla/5.0 (test)',
      permalink: `${api.origin}/articles/p1`,
      blog_lang: 'en',
    });
    const spam = await waitFor(
      'submit-spam',
      () =>
        fake.calls.find((c) => c.method === 'submit-spam' && c.params.comment_content?.includes('Cheap pills here')),
      20_000,
      100,
    );
    expect(spam.params.comment_author).toBe('Ann');

    // A decision that says nothing about spam (reject) tells Akismet nothing.
    expect((await waitForStored(db.pool, agreed)).status).toBe('approved');
    await decide(agreed, 'reject', 'rejected');
    await new Promise((r) => setTimeout(r, 500));
    const submitted = fake.calls.filter((c) => c.method.startsWith('submit-')).length;
    expect(submitted).toBe(2);
  });
});
