import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job } from 'bullmq';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckHookCommand } from '../../src/cli/hooks/check-hook-commands.js';
import type { Submission } from '../../src/domain/submission.js';
import { clearCheckHook, loadCheckHook, setCheckHook } from '../../src/hooks/check-hook-store.js';
import { createExternalChecker } from '../../src/hooks/external-checker.js';
import { toCheckHookRequest } from '../../src/hooks/check-hook-request.js';
import { createLogger } from '../../src/logger.js';
import { createCommentWriter } from '../../src/store/batched/comment-writer.js';
import { verifyWebhook } from '../../src/webhooks/webhook-signature.js';
import { createSubmissionProcessor } from '../../workers/submission-processor.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
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

// A site's external check hook (issue 17, item 5) against a real HTTP server on loopback: each answer
// lands in the verdict trail with its code; a hook that sleeps past the timeout, answers 500 or garbage,
// or cannot be reached holds the comment (never publishes); the request is signed; a job retried after
// its row was stored does not ask again; the admin page and the CLI set and clear it, audited.

const TIMEOUT_MS = 300;
const SLEEP_MS = 3000;
const SITE = 'news';

interface HookCall {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  startedAt: number;
  closedAt: number | null;
}

/** The hook: answers by a marker in the comment's text, e.g. `[hold]`, `[sleep]`, `[500]`, `[garbage]`. */
async function startHook(): Promise<{ url: string; calls: HookCall[]; close(): Promise<void> }> {
  const calls: HookCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const call: HookCall = {
      path: req.url ?? '/',
      headers: req.headers,
      body: '',
      startedAt: Date.now(),
      closedAt: null,
    };
    calls.push(call);
    res.on('close', () => (call.closedAt = Date.now()));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      call.body = Buffer.concat(chunks).toString();
      const text = (JSON.parse(call.body) as { text: string }).text;
      const marker = /\[(\w+)\]/.exec(text)?.[1] ?? 'approve';
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (marker === 'sleep') setTimeout(() => json(200, { action: 'approve' }), SLEEP_MS).unref();
      else if (marker === '500') json(500, { action: 'approve' });
      else if (marker === 'garbage') res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>It works!</h1>');
      else if (marker === 'shape') json(200, { action: 'publish' });
      else if (marker === 'unsafe') json(200, { action: 'reject', reason: 'Refused:\u202E\r\nlegal <b>review</b>' });
      else json(200, { action: marker, reason: `the model says ${marker}`, score: 0.875 });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/check`,
    calls,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let db: TestDatabase;
let api: TestApi;
let hook: Awaited<ReturnType<typeof startHook>>;
let worker: { close(): Promise<void> };
let secret: string;
const prefix = newQueuePrefix();
const logger = createLogger('silent', 'test');
// refreshMs 0: a hook set or cleared applies to the next comment (production: within a second).
const externalCheck = () =>
  createExternalChecker(db.pool, { allowPrivate: true, defaultTimeoutMs: 5000, refreshMs: 0 });

beforeAll(async () => {
  db = await createTestDatabase();
  hook = await startHook();
  api = await startApi({ pool: db.pool, prefix });
  await addSite(db.pool, SITE, [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  await addSite(db.pool, 'other', [api.origin], { holdFirstTime: false, floodSeconds: 0, holdLinks: 0 });
  const set = await setCheckHook(
    db.pool,
    { siteId: SITE, url: hook.url, timeoutMs: TIMEOUT_MS, newSecret: `whsec_${'k'.repeat(40)}`, replaceSecret: false },
    { id: null, label: 'cli' },
  );
  secret = set.hook.secret;
  worker = await startWorker({ pool: db.pool, prefix, externalCheck: externalCheck() });
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await hook?.close();
  await deleteQueueKeys(prefix);
  await db?.drop();
});

let n = 0;
async function post(body: string, over: Record<string, unknown> = {}): Promise<string> {
  n += 1;
  const res = await postJson(api, {
    site: SITE,
    page: 'p1',
    pageUrl: `${api.origin}/articles/p1`,
    author: 'Ann',
    email: `ann${n}@example.org`,
    url: 'https://ann.example',
    body: `${body} (comment ${n})`,
    lang: 'en',
    ...over,
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return ((await res.json()) as { id: string }).id;
}
const callsFor = (id: string): HookCall[] => hook.calls.filter((c) => (JSON.parse(c.body) as { id: string }).id === id);
type Reason = { code: string; action: string; message: string };
const reasonsOf = (row: { verdict: { reasons: unknown[] } }): Reason[] => row.verdict.reasons as Reason[];

describe('the external check hook', () => {
  it.each([
    ['approve', 'approved', null],
    ['hold', 'pending', 'EXTERNAL_HOLD'],
    ['spam', 'spam', 'EXTERNAL_SPAM'],
    ['reject', 'rejected', 'EXTERNAL_REJECT'],
  ] as const)('its answer %s stores the comment as %s with %s in the verdict trail', async (answer, status, code) => {
    const id = await post(`Worth a look [${answer}]`);
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe(status);
    const external = reasonsOf(row).filter((r) => r.code.startsWith('EXTERNAL'));
    expect(external.map((r) => r.code)).toEqual(code === null ? [] : [code]);
    expect(callsFor(id)).toHaveLength(1);
  });

  it('its refusal reaches the reader as its reason, made safe (one line, no control characters)', async () => {
    const id = await post('Names names [unsafe]');
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('rejected');
    expect(reasonsOf(row).find((r) => r.code === 'EXTERNAL_REJECT')?.message).toBe('Refused: legal <b>review</b>');
    const status = (await (await fetch(`${api.url}/api/comments/${id}?lang=en`)).json()) as {
      status: string;
      errors: { code: string; message: string }[];
    };
    expect(status.status).toBe('rejected');
    expect(status.errors).toContainEqual({
      field: '',
      code: 'EXTERNAL_REJECT',
      message: 'Refused: legal <b>review</b>',
    });
  });

  it('the request is signed with the site’s secret over timestamp and body, and carries no email or IP', async () => {
    const id = await post('Check my signature');
    await waitForStored(db.pool, id);
    const [call] = callsFor(id);
    expect(call!.path).toBe('/check');
    expect(call!.headers['content-type']).toBe('application/json');
    expect(call!.headers['reply-desk-event']).toBe('comment.check');
    expect(call!.headers['reply-desk-event-id']).toBe(id);
    const header = call!.headers['reply-desk-signature'] as string;
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(verifyWebhook(header, call!.body, [secret], { nowSeconds })).toEqual({
      ok: true,
      timestamp: expect.any(Number),
    });
    expect(verifyWebhook(header, call!.body, ['whsec_not_the_secret'], { nowSeconds }).ok).toBe(false);
    const body = JSON.parse(call!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'comment.check',
      id,
      site: SITE,
      page: { id: 'p1', url: `${api.origin}/articles/p1` },
      name: 'Ann',
      website: 'https://ann.example',
      signedIn: false,
      local: { status: 'approved', reasons: [] },
    });
    expect(call!.body).not.toContain('@example.org');
    // The IP intake stored (loopback here) is in no field; only the page's URL is on 127.0.0.1.
    expect(Object.keys(body).sort()).toEqual(
      [
        'editId',
        'id',
        'lang',
        'local',
        'name',
        'page',
        'parentId',
        'receivedAt',
        'signedIn',
        'site',
        'text',
        'type',
        'website',
      ].sort(),
    );
  });

  it('a hook that sleeps past its timeout: the comment is held with EXTERNAL_CHECK_UNAVAILABLE, within the timeout', async () => {
    const started = Date.now();
    const id = await post('Slow model [sleep]');
    const row = await waitForStored(db.pool, id);
    const took = Date.now() - started;
    expect(row.status).toBe('pending');
    const held = reasonsOf(row).find((r) => r.code === 'EXTERNAL_CHECK_UNAVAILABLE');
    expect(held?.action).toBe('hold');
    expect(held?.message).toContain(`timed out after ${TIMEOUT_MS} ms`);
    // Stored long before the hook would have answered: the worker gave up at the timeout.
    expect(took).toBeLessThan(SLEEP_MS - 1000);
    const [call] = callsFor(id);
    expect(call!.closedAt).not.toBeNull();
    expect(call!.closedAt! - call!.startedAt).toBeLessThan(TIMEOUT_MS + 500);
  });

  it.each([
    ['a 500', '[500]', 'HTTP 500'],
    ['garbage', '[garbage]', 'not JSON'],
    ['an answer of another shape', '[shape]', 'no valid action'],
  ])('%s: the comment is held, never published', async (_s, marker, why) => {
    const row = await waitForStored(db.pool, await post(`Odd answer ${marker}`));
    expect(row.status).toBe('pending');
    const held = reasonsOf(row).find((r) => r.code === 'EXTERNAL_CHECK_UNAVAILABLE');
    expect(held?.message).toContain(why);
  });

  it('what the local rules already mark as spam is not sent to the hook', async () => {
    const res = await postJson(api, {
      site: SITE,
      page: 'p1',
      author: 'Bot',
      email: 'bot@example.org',
      body: `Buy now ${uuidv7()}`,
      honeypot: 'filled by a bot',
    });
    const id = ((await res.json()) as { id: string }).id;
    const row = await waitForStored(db.pool, id);
    expect(row.status).toBe('spam');
    expect(callsFor(id)).toEqual([]);
  });

  it('a site without a hook is never asked about', async () => {
    const calls = hook.calls.length;
    const id = await post('Another site [reject]', { site: 'other' });
    expect((await waitForStored(db.pool, id)).status).toBe('approved');
    expect(hook.calls.length).toBe(calls);
  });
});

describe("an author's edit", () => {
  async function edit(c: { id: string; editKey: string }, body: string): Promise<{ status: string; code?: string }> {
    const res = await fetch(`${api.url}/api/comments/${c.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', origin: api.origin },
      body: JSON.stringify({ body, editKey: c.editKey }),
    });
    expect(res.status).toBe(202);
    const { editId } = (await res.json()) as { editId: string };
    return waitFor(`edit ${editId}`, async () => {
      const s = (await (await fetch(`${api.url}/api/comments/${c.id}`)).json()) as {
        edit?: { id: string; status: string; errors?: { code: string }[] };
      };
      if (s.edit?.id !== editId) return undefined;
      const call = hook.calls.find((x) => x.headers['reply-desk-event-id'] === editId);
      expect((JSON.parse(call!.body) as { editId: string; id: string; text: string }).editId).toBe(editId);
      return { status: s.edit.status, code: s.edit.errors?.[0]?.code };
    });
  }

  it('the new text is asked about too: the hook refuses or holds the edit, or lets it stand', async () => {
    const res = await postJson(
      api,
      { site: SITE, page: 'p1', author: 'Ann', email: 'ann-edit@example.org', body: `Fine at first ${uuidv7()}` },
      { origin: api.origin },
    );
    const c = (await res.json()) as { id: string; editKey: string };
    expect((await waitForStored(db.pool, c.id)).status).toBe('approved');
    expect(await edit(c, 'Now defamatory [reject]')).toEqual({ status: 'refused', code: 'EXTERNAL_REJECT' });
    expect(await edit(c, 'Still fine, reworded [approve]')).toEqual({ status: 'applied', code: undefined });
    expect(await edit(c, 'Borderline now [hold]')).toEqual({ status: 'held', code: undefined });
    const { rows } = await db.pool.query('select status from comments where id = $1', [c.id]);
    expect(rows[0].status).toBe('pending');
  });
});

