import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommentEventsQueue, type CommentEventsQueue } from '../../src/queue/comment-events-queue.js';
import { insertSubscription } from '../../src/store/webhooks.js';
import { toStoredEvents, type WebhookEventType } from '../../src/webhooks/comment-events.js';
import { newWebhookSecret } from '../../src/webhooks/webhook-signature.js';
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
import { addModerator } from '../support/dashboard-client.js';
import { startHttpReceiver, type HttpReceiver } from '../support/http-receiver.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 18 item 6 (b): a stored comment queues a comment event only when something could hear of it
// (src/webhooks/comment-events.ts, storedEventWanted; the audience is read with the comment's facts).
// The real API, worker, comment-events and mail workers, a webhook receiver and an SMTP server on
// loopback: no subscriber, no event job; a subscriber, its event job and the delivery; a held comment
// still reaches the moderators' held notices, and a reply to a subscribed commenter is still mailed.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
let events: CommentEventsQueue;
let redis: Redis;
let receiver: HttpReceiver;
let smtp: SmtpSink;
const prefix = newQueuePrefix();

let n = 0;
async function comment(site: string, extra: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(
    api,
    {
      site,
      page: 'post-1',
      pageUrl: `${api.origin}/post-1`,
      pageTitle: 'Post one',
      author: `Reader ${n}`,
      email: `reader-${n}@example.org`,
      body: `Audience comment number ${n}`,
      ...extra,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

/** The event jobs this stored comment could have queued (ids derive from the comment id), by type. */
async function eventJobs(id: string, siteId: string): Promise<WebhookEventType[]> {
  const { rows } = await db.pool.query<{ status: 'approved' }>('select status from comments where id = $1', [id]);
  const all = toStoredEvents({ id, siteId, status: rows[0]!.status }, new Date());
  const found: WebhookEventType[] = [];
  for (const e of all) if (await events.getJob(e.id)) found.push(e.type);
  return found;
}

/** The events are queued just after the commit, not awaited by the job: give them the time to land. */
const settle = () => new Promise((r) => setTimeout(r, 700));

beforeAll(async () => {
  db = await createTestDatabase();
  [receiver, smtp] = await Promise.all([startHttpReceiver(), startSmtpSink()]);
  api = await startApi({ pool: db.pool, prefix, replyMail: true });
  const open = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0, spamWords: ['cheap pills'] };
  await addSite(db.pool, 'quiet', [api.origin], open);
  await addSite(db.pool, 'hooked', [api.origin], open);
  await addSite(db.pool, 'held', [api.origin], { ...open, moderation: 'pre' });
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['held']);
  await db.pool.query(`update moderators set notify_held = true where email = 'mod@example.org'`);
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  events = createCommentEventsQueue(redis, prefix);
  worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: {
      smtpUrl: smtp.url,
      publicUrl: api.url,
      digestIntervalMs: 60_000,
      digestSweepMs: 200,
    },
  });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await events?.close();
  redis?.disconnect();
  await receiver?.close();
  await smtp?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('comment events only where someone can hear them', () => {
  it('a site without webhooks: a published comment, a spam one and a top-level reply-less one queue no event job', async () => {
    const published = await comment('quiet');
    const spam = await comment('quiet', { body: 'buy cheap pills here' });
    await settle();
    expect((await db.pool.query('select status from comments where id = $1', [spam])).rows[0].status).toBe('spam');
    expect(await eventJobs(published, 'quiet')).toEqual([]);
    expect(await eventJobs(spam, 'quiet')).toEqual([]);
    const counts = await events.getJobCounts('wait', 'active', 'delayed', 'completed', 'failed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a subscriber to comment.approved: that event is queued and delivered, comment.created (nobody asks) is not', async () => {
    await insertSubscription(
      db.pool,
      { siteId: 'hooked', url: `${receiver.url}/hooked`, events: ['comment.approved'], active: true, description: '' },
      newWebhookSecret(),
    );
    const id = await comment('hooked');
    await waitFor('the delivery', () => receiver.bodies('/hooked').length > 0, 10_000);
    expect(receiver.bodies('/hooked')).toMatchObject([{ type: 'comment.approved', data: { comment: { id } } }]);
    expect(await eventJobs(id, 'hooked')).toEqual(['comment.approved']);
    // A subscription to every comment event: the spam verdict's events reach it too.
    await insertSubscription(
      db.pool,
      {
        siteId: 'hooked',
        url: `${receiver.url}/all`,
        events: ['comment.created', 'comment.spam'],
        active: true,
        description: '',
      },
      newWebhookSecret(),
    );
    const spam = await comment('hooked', { body: 'buy cheap pills today' });
    await waitFor('two deliveries', () => receiver.bodies('/all').length >= 2, 10_000);
    expect(await eventJobs(spam, 'hooked')).toEqual(['comment.created', 'comment.spam']);
  });

  it('a held comment on a site without webhooks still reaches the moderators’ held notices', async () => {
    const id = await comment('held');
    await waitFor(
      'the held notice',
      async () =>
        (await db.pool.query('select count(*)::int as c from held_notices where comment_id = $1', [id])).rows[0].c ===
        1,
      10_000,
    );
    expect(await eventJobs(id, 'held')).toEqual(['comment.created']);
  });

  it('a reply to a commenter who asked for reply mail is mailed; a reply to one who did not queues nothing', async () => {
    // The address confirmed already (as after the opt-in mail's link), so the only mail is the notice.
    await db.pool.query(
      `insert into reply_mail_addresses (site_id, email, nonce, confirmed_at) values ('quiet', 'parent@example.org', $1, now())`,
      ['confirmed-nonce-0123456789'],
    );
    const parent = await comment('quiet', { email: 'parent@example.org', author: 'Pat', notifyReplies: true });
    await waitFor(
      'the opt-in',
      async () =>
        (await db.pool.query('select count(*)::int as c from reply_subscriptions where comment_id = $1', [parent]))
          .rows[0].c === 1,
      5000,
    );
    const silent = await comment('quiet', { email: 'silent@example.org' });
    const reply = await comment('quiet', { parent, email: 'replier@example.org', author: 'Rita' });
    const mail = await smtp.waitForMail('parent@example.org', { timeoutMs: 10_000 });
    expect(mail.subject).toBe(`Rita replied to your comment on ${api.origin}/post-1`);
    expect(await eventJobs(reply, 'quiet')).toEqual(['comment.approved']);

    const unheard = await comment('quiet', { parent: silent, email: 'replier2@example.org' });
    await settle();
    expect(await eventJobs(unheard, 'quiet')).toEqual([]);
    expect(smtp.mailsTo('silent@example.org')).toEqual([]);
  });
});
