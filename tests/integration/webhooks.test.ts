import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnrecoverableError, type Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type {
  CommentEventsJobData,
  CommentEventsJobName,
  CommentEventsQueue,
} from '../../src/queue/comment-events-queue.js';
import { insertSubscription, loadSubscription } from '../../src/store/webhooks.js';
import type { WebhookEventType } from '../../src/webhooks/comment-events.js';
import { postWebhook } from '../../src/webhooks/deliver-webhook.js';
import { newWebhookSecret, verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { createWebhookProcessor } from '../../workers/webhook-processor.js';
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
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

// Webhooks against a real receiver on loopback (WEBHOOK_ALLOW_PRIVATE is on for these workers, as the
// tests need loopback): signed deliveries checked with the reference verifier, retries with backoff
// after 500s and timeouts, secret rotation, the delivery log, and the SSRF guard.
let db: TestDatabase;
let api: TestApi;
let worker: { close(): Promise<void> };
const prefix = newQueuePrefix();

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}
const received: Received[] = [];
/** Per path, what to answer next (shifted per request); default 200. 'hang' never answers. */
const script = new Map<string, (number | 'hang')[]>();
let receiver: Server;
let receiverUrl = '';
const hanging: ServerResponse[] = [];

function at(path: string): Received[] {
  return received.filter((r) => r.path === path);
}

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
      email: `secret-reader-${n}@example.org`,
      body: `Webhook comment number ${n}`,
      ...extra,
    },
    { origin: api.origin },
  );
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await waitForStored(db.pool, id);
  return id;
}

async function subscribe(
  site: string,
  path: string,
  events: WebhookEventType[],
): Promise<{ id: number; secret: string }> {
  const s = await insertSubscription(
    db.pool,
    { siteId: site, url: `${receiverUrl}${path}`, events, active: true, description: '' },
    newWebhookSecret(),
  );
  return { id: s.id, secret: s.secret };
}

async function attempts(subscriptionId: number): Promise<
  {
    attempt: number;
    result: string;
    status_code: number | null;
    error: string | null;
    next_retry_at: Date | null;
    duration_ms: number;
  }[]
> {
  const { rows } = await db.pool.query('select * from webhook_deliveries where subscription_id = $1 order by id', [
    subscriptionId,
  ]);
  return rows;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body, at: Date.now() });
      const next = script.get(path)?.shift() ?? 200;
      if (next === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(next, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  api = await startApi({ pool: db.pool, prefix });
  const open = { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 };
  for (const site of ['news', 'flaky', 'slow', 'rot', 'mod']) await addSite(db.pool, site, [api.origin], open);
  await addSite(db.pool, 'flagged', [api.origin], { ...open, flagThreshold: 1 });
  await addSite(db.pool, 'held', [api.origin], { ...open, moderation: 'pre' });
  await addModerator(db.pool, 'admin@example.org', 'admin');
  await addModerator(db.pool, 'mod@example.org', 'moderator', ['held']);
  worker = await startWorker({
    pool: db.pool,
    prefix,
    notifications: {
      allowPrivate: true,
      timeoutMs: 400,
      deliveryOptions: { attempts: 3, backoff: { type: 'exponential', delay: 250 } },
    },
  });
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  await worker?.close();
  await api?.close();
  receiver?.closeAllConnections();
  receiver?.close();
  await db?.drop();
  await deleteQueueKeys(prefix);
});