describe('once per comment, and the SSRF guard', () => {
  const submission = (): Submission => ({
    id: uuidv7(),
    siteId: SITE,
    page: 'p2',
    pageUrl: null,
    pageTitle: null,
    parentId: null,
    author: 'Ben',
    email: 'ben@example.org',
    url: '',
    body: `Asked once [hold] ${uuidv7()}`,
    honeypot: '',
    key: null,
    ip: '203.0.113.9',
    userAgent: 'test',
    referrer: '',
    receivedAt: new Date().toISOString(),
    source: 'json',
  });

  it('a job retried after its row was stored does not call the hook again', async () => {
    const processor = createSubmissionProcessor({
      db: db.pool,
      writer: createCommentWriter(db.pool, 10),
      logger,
      externalCheck: externalCheck(),
    });
    const s = submission();
    const job = (attemptsMade: number) => ({ data: s, attemptsMade }) as unknown as Job<Submission>;
    expect(await processor(job(0))).toEqual({ status: 'pending', alreadyStored: false });
    expect(await processor(job(1))).toEqual({ status: 'pending', alreadyStored: true });
    expect(callsFor(s.id)).toHaveLength(1);
  });

  it('without WEBHOOK_ALLOW_PRIVATE a loopback hook is refused before connecting, and the comment held', async () => {
    const guarded = createExternalChecker(db.pool, { allowPrivate: false, defaultTimeoutMs: 1000, refreshMs: 0 });
    const s = submission();
    const before = hook.calls.length;
    const answer = await guarded.check(SITE, toCheckHookRequest(s, { status: 'approved', reasons: [] }));
    expect(answer).toMatchObject({ result: 'unavailable', reason: expect.stringContaining('private or loopback') });
    expect(hook.calls.length).toBe(before);
  });

  it('a worker reads the hooks at most once per refreshMs, shared by concurrent comments, and sees a change after it', async () => {
    let queries = 0;
    let clock = 1_000_000;
    const counted = {
      query: ((...args: Parameters<typeof db.pool.query>) => {
        queries += 1;
        return db.pool.query(...args);
      }) as typeof db.pool.query,
    };
    const checker = createExternalChecker(counted, {
      allowPrivate: true,
      defaultTimeoutMs: 1000,
      refreshMs: 1000,
      now: () => clock,
    });
    const ask = () => checker.check('other', toCheckHookRequest(submission(), { status: 'approved', reasons: [] }));
    expect(await Promise.all([ask(), ask(), ask()])).toEqual([null, null, null]);
    expect(queries).toBe(1);
    await setCheckHook(
      db.pool,
      { siteId: 'other', url: hook.url, timeoutMs: null, newSecret: `whsec_${'r'.repeat(40)}`, replaceSecret: false },
      { id: null, label: 'cli' },
    );
    try {
      clock += 999;
      expect(await ask()).toBeNull();
      expect(queries).toBe(1);
      clock += 1;
      expect(await ask()).toMatchObject({ result: 'hold' });
      expect(queries).toBe(2);
    } finally {
      await clearCheckHook(db.pool, 'other', { id: null, label: 'cli' });
    }
  });

  it('a hook that cannot be reached holds the comment', async () => {
    const down = await startHook();
    await down.close();
    await setCheckHook(
      db.pool,
      { siteId: 'other', url: down.url, timeoutMs: null, newSecret: `whsec_${'d'.repeat(40)}`, replaceSecret: false },
      { id: null, label: 'cli' },
    );
    try {
      const row = await waitForStored(db.pool, await post('Nobody home', { site: 'other' }));
      expect(row.status).toBe('pending');
      expect(reasonsOf(row).map((r) => r.code)).toContain('EXTERNAL_CHECK_UNAVAILABLE');
    } finally {
      await clearCheckHook(db.pool, 'other', { id: null, label: 'cli' });
    }
  });
});

