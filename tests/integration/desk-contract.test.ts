import express from 'express';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesk } from '../../scripts/build-widget.mjs';
import { createDeskScriptRoute } from '../../src/http/desk/desk-script-route.js';
import type {
  BulkProgressAnswer,
  BulkStartAnswer,
  DeskBulkState,
  DeskCommentStatus,
  DeskLiveEvents,
  DeskStatusAction,
  StatusChangeAnswer,
  UndoAnswer,
} from '../../src/http-contract/desk-contract.js';
import { addModerator, DashboardClient } from '../support/dashboard-client.js';
import { insertHeldComments } from '../support/held-comments.js';
import { addSite, postJson, waitFor, waitForStored, type TestApi } from '../support/harness.js';
import { startPipeline, type TestPipeline } from '../support/pipeline.js';

/*
 * The desk's JSON contract (src/http-contract/desk-contract.ts) against the routes as they answer, and
 * the dashboard script as it is served. Each answer the script reads must carry exactly the fields the
 * contract names: the lists below are checked against the contract's types when tests are type-checked
 * (a field missing from a list, or one the contract does not have, fails tsc), and against the answers
 * here (a field the server adds, drops or renames fails the test).
 */
const fieldsOf = <T>(keys: Record<keyof T, true>): string[] => Object.keys(keys).sort();
const statusChangeFields = fieldsOf<StatusChangeAnswer>({ id: true, status: true, changed: true, batchId: true });
const undoFields = fieldsOf<UndoAnswer>({ undone: true, restored: true });
const restoredFields = fieldsOf<UndoAnswer['restored'][number]>({ id: true, status: true });
const bulkStartFields = fieldsOf<BulkStartAnswer>({ jobId: true, batchId: true, total: true });
const bulkProgressFields = fieldsOf<BulkProgressAnswer>({
  jobId: true,
  kind: true,
  state: true,
  done: true,
  total: true,
  changed: true,
  batchId: true,
  action: true,
  scope: true,
  undone: true,
  undoJobId: true,
  error: true,
});
const readyFields = fieldsOf<DeskLiveEvents['ready']>({ sites: true });
const commentEventFields = fieldsOf<DeskLiveEvents['comment']>({ id: true, siteId: true, status: true });
// The unions' members, each once (a member missing or extra fails tsc).
const statuses = Object.keys({
  approved: true,
  pending: true,
  spam: true,
  rejected: true,
  deleted: true,
} satisfies Record<DeskCommentStatus, true>);
const actions = Object.keys({ approve: true, reject: true, spam: true, not_spam: true, delete: true } satisfies Record<
  DeskStatusAction,
  true
>);
const bulkStates = Object.keys({ queued: true, running: true, completed: true, failed: true } satisfies Record<
  DeskBulkState,
  true
>);

let pipeline: TestPipeline;
let api: TestApi;
let mod: DashboardClient;

beforeAll(async () => {
  pipeline = await startPipeline();
  api = pipeline.api;
  await addSite(pipeline.db.pool, 'news', [api.origin], { holdFirstTime: true, floodSeconds: 0 });
  await addModerator(pipeline.db.pool, 'contract-mod@example.org', 'moderator', ['news']);
  mod = new DashboardClient(api.url);
  await mod.signIn('contract-mod@example.org');
});

afterAll(async () => {
  await pipeline?.close();
});

async function json(res: Response, status: number): Promise<Record<string, unknown>> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as Record<string, unknown>;
}

