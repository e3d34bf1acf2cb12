import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../src/store/db.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  spawnWorker,
  startApi,
  stopProcess,
  TEST_REDIS_URL,
  waitFor,
  type TestApi,
} from '../support/harness.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

// Postgres goes away (restart, failover) while readers post and workers write. Intake must not notice
// (sites are cached, comments go to Redis), and the worker's retries must store every accepted comment
// exactly once when Postgres is back. The shared server on 5432 serves other test files and must never
// stop, so this file stops a cluster of its own.

const OUTAGE_MS = 5000;

let pg: PrivatePostgres;
let pool: Pool;
let api: TestApi;
let worker: ChildProcess | undefined;
const prefix = newQueuePrefix();

beforeAll(async () => {
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 10);
  api = await startApi({ pool, prefix });
  for (const mode of ['fast', 'immediate']) {
    await addSite(pool, `outage-${mode}`, [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  }
  worker = await spawnWorker({
    QUEUE_PREFIX: prefix,
    DATABASE_URL: pg.url,
    REDIS_URL: TEST_REDIS_URL,
    WORKER_LOCK_MS: '2000',
    WORKER_CONCURRENCY: '16',
  });
});

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  await api?.close();
  await pool?.end();
  await pg?.destroy();
  await deleteQueueKeys(prefix);
});

type Phase = 'before' | 'during' | 'after';

interface Posted {
  phase: Phase;
  status: number;
  id: string | null;
  ms: number;
}

/** Posts distinct comments from two clients until stopped, tagging each answer with the phase it was sent in. */
function startPosting(site: string, phaseNow: () => Phase): { stop(): Promise<Posted[]> } {
  const posted: Posted[] = [];
  const run = randomUUID().slice(0, 8);
  let n = 0;
  let stopping = false;
  const client = async (): Promise<void> => {
    while (!stopping) {
      const i = n++;
      const phase = phaseNow();
      const started = Date.now();
      try {
        const res = await postJson(
          api,
          {
            site,
            page: `page-${i % 3}`,
            author: `Reader ${run}-${i}`,
            email: `reader-${run}-${i}@example.org`,
            body: `Comment ${i} of run ${run}, sent while Postgres comes and goes.`,
          },
          { origin: api.origin },
        );
        const json = (await res.json()) as { id?: string };
        posted.push({
          phase,
          status: res.status,
          id: res.status === 202 ? (json.id ?? null) : null,
          ms: Date.now() - started,
        });
      } catch {
        posted.push({ phase, status: 0, id: null, ms: Date.now() - started });
      }
      await new Promise((r) => setTimeout(r, 80));
    }
  };
  const clients = [client(), client()];
  return {
    async stop() {
      stopping = true;
      await Promise.all(clients);
      return posted;
    },
  };
}

async function countStored(site: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from comments where site_id = $1', [
    site,
  ]);
  return rows[0]?.n ?? 0;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number): string => (ms / 1000).toFixed(1);

describe('Postgres stopped for a few seconds while comments flow', () => {
  // fast: the server rolls back open transactions and disconnects; immediate: it dies as in a crash
  // (possibly between a batch's commit and the worker hearing of it) and recovers from WAL on start.
  it.each(['fast', 'immediate'] as const)(
    'when stopped %s, intake keeps answering 202 during the outage, and every accepted comment is stored exactly once after it',
    async (mode) => {
      const site = `outage-${mode}`;
      const jobsBefore = new Set((await api.queue.getCompleted(0, -1)).map((j) => j.id));
      let phase: Phase = 'before';
      const posting = startPosting(site, () => phase);
      await sleep(1500);

      phase = 'during';
      await pg.stop(mode);
      const downAt = Date.now();
      await sleep(OUTAGE_MS / 2);
      const ready = await fetch(`${api.url}/readyz`);
      const readyBody = (await ready.json()) as { postgres: string; redis: string };
      await sleep(Math.max(0, downAt + OUTAGE_MS - Date.now()));
      await pg.start();
      const upAt = Date.now();
      phase = 'after';
      await sleep(1500);
      const posted = await posting.stop();

      const during = posted.filter((p) => p.phase === 'during');
      const accepted = posted.flatMap((p) => (p.id === null ? [] : [p.id]));
      const refused = posted.filter((p) => p.status !== 202).map((p) => `${p.phase}: ${p.status}`);

      await waitFor(
        'every accepted comment to be stored',
        async () => (await countStored(site)) >= accepted.length,
        60_000,
        200,
      ).catch(() => undefined);
      const recoveredMs = Date.now() - upAt;

      const { rows } = await pool.query<{ id: string; n: number; status: string }>(
        'select id, count(*)::int as n, min(status) as status from comments where site_id = $1 group by id',
        [site],
      );
      const storedIds = new Set(rows.map((r) => r.id));
      const lost = accepted.filter((id) => !storedIds.has(id));
      const duplicates = rows.filter((r) => r.n > 1).length;
      const stored = rows.reduce((sum, r) => sum + r.n, 0);
      const notApproved = rows.filter((r) => r.status !== 'approved').map((r) => `${r.id}: ${r.status}`);
      const failed = await api.queue.getFailedCount();
      const retried = (await api.queue.getCompleted(0, -1)).filter(
        (j) => !jobsBefore.has(j.id) && j.attemptsMade > 1,
      ).length;
      const workerAlive = worker !== undefined && worker.exitCode === null && worker.signalCode === null;
      console.log(
        `postgres stopped (${mode}) ${seconds(upAt - downAt)} s: accepted ${accepted.length} (${during.filter((p) => p.status === 202).length}/${during.length} ` +
          `posted during the outage got 202, slowest ${Math.max(0, ...during.map((p) => p.ms))} ms), readyz during outage ${ready.status} ` +
          `postgres=${readyBody.postgres}, stored ${stored}, duplicates ${duplicates}, lost ${lost.length}, failed jobs ${failed}, ` +
          `jobs that needed retries ${retried}, worker alive ${workerAlive}, all stored ${seconds(recoveredMs)} s after Postgres was back`,
      );

      expect(during.length, 'nothing was posted during the outage; the test proved nothing').toBeGreaterThan(10);
      expect(refused, 'intake refused posts although Redis was up').toEqual([]);
      expect(ready.status).toBe(503);
      expect(readyBody).toMatchObject({ postgres: 'unavailable', redis: 'ok' });
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(lost, 'accepted but never stored').toEqual([]);
      expect(duplicates).toBe(0);
      expect(stored).toBe(accepted.length);
      expect(notApproved, 'a comment retried after the outage was not approved').toEqual([]);
      expect(failed).toBe(0);
      expect(workerAlive, 'the worker process died during the outage').toBe(true);
    },
    120_000,
  );
});