describe('setting and clearing it', () => {
  it('the CLI sets it and prints the secret once, shows it without the secret, and clears it; each change audited', async () => {
    const lines: string[] = [];
    const print = (l: string) => void lines.push(l);
    const { rows: last } = await db.pool.query<{ id: string }>(
      'select coalesce(max(id), 0) as id from moderation_events',
    );
    await runCheckHookCommand(
      db.pool,
      ['set', '--site', 'other', '--url', 'https://hook.example/a', '--timeout-ms', '1500'],
      print,
    );
    const made = await loadCheckHook(db.pool, 'other');
    expect(made).toMatchObject({ url: 'https://hook.example/a', timeoutMs: 1500 });
    expect(lines.join('\n')).toContain(made!.secret);
    lines.length = 0;
    await runCheckHookCommand(db.pool, ['set', '--site', 'other', '--url', 'https://hook.example/b'], print);
    expect(await loadCheckHook(db.pool, 'other')).toMatchObject({
      url: 'https://hook.example/b',
      timeoutMs: null,
      secret: made!.secret,
    });
    await runCheckHookCommand(db.pool, ['show', '--site', 'other'], print);
    expect(lines.join('\n')).not.toContain(made!.secret);
    expect(lines.join('\n')).toContain('https://hook.example/b');
    await runCheckHookCommand(
      db.pool,
      ['set', '--site', 'other', '--url', 'https://hook.example/b', '--new-secret'],
      print,
    );
    const renewed = await loadCheckHook(db.pool, 'other');
    expect(renewed!.secret).not.toBe(made!.secret);
    expect(lines.at(-1)).toContain(renewed!.secret);
    await expect(
      runCheckHookCommand(db.pool, ['set', '--site', 'other', '--url', 'ftp://x.example'], print),
    ).rejects.toThrow(/--url/);
    await runCheckHookCommand(db.pool, ['clear', '--site', 'other'], print);
    expect(await loadCheckHook(db.pool, 'other')).toBeNull();
    const { rows } = await db.pool.query<{ actor: string; detail: Record<string, unknown> }>(
      `select actor, detail from moderation_events where action = 'check_hook' and site_id = 'other' and id > $1 order by id`,
      [last[0]!.id],
    );
    expect(rows.map((r) => [r.actor, r.detail.op, r.detail.newSecret ?? null])).toEqual([
      ['cli', 'set', true],
      ['cli', 'set', false],
      ['cli', 'set', true],
      ['cli', 'clear', null],
    ]);
    expect(JSON.stringify(rows)).not.toContain('whsec_');
  });

  it('an admin sets and clears it on the site’s page, audited under their name', async () => {
    await addModerator(db.pool, 'editor@example.org', 'admin');
    const desk = new DashboardClient(api.url);
    await desk.signIn('editor@example.org');
    const path = '/admin/sites/other/check-hook';
    expect(await desk.page(path)).toContain('No external check is set.');
    const refused = await desk.post(path, { url: 'https://hook.example/x', timeoutMs: '50' });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('from 100 to 10000');
    const saved = await desk.post(path, { url: 'https://hook.example/x', timeoutMs: '800' });
    expect(saved.status).toBe(303);
    const hookNow = await loadCheckHook(db.pool, 'other');
    expect(hookNow).toMatchObject({ url: 'https://hook.example/x', timeoutMs: 800 });
    const page = await desk.page(path);
    expect(page).toContain(hookNow!.secret);
    expect(page).toContain('800 ms');
    expect((await desk.post(`${path}/clear`, {})).status).toBe(303);
    expect(await loadCheckHook(db.pool, 'other')).toBeNull();
    const { rows } = await db.pool.query<{ actor: string }>(
      `select actor from moderation_events where action = 'check_hook' and site_id = 'other' and actor <> 'cli'`,
    );
    expect(rows.map((r) => r.actor)).toEqual(['editor@example.org', 'editor@example.org']);
  });
});