describe("the desk routes' JSON answers", () => {
  it('a status change and its undo answer with exactly the fields of StatusChangeAnswer and UndoAnswer', async () => {
    const [id] = await insertHeldComments(pipeline.db.pool, 'news', 'contract', 1);
    const changed = await json(
      await mod.post(`/admin/comments/${id}/status`, { action: 'approve' }, { json: true }),
      200,
    );
    expect(Object.keys(changed).sort()).toEqual(statusChangeFields);
    expect(changed).toMatchObject({ id, status: 'approved', changed: 1 });
    expect(statuses).toContain(changed.status);

    const undone = await json(await mod.post('/admin/undo', {}, { json: true }), 200);
    expect(Object.keys(undone).sort()).toEqual(undoFields);
    expect(undone.undone).toBe(changed.batchId);
    const restored = undone.restored as Record<string, unknown>[];
    expect(restored).toHaveLength(1);
    expect(Object.keys(restored[0]!).sort()).toEqual(restoredFields);
    expect(restored[0]).toEqual({ id, status: 'pending' });
  });

  it('a bulk action answers BulkStartAnswer, and its progress BulkProgressAnswer from queued to completed', async () => {
    const ids = await insertHeldComments(pipeline.db.pool, 'news', 'contract-bulk', 3);
    const started = await json(
      await mod.post('/admin/bulk', { action: 'reject', scope: 'selection', ids }, { json: true }),
      202,
    );
    expect(Object.keys(started).sort()).toEqual(bulkStartFields);
    expect(started.total).toBe(3);
    const states = new Set<unknown>();
    const last = await waitFor(
      'the bulk job to finish',
      async () => {
        const view = await json(
          await mod.get(`/admin/bulk/${String(started.jobId)}`, { accept: 'application/json' }),
          200,
        );
        expect(Object.keys(view).sort()).toEqual(bulkProgressFields);
        states.add(view.state);
        return view.state === 'completed' || view.state === 'failed' ? view : undefined;
      },
      30_000,
      10,
    );
    expect(last).toMatchObject({
      state: 'completed',
      kind: 'bulk',
      done: 3,
      total: 3,
      changed: 3,
      action: 'reject',
      scope: 'selection',
    });
    expect(actions).toContain(last.action);
    for (const s of states) expect(bulkStates).toContain(s);
  });

  it('the live stream sends ready and comment events with exactly the fields of DeskLiveEvents', async () => {
    const res = await mod.get('/admin/live', { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const events: { event: string; data: Record<string, unknown> }[] = [];
    let buffer = '';
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const event = block.find((l) => l.startsWith('event: '))?.slice(7);
          const data = block.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    })();
    try {
      const ready = await waitFor('the ready event', () => events.find((e) => e.event === 'ready'));
      expect(Object.keys(ready.data).sort()).toEqual(readyFields);
      expect(ready.data.sites).toEqual(['news']);
      const post = await postJson(
        api,
        {
          site: 'news',
          page: 'live',
          author: 'Live Reader',
          email: 'live-reader@example.org',
          body: 'A first comment, held',
        },
        { origin: api.origin },
      );
      const { id } = (await json(post, 202)) as { id: string };
      expect((await waitForStored(pipeline.db.pool, id)).status).toBe('pending');
      const comment = await waitFor('the comment event', () => events.find((e) => e.event === 'comment'));
      expect(Object.keys(comment.data).sort()).toEqual(commentEventFields);
      expect(comment.data).toEqual({ id, siteId: 'news', status: 'pending' });
    } finally {
      await reader.cancel().catch(() => {});
      await reading;
    }
  });
});

describe('the dashboard script', () => {
  it('/assets/admin.js is the desk script built from widget/desk/, cached for an hour, and every dashboard page loads it', async () => {
    const { contents } = await buildDesk();
    const res = await fetch(`${api.url}/assets/admin.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(contents))).toBe(true);
    // The bundle names what the modules do (it is no leftover of public/admin.js).
    expect(Buffer.from(contents).toString()).toContain('/admin/live');
    const page = await mod.page('/admin');
    expect(page).toContain('<script src="/assets/admin.js" defer></script>');
    // Nothing inline: the desk's CSP allows scripts from 'self' only.
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script src="/assets/admin.js" defer>']);
  });

  it('left unbuilt, /assets/admin.js answers a warning script (never cached) and the log says so once', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'rd-desk-'));
    const lines: string[] = [];
    const logger = pino(
      { level: 'warn' },
      {
        write: (line: string) => {
          lines.push(line);
        },
      },
    );
    const app = express().use(createDeskScriptRoute({ logger, deskDir: empty }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/assets/admin.js`;
      for (let i = 0; i < 2; i++) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.text()).toContain('console.warn("Reply Desk: the dashboard script is not built');
      }
      expect(lines.filter((l) => l.includes('the dashboard script is not built'))).toHaveLength(1);
    } finally {
      server.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
