import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Job } from 'bullmq';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAddressReader } from '../../src/http/kit/client-address.js';
import { createLogger } from '../../src/logger.js';
import type { TrainingJob } from '../../src/queue/training-queue.js';
import { changeStatus } from '../../src/store/moderation-actions.js';
import { createTrainingProcessor } from '../../workers/training-processor.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  startApi,
  startWorker,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Issue 11, item 6: behind a proxy the service does not trust (here: the API trusts none, and every
// request comes from loopback with X-Forwarded-For, as through an nginx nobody named in TRUST_PROXY),
// every reader has the same address. One reader's comments and one moderator's spam decision must not
// fall on the others: "too fast" and spam memory skip an address that tells nobody apart.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const logger = createLogger('silent', 'test');

beforeAll(async () => {
  db = await createTestDatabase();
  api = await startApi({ pool: db.pool, prefix, trustProxy: '' });
  // The defaults that matter here: floodSeconds 15 and spam memory on; no first-time hold, so a
  // published comment shows that no rule fired.
  await addSite(db.pool, 'behind', [api.origin], { holdFirstTime: false, holdLinks: 0 });
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
async function post(
  over: Record<string, unknown> = {},
  forwardedFor = '203.0.113.1',
): Promise<{ status: string; verdict: { reasons: { code: string }[] } }> {
  n += 1;
  const res = await postJson(
    api,
    {
      site: 'behind',
      page: 'p',
      author: `Reader ${n}`,
      email: `reader${n}@example.org`,
      body: `Comment ${n} ${randomUUID()}`,
      ...over,
    },
    { 'x-forwarded-for': forwardedFor },
  );
  expect(res.status, await res.clone().text()).toBe(202);
  return waitForStored(db.pool, ((await res.json()) as { id: string }).id);
}

describe('readers behind a proxy that is not trusted', () => {
  it('a second reader within the flood window is not refused as "too fast"; the same reader (email) still is', async () => {
    const first = await post({ email: 'ann@example.org' });
    expect(first.status).toBe('approved');
    const other = await post({}, '198.51.100.2');
    expect(other.status).toBe('approved');
    expect(other.verdict.reasons.map((r) => r.code)).not.toContain('TOO_FAST');
    const again = await post({ email: 'ann@example.org' });
    expect(again.verdict.reasons.map((r) => r.code)).toContain('TOO_FAST');
  });

  it("one comment a moderator marks as spam does not send every later reader's comment to spam", async () => {
    const spam = await post({ email: 'bot@spam.example', body: `Buy pills ${randomUUID()}` });
    const { rows } = await db.pool.query<{ id: string }>(
      `select id from comments where author_email = 'bot@spam.example'`,
    );
    expect(spam.status).toBe('approved');
    const id = rows[0]!.id;
    const changes = await changeStatus(db.pool, {
      ids: [id],
      action: 'spam',
      toStatus: 'spam',
      actor: { id: null, label: 'mod@example.org', siteIds: ['behind'] },
      batchId: randomUUID(),
    });
    expect(changes).toHaveLength(1);
    await createTrainingProcessor({ db: db.pool, logger })({
      data: { commentId: id, siteId: 'behind' },
    } as Job<TrainingJob>);

    const later = await post({}, '198.51.100.3');
    expect(later.verdict.reasons.map((r) => r.code)).not.toContain('SPAM_MEMORY');
    expect(later.verdict.reasons.map((r) => r.code)).not.toContain('SPAM_MEMORY_IP');
    expect(later.status).toBe('approved');
    // The spammer's email is still remembered: that one is theirs alone.
    expect((await post({ email: 'bot@spam.example' })).verdict.reasons.map((r) => r.code)).toContain('SPAM_MEMORY');
  });
});

describe('the warning about a proxy that is not trusted', () => {
  it('is logged once, on the first request that carries X-Forwarded-For from an untrusted peer', async () => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
        done();
      },
    });
    const read = createClientAddressReader(pino({ level: 'info' }, sink));
    const app = express();
    app.get('/', (req, res) => {
      res.json(read(req));
    });
    const server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const answers = [];
      for (let i = 0; i < 3; i++)
        answers.push(await (await fetch(url, { headers: { 'x-forwarded-for': `198.51.100.${i}` } })).json());
      expect(answers[0]).toEqual({ ip: '127.0.0.1', distinct: false, untrustedProxy: true });
      const warnings = lines.filter((l) => l.level === 40 && /TRUST_PROXY/.test(l.msg));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]!.msg).toMatch(/proxy that is not trusted/);
    } finally {
      server.close();
    }
  });
});
