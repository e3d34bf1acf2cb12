import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { createPool, type Pool } from '../../src/store/db.js';
import {
  addSite,
  deleteQueueKeys,
  newQueuePrefix,
  postJson,
  spawnWorker,
  stopProcess,
  TEST_REDIS_URL,
  waitFor,
} from '../support/harness.js';
import { findFreePort, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';

// /metrics of the real entry files: the API's (requests by route pattern, latency, queue depth and
// age, pool use; bearer token) and a worker's own server (jobs by outcome, verdicts by rule code).

const TOKEN = 'metrics-test-token-0123456789';
let pg: PrivatePostgres;
let pool: Pool;
const prefix = newQueuePrefix();
const children: ChildProcess[] = [];
let apiUrl = '';
let workerMetricsUrl = '';

beforeAll(async () => {
  pg = await startPrivatePostgres();
  pool = createPool(pg.url, 4);
  const port = await findFreePort();
  apiUrl = `http://127.0.0.1:${port}`;
  await addSite(pool, 'metrics', [apiUrl], { holdFirstTime: false, floodSeconds: 0 });
  const env = { QUEUE_PREFIX: prefix, DATABASE_URL: pg.url, REDIS_URL: TEST_REDIS_URL, METRICS_TOKEN: TOKEN };
  const api = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/api.ts')], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      ...env,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: apiUrl,
      DEMO: 'false',
      SESSION_SECRET: 'metrics-test-session-secret-32-chars!!',
    },
  });
  children.push(api);
  await Promise.race([
    new Promise<void>((resolve) => api.on('message', (m) => m === 'ready' && resolve())),
    once(api, 'exit').then(([code]) => Promise.reject(new Error(`api exited with ${code}`))),
  ]);
  const metricsPort = await findFreePort();
  workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  children.push(await spawnWorker({ ...env, METRICS_PORT: String(metricsPort) }));
});

afterAll(async () => {
  await Promise.all(children.map((c) => stopProcess(c, 'SIGKILL')));
  await pool?.end();
  await pg?.destroy();
  await deleteQueueKeys(prefix);
});

describe('metrics', () => {
  it('the API serves Prometheus metrics by route pattern behind its bearer token, and a worker counts jobs and verdicts on its own port', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await postJson(
        { url: apiUrl },
        { site: 'metrics', page: 'p', author: `Reader ${i}`, email: `r${i}@example.org`, body: `Comment ${i}` },
        { origin: apiUrl },
      );
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    await waitFor('comments stored', async () => {
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from comments');
      return rows[0]?.n === 5;
    });
    await (await fetch(`${apiUrl}/api/comments/${ids[0]}`)).arrayBuffer();

    const noToken = await fetch(`${apiUrl}/metrics`);
    const wrongToken = await fetch(`${apiUrl}/metrics`, {
      headers: { authorization: 'Bearer wrong-token-wrong-token!!' },
    });
    const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await res.text();
    const worker = await waitFor(
      'the worker to count its jobs',
      async () => {
        const t = await (await fetch(workerMetricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
        return /reply_desk_jobs_total\{queue="submissions",outcome="completed"\} 5/.test(t) ? t : false;
      },
      10_000,
    );

    const workerNoToken = await fetch(workerMetricsUrl);
    expect(workerNoToken.status).toBe(401);
    expect(noToken.status).toBe(401);
    expect(wrongToken.status).toBe(401);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/reply_desk_http_requests_total\{method="POST",route="\/api\/comments",status="202"\} 5/);
    expect(text).toMatch(
      /reply_desk_http_request_duration_seconds_bucket\{le="0.1",method="GET",route="\/api\/comments\/:id",status="200"\}/,
    );
    expect(text).not.toContain(ids[0]);
    expect(text).toMatch(/reply_desk_queue_jobs\{queue="submissions",state="completed"\} 5/);
    expect(text).toMatch(/reply_desk_queue_jobs\{queue="moderation-bulk",state="waiting"\} 0/);
    // Every queue the API opens is watched, the authors' edits and the comment events too.
    expect(text).toMatch(/reply_desk_queue_jobs\{queue="edits",state="waiting"\} 0/);
    expect(text).toMatch(/reply_desk_queue_jobs\{queue="webhooks",state="failed"\} 0/);
    expect(text).toMatch(/reply_desk_queue_oldest_waiting_seconds\{queue="submissions"\} 0/);
    expect(text).toMatch(/reply_desk_queue_metrics_up 1/);
    expect(text).toMatch(/reply_desk_db_pool_connections\{state="total"\} \d+/);
    expect(worker).toMatch(/reply_desk_verdicts_total\{status="approved",code="none"\} 5/);
    expect(worker).toMatch(/reply_desk_db_pool_connections\{state="idle"\} \d+/);
    expect(worker).toMatch(/reply_desk_worker_process_resident_memory_bytes \d+/);
  }, 60_000);
});
