import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createErrorHandler } from '../../src/http/error-handler.js';
import { createFlagRoutes } from '../../src/http/public/flag-routes.js';
import { createSiteDirectory } from '../../src/http/kit/site-directory.js';
import { createStatusChanges, followUps, type ChangeCause } from '../../src/moderation/status-changes.js';
import {
  createLiveFeed,
  createLivePublisher,
  createSubscriberRedis,
  type LiveCommentEvent,
  type LiveFeed,
} from '../../src/queue/live-events.js';
import { createTrainingQueue, type TrainingQueue } from '../../src/queue/training-queue.js';
import { createCommentEventsQueue, type CommentEventsQueue } from '../../src/queue/comment-events-queue.js';
import { createProducerRedis, createWorkerRedis, type RedisClient } from '../../src/redis.js';
import type { StatusChange } from '../../src/store/moderation-actions.js';
import type { CommentEvent } from '../../src/webhooks/comment-events.js';
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

// The one module for what follows a status change (src/moderation/status-changes.ts), against the
// real Redis queues and live channel: each follow-up happens once, and a Redis that cannot take one
// costs that one only, logged, never thrown.

const prefix = newQueuePrefix();
let redis: RedisClient;
let dead: RedisClient;
let training: TrainingQueue;
let events: CommentEventsQueue;
let deadTraining: TrainingQueue;
let deadEvents: CommentEventsQueue;
let feed: LiveFeed;
const heard: LiveCommentEvent[] = [];

/** A real pino logger whose lines are kept, to see what was logged. */
function recordingLogger(): { logger: Logger; warnings: () => { msg: string; err?: string }[] } {
  const lines: { level: number; msg: string; err?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string; err?: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), warnings: () => lines.filter((l) => l.level === 40) };
}

const change = (
  toStatus: StatusChange['toStatus'],
  fromStatus: StatusChange['fromStatus'] = 'pending',
): StatusChange => ({
  id: randomUUID(),
  siteId: 'news',
  fromStatus,
  toStatus,
});

async function trainingJobsFor(queue: TrainingQueue, id: string): Promise<number> {
  return (await queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.commentId === id).length;
}

async function eventsFor(queue: CommentEventsQueue, id: string): Promise<CommentEvent[]> {
  const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.map((j) => j.data).filter((d): d is CommentEvent => 'type' in d && d.commentId === id);
}

beforeAll(async () => {
  redis = createWorkerRedis(TEST_REDIS_URL);
  training = createTrainingQueue(redis, prefix);
  events = createCommentEventsQueue(redis, prefix);
  // The API's kind of connection (no offline queue), cut once the queues are ready: every command on
  // it then fails at once, as while Redis is away.
  dead = createProducerRedis(TEST_REDIS_URL);
  deadTraining = createTrainingQueue(dead, prefix);
  deadEvents = createCommentEventsQueue(dead, prefix);
  for (const q of [deadTraining, deadEvents]) q.on('error', () => {});
  await Promise.all([deadTraining.waitUntilReady(), deadEvents.waitUntilReady()]);
  dead.disconnect();
  feed = createLiveFeed({ connect: () => createSubscriberRedis(TEST_REDIS_URL), prefix });
  feed.listen((e) => heard.push(e));
  await feed.ready();
});

afterAll(async () => {
  await feed?.close();
  for (const q of [training, events, deadTraining, deadEvents]) await q?.close().catch(() => {});
  redis?.disconnect();
  dead?.disconnect();
  await deleteQueueKeys(prefix);
});

describe('after a status change', () => {
  it("a moderator's decision queues one training job and one comment event per changed comment", async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, training, events, publish: createLivePublisher(redis, prefix) });
    const approved = change('approved');
    const spam = change('spam', 'approved');
    await after.changed([approved, spam], 'decision');

    expect(await trainingJobsFor(training, approved.id)).toBe(1);
    expect(await trainingJobsFor(training, spam.id)).toBe(1);
    expect((await eventsFor(events, approved.id)).map((e) => [e.type, e.source, e.previousStatus])).toEqual([
      ['comment.approved', 'moderator', 'pending'],
    ]);
    expect((await eventsFor(events, spam.id)).map((e) => [e.type, e.source])).toEqual([['comment.spam', 'moderator']]);
    expect(warnings()).toEqual([]);
  });

  it.each<[ChangeCause, CommentEvent['source'], number]>([
    ['decision', 'moderator', 1],
    ['ban', 'moderator', 0],
    ['flags', 'readers', 0],
  ])(
    'after a %s the events name the %s as the source, and the filter learns from %i job(s)',
    async (cause, source, learned) => {
      const { logger } = recordingLogger();
      const after = createStatusChanges({ logger, training, events });
      const c = cause === 'flags' ? change('pending', 'approved') : change('rejected');
      await after.changed([c], cause);
      expect(await trainingJobsFor(training, c.id)).toBe(learned);
      expect((await eventsFor(events, c.id)).map((e) => e.source)).toEqual([source]);
    },
  );

  it('every cause has its follow-ups written down', () => {
    expect(Object.keys(followUps).sort()).toEqual(['author', 'ban', 'decision', 'flags']);
  });

  it('no changes queue nothing', async () => {
    const { logger } = recordingLogger();
    const before = (await training.getJobCounts()).waiting;
    await createStatusChanges({ logger, training, events }).changed([], 'decision');
    expect((await training.getJobCounts()).waiting).toBe(before);
  });

  it('when the training queue cannot take the job, the failure is logged, not thrown, and the events are still queued', async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, training: deadTraining, events });
    const c = change('approved');
    await expect(after.changed([c], 'decision')).resolves.toBeUndefined();
    expect((await eventsFor(events, c.id)).map((e) => e.type)).toEqual(['comment.approved']);
    expect(warnings().map((w) => w.msg)).toEqual(['spam training not queued']);
    expect(warnings()[0]!.err).toBeTruthy();
  });

  it('when the events queue cannot take the events, the failure is logged, not thrown, and the filter still learns', async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, training, events: deadEvents });
    const c = change('spam');
    await expect(after.changed([c], 'decision')).resolves.toBeUndefined();
    expect(await trainingJobsFor(training, c.id)).toBe(1);
    expect(warnings().map((w) => w.msg)).toEqual(['comment events not queued']);
  });
});

