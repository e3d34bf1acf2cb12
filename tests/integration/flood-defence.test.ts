import { randomUUID } from 'node:crypto';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntakeGuard } from '../../src/flood/intake-guard.js';
import { createSurgeReader } from '../../src/flood/surge-state.js';
import { toSiteSettings } from '../../src/domain/site-settings.js';
import { createLogger } from '../../src/logger.js';
import { createProducerRedis } from '../../src/redis.js';
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
  waitFor,
  waitForStored,
  type TestApi,
} from '../support/harness.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Flood and bot defence end to end: rate limits at intake (per IP, per /64, per email), surge mode
// under a burst from many IPs, the signed form token, and the local spam memory.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();
const logger = createLogger('silent', 'test');
// Wide enough that 16 posts in a row fit in one window on a loaded CI machine.
const SURGE_WINDOW_MS = 4000;
const SURGE_COOLDOWN_MS = 1500;
const quiet = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0, surgeFactor: 0 };

beforeAll(async () => {
  db = await createTestDatabase();
  // X-Forwarded-For from loopback is believed, so each post can come from another reader.
  api = await startApi({
    pool: db.pool,
    prefix,
    trustProxy: 'loopback',
    formTokenSecret: 'flood-test-secret',
    flood: { surgeWindowMs: SURGE_WINDOW_MS, surgeBaselineMs: 60_000, surgeCooldownMs: SURGE_COOLDOWN_MS },
  });
  await addSite(db.pool, 'limits', [api.origin], { ...quiet, rateLimitIp: 3, rateLimitNet: 5, rateLimitEmail: 100 });
  await addSite(db.pool, 'mails', [api.origin], { ...quiet, rateLimitEmail: 2 });
  await addSite(db.pool, 'surgy', [api.origin], { ...quiet, surgeFactor: 5, surgeMinimum: 10, rateLimitSite: 0 });
  await addSite(db.pool, 'tokens', [api.origin], { ...quiet, formMinSeconds: 2 });
  await addSite(db.pool, 'memory', [api.origin], quiet);
  worker = await startWorker({ pool: db.pool, prefix });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
function comment(site: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  n += 1;
  return {
    site,
    page: 'p1',
    author: 'Ann',
    email: `ann${n}@example.org`,
    body: `Comment number ${n}, ${randomUUID()}`,
    ...over,
  };
}
const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

async function accepted(res: Response): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe('rate limits at intake', () => {
  it('the 4th comment a minute from one IP gets 429 RATE_LIMITED with Retry-After; another IP still posts', async () => {
    for (let i = 0; i < 3; i++) await accepted(await postJson(api, comment('limits'), from('203.0.113.7')));
    const refused = await postJson(api, comment('limits'), from('203.0.113.7'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/try again in \d+ seconds?/);
    await accepted(await postJson(api, comment('limits'), from('203.0.113.8')));
  });

  it('the classic form gets a readable page with the 429 and Retry-After', async () => {
    const res = await fetch(`${api.url}/api/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...from('203.0.113.7') },
      body: new URLSearchParams({
        site: 'limits',
        comment_post_ID: 'p1',
        author: 'Ann',
        email: 'ann-form@example.org',
        comment: 'Hello there',
      }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/try again in \d+ seconds?/);
  });

  it('addresses of one IPv6 /64 share a limit: the 6th gets 429, another /64 still posts', async () => {
    for (let i = 1; i <= 5; i++) await accepted(await postJson(api, comment('limits'), from(`2001:db8:1:2::${i}`)));
    const refused = await postJson(api, comment('limits'), from('2001:db8:1:2::99'));
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('network');
    await accepted(await postJson(api, comment('limits'), from('2001:db8:1:3::1')));
  });

  it('one email from many IPs is limited too', async () => {
    const same = { email: 'same@example.org' };
    await accepted(await postJson(api, comment('mails', same), from('198.51.100.1')));
    await accepted(await postJson(api, comment('mails', same), from('198.51.100.2')));
    const refused = await postJson(api, comment('mails', same), from('198.51.100.3'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
  });

  it('an invalid comment is refused for its fields and uses up no limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await postJson(api, comment('limits', { body: '' }), from('203.0.113.50'))).status).toBe(422);
    }
    await accepted(await postJson(api, comment('limits'), from('203.0.113.50')));
  });

  it('submissions that arrive together are counted in one script call, in order, exactly as one by one', async () => {
    const guard = createIntakeGuard({
      redis: api.redis,
      prefix: `${prefix}-together`,
      logger,
      windows: { rateWindowMs: 60_000, surgeWindowMs: 60_000, surgeBaselineMs: 86_400_000, surgeCooldownMs: 600_000 },
    });
    const settings = toSiteSettings({
      rateLimitIp: 3,
      rateLimitNet: 100,
      rateLimitEmail: 100,
      rateLimitSite: 0,
      surgeFactor: 0,
    });
    // Ten from one IP and two from another in the same turn of the event loop: one batch.
    const decisions = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        guard.admit({ siteId: 'together', ip: '203.0.113.20', email: `t${i}@example.org`, settings }),
      ),
      guard.admit({ siteId: 'together', ip: '203.0.113.21', email: 'u1@example.org', settings }),
      guard.admit({ siteId: 'together', ip: '203.0.113.21', email: 'u2@example.org', settings }),
    ]);
    expect(decisions.map((d) => d.allowed)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
    expect(decisions[3]).toMatchObject({ allowed: false, limit: 'ip' });
    // The refused ones counted nowhere: the IP's counter stands at its limit, not at 10.
    expect(await api.redis.get(`${prefix}-together:flood:together:ip:203.0.113.20`)).toBe('3');
  });

  it('when Redis cannot answer, every submission of the batch is admitted uncounted (fail open)', async () => {
    // Nothing listens on port 1; the producer connection refuses commands at once while disconnected.
    const down = createProducerRedis('redis://127.0.0.1:1');
    try {
      const guard = createIntakeGuard({
        redis: down,
        prefix: `${prefix}-down`,
        logger,
        timeoutMs: 200,
        windows: { rateWindowMs: 60_000, surgeWindowMs: 60_000, surgeBaselineMs: 86_400_000, surgeCooldownMs: 600_000 },
      });
      const settings = toSiteSettings({ rateLimitIp: 1, rateLimitSite: 1 });
      const decisions = await Promise.all(
        Array.from({ length: 3 }, () =>
          guard.admit({ siteId: 'down', ip: '203.0.113.30', email: 'd@example.org', settings }),
        ),
      );
      expect(decisions).toEqual([
        { allowed: true, surge: false },
        { allowed: true, surge: false },
        { allowed: true, surge: false },
      ]);
    } finally {
      down.disconnect();
    }
  });

  it('adds little to intake: one script call per submission, or per batch of those that arrive together (figures printed)', async () => {
    const guard = createIntakeGuard({
      redis: api.redis,
      prefix: `${prefix}-bench`,
      logger,
      windows: { rateWindowMs: 60_000, surgeWindowMs: 60_000, surgeBaselineMs: 86_400_000, surgeCooldownMs: 600_000 },
    });
    const settings = toSiteSettings({
      rateLimitIp: 100_000,
      rateLimitNet: 100_000,
      rateLimitEmail: 100_000,
      rateLimitSite: 0,
      surgeMinimum: 1_000_000,
    });
    const times: number[] = [];
    const pings: number[] = [];
    for (let i = 0; i < 500; i++) {
      let t = performance.now();
      const d = await guard.admit({
        siteId: 'bench',
        ip: `2001:db8::${i % 50}`,
        email: `r${i % 20}@example.org`,
        settings,
      });
      times.push(performance.now() - t);
      expect(d.allowed).toBe(true);
      t = performance.now();
      await api.redis.ping();
      pings.push(performance.now() - t);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const p99 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;
    console.log(
      `intake guard: median ${median(times).toFixed(3)} ms, p99 ${p99(times).toFixed(3)} ms per submission (Redis PING median ${median(pings).toFixed(3)} ms)`,
    );
    expect(median(times)).toBeLessThan(5);
  });
});

describe('surge mode', () => {
  it('turns on under a burst from many IPs (each under its own limit), holds with SURGE, shows, and turns itself off', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 16; i++)
      ids.push(await accepted(await postJson(api, comment('surgy'), from(`192.0.2.${i + 1}`))));
    const rows = await Promise.all(ids.map((id) => waitForStored(db.pool, id)));
    const codes = rows.map((r) => r.verdict.reasons.map((x) => x.code));
    // The first comments of the burst are published; from the 10th (the minimum) every one is held.
    expect(rows[0]!.status).toBe('approved');
    expect(rows.slice(10).every((r) => r.status === 'pending')).toBe(true);
    expect(codes.slice(10).every((c) => c.includes('SURGE'))).toBe(true);
    const surges = await createSurgeReader(api.redis, prefix).list(['surgy', 'limits']);
    expect(surges.map((s) => s.siteId)).toEqual(['surgy']);

    // The rate falls; after the cool-down the flag is gone by itself and comments publish again.
    await waitFor(
      'surge mode to end',
      async () => (await createSurgeReader(api.redis, prefix).list(['surgy'])).length === 0,
      10_000,
      100,
    );
    await new Promise((r) => setTimeout(r, 2 * SURGE_WINDOW_MS));
    const after = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('surgy'), from('192.0.2.200'))),
    );
    expect(after.status).toBe('approved');
    expect(after.verdict.reasons.map((r) => r.code)).not.toContain('SURGE');
  });
});

describe('the signed form token', () => {
  async function tokenFor(site: string, page: string): Promise<string> {
    const res = await fetch(`${api.url}/api/sites/${site}/public?page=${page}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    return ((await res.json()) as { formToken: string }).formToken;
  }

  it('a comment sent at once after the widget got its token is held FORM_TOO_FAST; the fresh token its 202 brought passes 2 s later', async () => {
    const token = await tokenFor('tokens', 'p1');
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    const res = await postJson(api, comment('tokens', { formToken: token }), from('203.0.113.60'));
    const { formToken: next } = (await res.clone().json()) as { formToken: string };
    expect(next).toMatch(/^[\w-]+\.[\w-]+$/);
    const fast = await waitForStored(db.pool, await accepted(res));
    expect(fast.status).toBe('pending');
    expect(fast.verdict.reasons.map((r) => r.code)).toEqual(['FORM_TOO_FAST']);
    await new Promise((r) => setTimeout(r, 2100));
    const slow = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('tokens', { formToken: next }), from('203.0.113.61'))),
    );
    expect(slow.status).toBe('approved');
  });

  it('a forged token is spam; no token at all (an API client) passes; a token of another page is held', async () => {
    const token = await tokenFor('tokens', 'p1');
    const forged = `${token.split('.')[0]}.${Buffer.alloc(32, 7).toString('base64url')}`;
    const spam = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('tokens', { formToken: forged }), from('203.0.113.62'))),
    );
    expect(spam.status).toBe('spam');
    expect(spam.verdict.reasons.map((r) => r.code)).toEqual(['FORM_TOKEN_FORGED']);
    const none = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('tokens'), from('203.0.113.63'))),
    );
    expect(none.status).toBe('approved');
    await new Promise((r) => setTimeout(r, 2100));
    const other = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('tokens', { page: 'p2', formToken: token }), from('203.0.113.64'))),
    );
    expect(other.verdict.reasons.map((r) => r.code)).toEqual(['FORM_TOKEN_MISMATCH']);
  });

  it('the settings answer without ?page= carries no token and stays cacheable', async () => {
    const res = await fetch(`${api.url}/api/sites/tokens/public`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await res.json()).not.toHaveProperty('formToken');
  });
});