describe('subscribing and delivering', () => {
  it('an admin adds a webhook in the dashboard; a new comment is delivered signed, as created and approved, without email or IP', async () => {
    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    await admin.page('/admin/webhooks');
    const res = await admin.post('/admin/webhooks', {
      site: 'news',
      url: `${receiverUrl}/news`,
      events: ['comment.created', 'comment.approved'],
      active: '1',
    });
    expect(res.status).toBe(303);
    const id = Number(/\/admin\/webhooks\/(\d+)/.exec(res.headers.get('location') ?? '')?.[1]);
    const sub = await loadSubscription(db.pool, id);
    expect(sub).toMatchObject({ siteId: 'news', events: ['comment.created', 'comment.approved'], active: true });
    expect(await admin.page(`/admin/webhooks/${id}`)).toContain(sub!.secret);

    const commentId = await comment('news');
    await waitFor('two deliveries', () => at('/news').length >= 2);
    const deliveries = at('/news').map((r) => ({
      ...r,
      json: JSON.parse(r.body) as {
        id: string;
        type: string;
        site: string;
        data: { comment: Record<string, unknown> };
      },
    }));
    expect(deliveries.map((d) => d.json.type).sort()).toEqual(['comment.approved', 'comment.created']);
    for (const d of deliveries) {
      expect(
        verifyWebhook(d.headers['reply-desk-signature'] as string, d.body, [sub!.secret], { nowSeconds: nowSeconds() }),
      ).toMatchObject({ ok: true });
      expect(d.headers['reply-desk-event-id']).toBe(d.json.id);
      expect(d.headers['reply-desk-event']).toBe(d.json.type);
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.json.site).toBe('news');
      expect(d.json.data.comment).toMatchObject({
        id: commentId,
        status: 'approved',
        previousStatus: null,
        author: { name: expect.stringMatching(/^Reader/), website: null },
      });
      expect(d.json.data.comment.permalink).toBe(`${api.origin}/post-1#comment-${commentId}`);
      expect(d.body).not.toContain('secret-reader');
      expect(d.body).not.toContain('127.0.0.1"');
      expect(Object.keys(d.json.data.comment)).not.toEqual(expect.arrayContaining(['email']));
    }
    expect(new Set(deliveries.map((d) => d.json.id)).size).toBe(2);
    // The log row is written once the receiver has answered, a moment after it got the request.
    await expect
      .poll(async () => (await attempts(id)).map((a) => [a.result, a.status_code]))
      .toEqual([
        ['delivered', 200],
        ['delivered', 200],
      ]);
  });

  it('a tampered body or an old timestamp fails the reference verifier', async () => {
    const d = at('/news')[0]!;
    const header = d.headers['reply-desk-signature'] as string;
    const secret = (await loadSubscription(
      db.pool,
      (await db.pool.query('select id from webhook_subscriptions where site_id = $1', ['news'])).rows[0].id,
    ))!.secret;
    expect(verifyWebhook(header, d.body.replace('Webhook', 'Hacked'), [secret], { nowSeconds: nowSeconds() })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(verifyWebhook(header, d.body, [secret], { nowSeconds: nowSeconds() + 3600 })).toEqual({
      ok: false,
      reason: 'TOO_OLD',
    });
  });

  it('after two 500s the delivery is retried with growing delays and succeeds on the third attempt, the same event each time', async () => {
    const sub = await subscribe('flaky', '/flaky', ['comment.approved']);
    script.set('/flaky', [500, 500, 200]);
    await comment('flaky');
    await waitFor('three attempts', () => at('/flaky').length >= 3, 15_000);
    const hits = at('/flaky');
    expect(hits).toHaveLength(3);
    expect(hits.map((h) => h.headers['reply-desk-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(hits.map((h) => h.headers['reply-desk-event-id'])).size).toBe(1);
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    // Exponential backoff from 250 ms: about 250 ms, then about 500 ms.
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(200);
    expect(hits[2]!.at - hits[1]!.at).toBeGreaterThanOrEqual(450);
    const log = await waitFor('three logged attempts', async () => {
      const rows = await attempts(sub.id);
      return rows.length === 3 ? rows : undefined;
    });
    expect(log.map((a) => [a.attempt, a.result, a.status_code])).toEqual([
      [1, 'retrying', 500],
      [2, 'retrying', 500],
      [3, 'delivered', 200],
    ]);
    expect(log[0]!.error).toBe('HTTP 500');
    expect(log[0]!.next_retry_at).toBeInstanceOf(Date);
    expect(log[2]!.next_retry_at).toBeNull();
  });

  it('a receiver that never answers times out on every attempt and the delivery fails for good', async () => {
    const sub = await subscribe('slow', '/slow', ['comment.approved']);
    script.set('/slow', ['hang', 'hang', 'hang']);
    await comment('slow');
    const log = await waitFor(
      'three timed-out attempts',
      async () => {
        const rows = await attempts(sub.id);
        return rows.length === 3 ? rows : undefined;
      },
      15_000,
    );
    expect(log.map((a) => a.result)).toEqual(['retrying', 'retrying', 'failed']);
    for (const a of log) {
      expect(a.error).toBe('timed out after 400 ms');
      expect(a.status_code).toBeNull();
      expect(a.duration_ms).toBeGreaterThanOrEqual(390);
    }
  });
});

describe('secret rotation', () => {
  it('during the grace period deliveries carry both signatures; with no grace only the new one', async () => {
    const sub = await subscribe('rot', '/rot', ['comment.approved']);
    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    await admin.page(`/admin/webhooks/${sub.id}`);
    expect((await admin.post(`/admin/webhooks/${sub.id}/rotate`, { graceHours: '1' })).status).toBe(303);
    const rotated = (await loadSubscription(db.pool, sub.id))!;
    expect(rotated.secret).not.toBe(sub.secret);
    expect(rotated.previousSecret).toBe(sub.secret);
    expect(await admin.page(`/admin/webhooks/${sub.id}`)).toContain('The previous secret stays valid until');

    await comment('rot');
    await waitFor('a delivery', () => at('/rot').length >= 1);
    const first = at('/rot')[0]!;
    const header = first.headers['reply-desk-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhook(header, first.body, [sub.secret], { nowSeconds: nowSeconds() }).ok).toBe(true);
    expect(verifyWebhook(header, first.body, [rotated.secret], { nowSeconds: nowSeconds() }).ok).toBe(true);

    await admin.page(`/admin/webhooks/${sub.id}`);
    expect((await admin.post(`/admin/webhooks/${sub.id}/rotate`, { graceHours: '0' })).status).toBe(303);
    const again = (await loadSubscription(db.pool, sub.id))!;
    await comment('rot');
    await waitFor('a second delivery', () => at('/rot').length >= 2);
    const second = at('/rot')[1]!;
    const h2 = second.headers['reply-desk-signature'] as string;
    expect(h2.match(/v1=/g)).toHaveLength(1);
    expect(verifyWebhook(h2, second.body, [again.secret], { nowSeconds: nowSeconds() }).ok).toBe(true);
    expect(verifyWebhook(h2, second.body, [rotated.secret, sub.secret], { nowSeconds: nowSeconds() })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });
});

describe('status changes', () => {
  it('a moderator approving a held comment sends comment.approved; a reader flag unpublishing one sends comment.held', async () => {
    await subscribe('held', '/held', ['comment.created', 'comment.approved']);
    await subscribe('flagged', '/flagged', ['comment.held']);
    const heldId = await comment('held');
    await waitFor('the created event', () => at('/held').length >= 1);
    expect(JSON.parse(at('/held')[0]!.body)).toMatchObject({
      type: 'comment.created',
      data: { comment: { id: heldId, status: 'pending' } },
    });

    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.post(`/admin/comments/${heldId}/status`, { action: 'approve' }, { json: true })).status).toBe(
      200,
    );
    await waitFor('the approved event', () => at('/held').length >= 2);
    expect(JSON.parse(at('/held')[1]!.body)).toMatchObject({
      type: 'comment.approved',
      data: { source: 'moderator', comment: { id: heldId, status: 'approved', previousStatus: 'pending' } },
    });

    const flaggedId = await comment('flagged');
    const flag = await fetch(`${api.url}/api/comments/${flaggedId}/flag`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: api.origin },
      body: JSON.stringify({ reason: 'abuse', key: 'k' }),
    });
    expect(flag.status).toBe(202);
    await waitFor('the held event', () => at('/flagged').length >= 1);
    expect(JSON.parse(at('/flagged')[0]!.body)).toMatchObject({
      type: 'comment.held',
      data: { source: 'readers', comment: { id: flaggedId, status: 'pending', previousStatus: 'approved' } },
    });
  });
});

describe('the dashboard', () => {
  it('shows admins the delivery log, refuses other moderators, and refuses non-http URLs', async () => {
    const admin = new DashboardClient(api.url);
    await admin.signIn('admin@example.org');
    const list = await admin.page('/admin/webhooks');
    expect(list).toContain(`${receiverUrl}/flaky`);
    const flaky = (await db.pool.query(`select id from webhook_subscriptions where site_id = 'flaky'`)).rows[0]
      .id as number;
    const page = await admin.page(`/admin/webhooks/${flaky}`);
    expect(page.match(/data-result="retrying"/g)).toHaveLength(2);
    expect(page).toContain('data-result="delivered"');
    expect(page).toContain('HTTP 500');

    const bad = await admin.post('/admin/webhooks', {
      site: 'news',
      url: 'ftp://example.org/x',
      events: 'comment.created',
      active: '1',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Only http:// and https:// URLs');

    await admin.page(`/admin/webhooks/${flaky}`);
    expect((await admin.post(`/admin/webhooks/${flaky}/delete`, {})).status).toBe(303);
    expect(await loadSubscription(db.pool, flaky)).toBeNull();

    const mod = new DashboardClient(api.url);
    await mod.signIn('mod@example.org');
    expect((await mod.get('/admin/webhooks')).status).toBe(403);

    // Every change an admin made in this file is in the audit log, by whom and to what, without a secret.
    const { rows } = await db.pool.query<{
      actor: string;
      site_id: string;
      detail: { op: string; webhook: number; url: string };
    }>(`select actor, site_id, detail from moderation_events where action = 'webhook' order by id`);
    expect(rows.map((r) => [r.detail.op, r.site_id, r.actor])).toEqual([
      ['add', 'news', 'admin@example.org'],
      ['rotate', 'rot', 'admin@example.org'],
      ['rotate', 'rot', 'admin@example.org'],
      ['delete', 'flaky', 'admin@example.org'],
    ]);
    expect(rows[3]!.detail).toMatchObject({ webhook: flaky, url: `${receiverUrl}/flaky` });
    const secrets = (await db.pool.query<{ secret: string }>('select secret from webhook_subscriptions')).rows.map(
      (r) => r.secret,
    );
    for (const r of rows) for (const secret of secrets) expect(JSON.stringify(r.detail)).not.toContain(secret);
    const audit = await admin.page('/admin/audit?action=webhook');
    expect(audit.match(/Changed a webhook/g)?.length).toBeGreaterThanOrEqual(4);
  });
});

describe('the SSRF guard (WEBHOOK_ALLOW_PRIVATE off)', () => {
  it.each([
    ['a loopback IP', () => `${receiverUrl}/ssrf`],
    ['a name that resolves to loopback', () => `${receiverUrl.replace('127.0.0.1', 'localhost')}/ssrf`],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['an IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${new URL(receiverUrl).port}/ssrf`],
  ])('refuses %s without connecting', async (_s, url) => {
    const outcome = await postWebhook({ url: url(), body: '{}', headers: {}, timeoutMs: 1000, allowPrivate: false });
    expect(outcome).toMatchObject({ ok: false, refused: true, statusCode: null });
    expect(outcome.error).toMatch(/^refused: /);
    expect(at('/ssrf')).toHaveLength(0);
  });

  it('a delivery to a private target fails at once (no retries) and is logged as refused', async () => {
    const sub = await subscribe('news', '/ssrf', ['comment.approved']);
    const processor = createWebhookProcessor({
      db: db.pool,
      logger: createLogger('silent', 'test'),
      queue: {} as CommentEventsQueue,
      allowPrivate: false,
    });
    const job = {
      name: 'deliver',
      attemptsMade: 0,
      opts: { attempts: 10 },
      data: {
        subscriptionId: sub.id,
        eventId: '0190f0f0-0000-7000-8000-0000000000aa',
        eventType: 'comment.approved',
        commentId: '0190f0f0-0000-7000-8000-0000000000bb',
        body: '{}',
      },
    } as unknown as Job<CommentEventsJobData, unknown, CommentEventsJobName>;
    await expect(processor(job)).rejects.toBeInstanceOf(UnrecoverableError);
    const log = await attempts(sub.id);
    expect(log.map((a) => a.result)).toEqual(['failed']);
    expect(log[0]!.error).toMatch(/^refused: 127\.0\.0\.1 is a private or loopback address/);
    expect(at('/ssrf')).toHaveLength(0);
  });
});
