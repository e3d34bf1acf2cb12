import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countApproved } from '../../src/store/comments.js';
import { createPool, type Pool } from '../../src/store/db.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  spawnWorker,
  startApi,
  stopProcess,
  TEST_REDIS_URL,
  type TestApi,
} from '../support/harness.js';
import { seconds, sleep, startPosting, tally, waitAllStored } from '../support/fault-load.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startPgBouncer, type PgBouncer } from './support/pgbouncer.js';

// Debian's PgBouncer (1.18: no max_prepared_statements) in transaction mode in front of a primary of
// this file's own, with fewer server connections than the processes' pools have clients. Named
// prepared statements then meet server connections that do not know them (or know another client's);
// DB_PREPARED_STATEMENTS=off sends unnamed ones, and the real API and worker process store every
// accepted comment once, also across a PgBouncer restart.

const SERVER_POOL = 4;

let primary: PrivatePostgres;
let bouncer: PgBouncer;
let direct: Pool;
let bounced: Pool;
let api: TestApi;
let worker: ChildProcess | undefined;
const prefix = newQueuePrefix();

beforeAll(async () => {
  primary = await startPrivatePostgres();
  bouncer = await startPgBouncer(primary.port, { serverPool: SERVER_POOL });
  direct = createPool(primary.url, 4);
  bounced = createPool(bouncer.url, 10, {}, { preparedStatements: false });
  api = await startApi({ pool: bounced, prefix });
  await addSite(direct, 'bounced', [api.origin], { holdFirstTime: false, floodSeconds: 0 });
  worker = await spawnWorker({
    QUEUE_PREFIX: prefix,
    DATABASE_URL: bouncer.url,
    DB_PREPARED_STATEMENTS: 'off',
    REDIS_URL: TEST_REDIS_URL,
    WORKER_CONCURRENCY: '16',
  });
}, 120_000);

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  await api?.close();
  await bounced?.end();
  await direct?.end();
  await bouncer?.destroy();
  await primary?.destroy();
  await deleteQueueKeys(prefix);
});

/** Transactions PgBouncer has passed to the database since it started (its admin console, SHOW STATS). */
async function bouncedTransactions(): Promise<number> {
  const admin = new pg.Client({ connectionString: bouncer.url.replace(/\/reply_desk$/, '/pgbouncer') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ database: string; total_xact_count: string }>('show stats');
    return Number(rows.find((r) => r.database === 'reply_desk')?.total_xact_count ?? 0);
  } finally {
    await admin.end();
  }
}

describe('PgBouncer in transaction mode', () => {
  it.each([
    ['on', "some fail (a name meets a server connection that knows another client's)", true],
    ['off', 'all succeed', false],
  ])('concurrent reads with prepared statements %s: %s', async (_label, _outcome, prepared) => {
    const pool = createPool(bouncer.url, 10, {}, { preparedStatements: prepared });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) => countApproved(pool, 'bounced', [`page-${i % 7}`])),
      );
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
      console.log(
        `pgbouncer ${SERVER_POOL} server connections, 10 clients, 200 reads, prepared statements ${prepared ? 'on' : 'off'}: ` +
          `${errors.length} failed${errors.length > 0 ? ` (${[...new Set(errors)].join('; ')})` : ''}`,
      );
      if (prepared) expect(errors.length).toBeGreaterThan(0);
      else expect(errors).toEqual([]);
    } finally {
      await pool.end();
    }
  });

  it('the API and a worker process through it store every accepted comment once, also across a PgBouncer restart', async () => {
    const before = await bouncedTransactions();
    let phase = 'before';
    const posting = startPosting(api, 'bounced', { clients: 2, pauseMs: 20, phase: () => phase });
    await sleep(2000);
    phase = 'during';
    const downAt = Date.now();
    await bouncer.restart();
    const upAt = Date.now();
    phase = 'after';
    // Recovered: everything accepted until PgBouncer was back is stored, while readers keep posting.
    const acceptedByThen = posting.posted.flatMap((p) => (p.id === null ? [] : [p.id]));
    const recovered = await waitAllStored(direct, 'bounced', acceptedByThen, 60_000);
    await sleep(1000);
    const posted = await posting.stop();
    const accepted = posted.flatMap((p) => (p.id === null ? [] : [p.id]));
    const refused = posted.filter((p) => p.status !== 202).map((p) => `${p.phase}: ${p.status}`);
    const { stored } = await waitAllStored(direct, 'bounced', accepted, 60_000);
    const t = tally(accepted, stored);
    const thread = await fetch(`${api.url}/api/comments?site=bounced&page=page-0`);
    const shown = ((await thread.json()) as { comments: unknown[] }).comments.length;
    // SHOW STATS starts again with the process: these are since the restart.
    const transactions = await bouncedTransactions();
    const workerAlive = worker !== undefined && worker.exitCode === null && worker.signalCode === null;
    console.log(
      `pgbouncer 1.18 transaction mode (${SERVER_POOL} server connections, DB_PREPARED_STATEMENTS=off), killed and restarted ` +
        `under load (${seconds(upAt - downAt)} s): accepted ${t.accepted}, stored ${t.stored}, lost ${t.lost.length}, ` +
        `doubled ${t.duplicates}, ${transactions} transactions through PgBouncer since its restart, thread read through it ` +
        `${thread.status} (${shown} comments), worker alive ${workerAlive}, everything accepted until then stored ${seconds(recovered.at - upAt)} s after it was back`,
    );
    expect(before, 'nothing went through PgBouncer before the restart').toBeGreaterThan(0);
    expect(refused).toEqual([]);
    expect(t.accepted).toBeGreaterThan(50);
    expect(acceptedByThen.every((id) => recovered.stored.has(id))).toBe(true);
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(t.unexpected).toBe(0);
    expect(t.stored).toBe(t.accepted);
    expect(transactions).toBeGreaterThan(0);
    expect(thread.status).toBe(200);
    expect(shown).toBeGreaterThan(0);
    expect(workerAlive).toBe(true);
  }, 120_000);
});