describe('local spam memory', () => {
  const moderator = { id: null, label: 'mod@example.org', siteIds: ['memory'] };
  async function decide(id: string, action: 'spam' | 'not_spam'): Promise<void> {
    const changes = await changeStatus(db.pool, {
      ids: [id],
      action,
      toStatus: action === 'spam' ? 'spam' : 'approved',
      actor: moderator,
      batchId: randomUUID(),
    });
    expect(changes).toHaveLength(1);
    // What the training worker does with the job the dashboard queues.
    await createTrainingProcessor({ db: db.pool, logger })({
      data: { commentId: id, siteId: 'memory' },
    } as Job<TrainingJob>);
  }

  it("remembers the email, IP and website domain of a comment a moderator marked as spam, and forgets on 'not spam'", async () => {
    const first = await accepted(
      await postJson(
        api,
        comment('memory', { email: 'pills@spam.example', url: 'https://www.pills.example/buy' }),
        from('198.51.100.77'),
      ),
    );
    expect((await waitForStored(db.pool, first)).status).toBe('approved');
    await decide(first, 'spam');

    const cases: [Record<string, unknown>, string, string, string, string][] = [
      [{ email: 'pills@spam.example' }, '198.51.100.1', 'email', 'spam', 'SPAM_MEMORY'],
      // An IP is evidence, not a verdict: many readers may share it, so a person looks.
      [{}, '198.51.100.77', 'IP address', 'pending', 'SPAM_MEMORY_IP'],
      [{ url: 'http://pills.example/again' }, '198.51.100.2', 'website domain', 'spam', 'SPAM_MEMORY'],
    ];
    for (const [over, ip, what, status, code] of cases) {
      const row = await waitForStored(db.pool, await accepted(await postJson(api, comment('memory', over), from(ip))));
      expect(row.status, what).toBe(status);
      const reason = row.verdict.reasons.find((r) => r.code === code) as { message: string } | undefined;
      expect(reason?.message).toContain(what);
    }
    // The same IP never outweighs an author's approved history.
    const regular = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('memory', { email: 'regular@example.org' }), from('198.51.100.90'))),
    );
    expect(regular.status).toBe('approved');
    const known = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('memory', { email: 'regular@example.org' }), from('198.51.100.77'))),
    );
    expect(known.status).toBe('approved');
    const unrelated = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('memory'), from('198.51.100.3'))),
    );
    expect(unrelated.status).toBe('approved');

    await decide(first, 'not_spam');
    const again = await waitForStored(
      db.pool,
      await accepted(await postJson(api, comment('memory', { email: 'pills@spam.example' }), from('198.51.100.4'))),
    );
    expect(again.status).toBe('approved');
  });
});