describe('after the pipeline stored a comment', () => {
  it('a held comment is announced once and published live once; a retried run announces again (deduplicated) but publishes nothing', async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, events, publish: createLivePublisher(redis, prefix) });
    const held = { id: randomUUID(), siteId: 'news', status: 'pending' as const };
    await after.stored(held);
    await after.stored(held, { retry: true });
    // A marker published after both: once it arrives, anything the retry published would have too.
    const marker = { id: randomUUID(), siteId: 'news', status: 'spam' as const };
    await after.stored(marker);
    await waitFor('the marker on the live channel', () => heard.some((e) => e.id === marker.id));
    expect(heard.filter((e) => e.id === held.id)).toEqual([held]);
    expect((await eventsFor(events, held.id)).map((e) => e.type)).toEqual(['comment.created']);
    expect(warnings()).toEqual([]);
  });

  it('an approved comment is announced but not published to dashboards (it waits in no queue)', async () => {
    const { logger } = recordingLogger();
    const after = createStatusChanges({ logger, events, publish: createLivePublisher(redis, prefix) });
    const ok = { id: randomUUID(), siteId: 'news', status: 'approved' as const };
    await after.stored(ok);
    const marker = { id: randomUUID(), siteId: 'news', status: 'pending' as const };
    await after.stored(marker);
    await waitFor('the marker on the live channel', () => heard.some((e) => e.id === marker.id));
    expect(heard.some((e) => e.id === ok.id)).toBe(false);
    expect((await eventsFor(events, ok.id)).map((e) => e.type).sort()).toEqual(['comment.approved', 'comment.created']);
  });

  it('when the events queue is down, the failure is logged and the live event is still published', async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, events: deadEvents, publish: createLivePublisher(redis, prefix) });
    const held = { id: randomUUID(), siteId: 'news', status: 'spam' as const };
    await expect(after.stored(held)).resolves.toBeUndefined();
    await waitFor('the held comment on the live channel', () => heard.some((e) => e.id === held.id));
    expect(warnings().map((w) => w.msg)).toEqual(['comment events not queued']);
  });

  it('when the live channel is down, the failure is logged and the events are still queued', async () => {
    const { logger, warnings } = recordingLogger();
    const after = createStatusChanges({ logger, events, publish: createLivePublisher(dead, prefix) });
    const held = { id: randomUUID(), siteId: 'news', status: 'pending' as const };
    await expect(after.stored(held)).resolves.toBeUndefined();
    expect((await eventsFor(events, held.id)).map((e) => e.type)).toEqual(['comment.created']);
    expect(warnings().map((w) => w.msg)).toEqual(['live queue event not published']);
  });
});

describe("readers' flags with the comment-events queue down", () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: { close(): Promise<void> };
  let server: Server;
  let flagUrl: string;
  const flagPrefix = newQueuePrefix();
  const log = recordingLogger();

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApi({ pool: db.pool, prefix: flagPrefix });
    worker = await startWorker({ pool: db.pool, prefix: flagPrefix });
    await addSite(db.pool, 'flaggy', [api.origin], {
      holdFirstTime: false,
      floodSeconds: 0,
      holdLinks: 0,
      flagThreshold: 1,
    });
    // Flag routes of their own, whose comment-events queue cannot be reached.
    const app = express();
    app.use(
      createFlagRoutes({
        db: db.pool,
        sites: createSiteDirectory(db.pool, { refreshMs: 0, missRefreshMs: 0 }),
        events: deadEvents,
        logger: log.logger,
      }),
    );
    app.use(createErrorHandler(log.logger));
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    flagUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await worker?.close();
    await api?.close();
    await db?.drop();
    await deleteQueueKeys(flagPrefix);
  });

  it('a flag that reaches the threshold is answered 202, and the event that could not be queued is logged, not swallowed', async () => {
    const res = await postJson(
      api,
      { site: 'flaggy', page: 'p', author: 'Reader', email: 'r@example.org', body: 'A published comment' },
      { origin: api.origin },
    );
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    await waitForStored(db.pool, id);

    const flagged = await fetch(`${flagUrl}/api/comments/${id}/flag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'abuse', key: 'k' }),
    });
    expect(flagged.status).toBe(202);
    const { rows } = await db.pool.query<{ status: string }>('select status from comments where id = $1', [id]);
    expect(rows[0]?.status).toBe('pending');
    expect(log.warnings().map((w) => w.msg)).toEqual(['comment events not queued']);
  });
});
