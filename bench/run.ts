import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { projectRoot } from '../src/paths.js';
import { SUBMISSIONS_QUEUE, submitJobOptions } from '../src/queue/submissions-queue.js';
import { prepareDatabase } from '../src/store/migrate.js';
import { cpuMs, freePort, readRss, sampleRss, spawnNode, stopAllChildren, type Child } from './lib/children.js';
import { submission } from './lib/fixtures.js';
import { formatTable, percentile, progress, ratio, round } from './lib/stats.js';
import { loadComments, type LoadResult } from './load-comments.js';
import { benchLiveThreads } from './live-threads.js';
import { parseLoadFigures } from './peer/peer-figures.js';
import { benchPeer, removePeerInstall } from './peer/run-peer.js';

/*
 * npm run bench: every figure beside a baseline measured in the same run, on the same machine.
 * Starts its own database (reply_desk_bench_<pid>) and queue prefix (bench-<pid>), runs the real API
 * and worker entry files as child processes, and removes all of it at the end, on failure and on Ctrl+C.
 * Knobs (environment): BENCH_COMMENTS (10,000,000; 0 skips the read path), BENCH_ONLY
 * (intake,pipeline,e2e,read,live), BENCH_READ_SECONDS (10) and BENCH_READ_ROUNDS (3: sort=top beside oldest), BENCH_LIVE_STREAMS (5,000 idle readers' live threads), BENCH_PIPELINE_JOBS (100,000), BENCH_INTAKE_SECONDS (15 per target, in
 * BENCH_INTAKE_ROUNDS rounds: 3), BENCH_E2E_SECONDS (30), BENCH_PROFILE=1 (--cpu-prof for API and workers), ADMIN_DATABASE_URL, REDIS_URL,
 * BENCH_DATABASE (a database to keep: loaded the first time, reused after, never dropped).
 * The peer (Waline's server, bench/peer/): BENCH_PEER_VERSION (1.39.3), BENCH_PEER_ROUNDS (3), BENCH_PEER_SECONDS
 * (5 per server per round), BENCH_PEER_DIR (an earlier install to reuse instead of npm install).
 */

const env = process.env;
const ADMIN_URL = env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const COMMENTS = Number(env.BENCH_COMMENTS ?? 10_000_000);
const ONLY = new Set((env.BENCH_ONLY ?? 'intake,peer,pipeline,e2e,read,live').split(','));
const LIVE_STREAMS = Number(env.BENCH_LIVE_STREAMS ?? 5000);
const LIVE_ROUNDS = Number(env.BENCH_LIVE_ROUNDS ?? 10);
const PIPELINE_JOBS = Number(env.BENCH_PIPELINE_JOBS ?? 100_000);
const INTAKE_SECONDS = Number(env.BENCH_INTAKE_SECONDS ?? 15);
const INTAKE_ROUNDS = Number(env.BENCH_INTAKE_ROUNDS ?? 3);
const E2E_SECONDS = Number(env.BENCH_E2E_SECONDS ?? 30);
const READ_SECONDS = Number(env.BENCH_READ_SECONDS ?? 10);
const READ_ROUNDS = Number(env.BENCH_READ_ROUNDS ?? 3);
const CONCURRENCY = env.WORKER_CONCURRENCY ?? '32';
const PROFILE = env.BENCH_PROFILE === '1';
// Pinned: the schema in bench/peer/waline-schema.sql is this version's, and runs compare like with like.
const PEER_VERSION = env.BENCH_PEER_VERSION ?? '1.39.3';
const PEER_ROUNDS = Number(env.BENCH_PEER_ROUNDS ?? 3);
const PEER_SECONDS = Number(env.BENCH_PEER_SECONDS ?? 5);

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const outDir = join(projectRoot, 'bench-results');
const logDir = join(outDir, `logs-${stamp}`);
const profileDir = join(outDir, `profiles-${stamp}`);
mkdirSync(logDir, { recursive: true });
// BENCH_DATABASE: a database kept between runs (loaded once, then reused; never dropped), so runs that
// compare two versions of the code on the 10M table need not reload it (~6 min) each time.
const KEEP_DB = env.BENCH_DATABASE;
const dbName = KEEP_DB ?? `reply_desk_bench_${process.pid}`;
const dbUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const prefix = `bench-${process.pid}`;
// What the loader made in a kept database (BENCH_DATABASE), for the next run to reuse.
const keptLoadFile = join(outDir, `${dbName}.load.json`);
function readKeptLoad(): LoadResult | null {
  if (!existsSync(keptLoadFile)) return null;
  const load = JSON.parse(readFileSync(keptLoadFile, 'utf8')) as LoadResult;
  return load.comments === COMMENTS ? load : null;
}
const walineDbName = `${dbName}_waline`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const queues: Queue[] = [];

const results: Record<string, unknown> = {};
const rows: string[][] = [['measure', 'Reply Desk', 'baseline', 'ratio', 'target']];

// ---- cleanup: children, queue keys, database -------------------------------------------------
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    progress('stopping everything and removing the bench database and queue keys');
    await stopAllChildren();
    for (const q of queues) await q.close().catch(() => {});
    for (const p of [prefix, `${prefix}-noop`, `${prefix}-bare`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${p}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
    redis.disconnect();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    if (KEEP_DB === undefined) await admin.query(`drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`);
    await admin.query(`drop database if exists ${pg.escapeIdentifier(walineDbName)} with (force)`);
    await admin.end();
    removePeerInstall();
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    progress(`${sig}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---- helpers ---------------------------------------------------------------------------------
const childEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  DATABASE_URL: dbUrl,
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  LOG_LEVEL: env.LOG_LEVEL ?? 'info',
  DEMO: 'false',
  WORKER_CONCURRENCY: CONCURRENCY,
  // One queue, whatever the shell says: the pipeline stage queues its jobs on QUEUE_PREFIX's own
  // (shard 0), and on one server more shards buy nothing anyway (README, Scale-out).
  SUBMISSION_SHARDS: '1',
  HOST: '127.0.0.1',
  ...extra,
});
const profileFlags = (name: string) => (PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []);

async function startApi(
  file = 'src/bin/api.ts',
  name = 'api',
  extra: Record<string, string> = {},
): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await spawnNode(name, projectRoot, {
    file,
    env: childEnv({ PORT: String(port), PUBLIC_URL: url, ...extra }),
    logFile: join(logDir, `${name}.log`),
    waitReady: true,
    nodeFlags: profileFlags(name),
  });
  return { child, url };
}

async function startWorker(name: string): Promise<Child> {
  return spawnNode(name, projectRoot, {
    file: 'workers/main.ts',
    env: childEnv(),
    logFile: join(logDir, `${name}.log`),
    waitReady: true,
    nodeFlags: profileFlags(name),
  });
}

async function startBare(mode: 'bare' | 'queue' | 'get'): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const child = await spawnNode(`bare-${mode}`, projectRoot, {
    file: 'bench/bare-server.ts',
    args: [mode],
    env: { PORT: String(port), REDIS_URL, QUEUE_PREFIX: `${prefix}-bare` },
    logFile: join(logDir, `bare-${mode}.log`),
    waitReady: true,
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const median = (xs: number[]): number => percentile(xs, 50);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

interface HttpResult {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function httpLoad(
  name: string,
  args: {
    url: string;
    connections: number;
    seconds: number;
    post?: { site: string; forwardedFor?: boolean; shape?: 'waline' };
  },
): Promise<HttpResult> {
  const child = await spawnNode(`load-${name}`, projectRoot, {
    file: 'bench/http-load.ts',
    args: [JSON.stringify(args)],
    logFile: join(logDir, 'load.log'),
    captureStdout: true,
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`load generator ${name} failed (${code}); see ${join(logDir, 'load.log')}`);
  const r: HttpResult = parseLoadFigures(child.stdout());
  progress(
    `  ${name}: ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`,
  );
  return r;
}

function queueFor(p: string): Queue {
  const q = new Queue(SUBMISSIONS_QUEUE, { connection: redis, prefix: p, defaultJobOptions: submitJobOptions });
  queues.push(q);
  return q;
}

async function backlog(q: Queue): Promise<number> {
  const c = await q.getJobCounts('wait', 'active', 'delayed', 'prioritized');
  return Object.values(c).reduce((a, b) => a + b, 0);
}

async function prefill(q: Queue, site: string, n: number, tag: string): Promise<void> {
  const t = Date.now();
  for (let i = 0; i < n; i += 1000) {
    const jobs = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) {
      const s = submission(site, j, tag);
      jobs.push({ name: 'submit', data: s, opts: { ...submitJobOptions, jobId: s.id } });
    }
    await q.addBulk(jobs);
  }
  progress(`  queued ${n.toLocaleString('en')} submissions with addBulk in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

/** CPU time (ms) of this run's Postgres backends (not the bench's own connection), by pid, from /proc. */
async function backendCpu(db: pg.Client): Promise<Map<number, number>> {
  const { rows } = await db.query<{ pid: number }>(
    // Client backends only: an autovacuum worker on the grown table is not a job's cost.
    `select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
  );
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      out.set(pid, cpuMs(pid));
    } catch {
      // ended between the query and the read
    }
  }
  return out;
}

/**
 * Starts `start()` (workers), then times from all-ready until the queue is empty. With `db`, also the
 * CPU the drain cost per job in the workers and in their Postgres backends (where the time goes).
 */
async function drain(name: string, q: Queue, start: () => Promise<Child[]>, n: number, db?: pg.Client) {
  const workers = await start();
  const cpu0 = workers.map((w) => cpuMs(w.pid));
  const pg0 = db ? await backendCpu(db) : new Map<number, number>();
  const t0 = Date.now();
  const rss = workers.map((w) => sampleRss(w.pid, 1000));
  let last = Date.now();
  for (;;) {
    const left = await backlog(q);
    if (left === 0) break;
    if (Date.now() - last > 5000) {
      progress(`  ${name}: ${(n - left).toLocaleString('en')} / ${n.toLocaleString('en')} done`);
      last = Date.now();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - t0) / 1000;
  const workerUsPerJob = (workers.reduce((a, w, i) => a + cpuMs(w.pid) - cpu0[i]!, 0) * 1000) / n;
  let postgresUsPerJob: number | null = null;
  if (db) {
    let ms = 0;
    for (const [pid, cpu] of await backendCpu(db)) ms += cpu - (pg0.get(pid) ?? 0);
    postgresUsPerJob = (ms * 1000) / n;
  }
  const mem = rss.map((r) => r.stop());
  const failed = await q.getFailedCount();
  const perSecond = n / seconds;
  progress(
    `  ${name}: ${n.toLocaleString('en')} jobs in ${seconds.toFixed(1)} s = ${Math.round(perSecond)}/s (failed: ${failed}); CPU per job: workers ${Math.round(workerUsPerJob)} µs${postgresUsPerJob === null ? '' : `, Postgres ${Math.round(postgresUsPerJob)} µs`}`,
  );
  return { workers, seconds, perSecond, failed, mem, workerUsPerJob, postgresUsPerJob };
}

const ms = (v: number) => `${round(v, 1)} ms`;
/** A ratio as a factor (1.2×): how targets of the form "within 1.5× of" are written. */
const times = (value: number, baseline: number) =>
  Number.isFinite(value) && baseline > 0 ? `${round(value / baseline, 2)}×` : '—';
const perS = (v: number) => `${Math.round(v).toLocaleString('en')}/s`;

// ---- the run -----------------------------------------------------------------------------------
async function main(): Promise<void> {
  const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? '?';
  const machine = {
    nproc: cpus().length,
    cpu: cpuModel,
    ramGb: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    date: new Date().toISOString(),
  };
  results.machine = machine;
  results.settings = {
    comments: COMMENTS,
    pipelineJobs: PIPELINE_JOBS,
    intakeSeconds: INTAKE_SECONDS,
    intakeRounds: INTAKE_ROUNDS,
    e2eSeconds: E2E_SECONDS,
    concurrency: Number(CONCURRENCY),
  };
  progress(
    `machine: ${machine.nproc} cores, ${machine.cpu}, ${machine.ramGb} GB; database ${dbName}, queue prefix ${prefix}; logs in ${logDir}`,
  );

  await prepareDatabase(dbUrl);
  const db = new pg.Client({ connectionString: dbUrl });
  // Cleanup drops the database with (force), which ends this connection: not a second failure to report.
  db.on('error', () => {});
  await db.connect();
  // Auto-approving sites (no first-time hold, no flood window) for intake and end to end; the pipeline
  // site also has word lists so the spam and hold rules do real work on some comments. End to end and
  // the pipeline have the intake rate limits and surge mode off: they are one IP sending thousands of
  // comments a second, which is what those exist to refuse.
  // Brigade detection too (pageSurgeScore 0): a bench is thousands of first-timers on a few pages.
  const noLimits = {
    rateLimitIp: 0,
    rateLimitNet: 0,
    rateLimitEmail: 0,
    rateLimitSite: 0,
    surgeFactor: 0,
    pageSurgeScore: 0,
  };
  const fast = JSON.stringify({ holdFirstTime: false, floodSeconds: 0, ...noLimits });
  // The intake site counts every submission as an install with the default limits does (per IP, per
  // /64, per email, per site, and surge detection), only with limits no bench run reaches; the API
  // believes X-Forwarded-For from loopback (TRUST_PROXY, as behind a local proxy) and every comment
  // comes from one of many IPv4 and IPv6 addresses, so the per-IP and /64 counters are real too.
  const intake = JSON.stringify({
    holdFirstTime: false,
    floodSeconds: 0,
    rateLimitIp: 100_000,
    rateLimitNet: 100_000,
    rateLimitEmail: 100_000,
    rateLimitSite: 1_000_000,
    surgeFactor: 10,
    surgeMinimum: 1_000_000,
    pageSurgeScore: 0,
  });
  await db.query(
    `insert into sites (id, name, allowed_origins, settings) values
       ('bench', 'Bench intake', '{}', $3), ('bench-e2e', 'Bench end to end', '{}', $1), ('bench-pipe', 'Bench pipeline', '{}', $2)
     on conflict (id) do update set settings = excluded.settings`,
    [
      fast,
      JSON.stringify({
        holdFirstTime: false,
        floodSeconds: 0,
        ...noLimits,
        spamWords: ['cheap pills'],
        holdWords: ['idiot', 'moron'],
      }),
      intake,
    ],
  );

  // The pipeline writes into the loaded table too: its cost per comment is the 10M-row table's indexes.
  let load: LoadResult | null = null;
  if ((ONLY.has('read') || ONLY.has('pipeline')) && COMMENTS > 0) {
    load = KEEP_DB === undefined ? null : readKeptLoad();
    if (load !== null)
      progress(`read path data: reusing the ${load.comments.toLocaleString('en')} comments in ${dbName}`);
    else {
      progress(
        `read path data: loading ${COMMENTS.toLocaleString('en')} comments with COPY (BENCH_COMMENTS to change)`,
      );
      load = await loadComments(dbUrl, COMMENTS);
      if (KEEP_DB !== undefined) writeFileSync(keptLoadFile, JSON.stringify(load));
    }
    results.load = load;
  }

  // TRUST_PROXY: intake sends X-Forwarded-For (see the intake site above); nothing else sends it.
  const api = await startApi('src/bin/api.ts', 'api', { TRUST_PROXY: 'loopback' });
  const mainQueue = queueFor(prefix);
  const apiMem: number[] = [];
  const workerMem: Record<string, unknown> = {};

  if (ONLY.has('intake')) {
    // The same bodies and X-Forwarded-For addresses for the baselines (which ignore the header).
    const intakePost = { site: 'bench', forwardedFor: true };
    const roundSeconds = Math.max(3, Math.round(INTAKE_SECONDS / INTAKE_ROUNDS));
    progress(
      `intake: POST /api/comments, 100 connections; bare Express, bare Express + queue.add and Reply Desk in turn, ${INTAKE_ROUNDS} rounds of ${roundSeconds} s each`,
    );
    const bare = await startBare('bare');
    const bq = await startBare('queue');
    const targets = [
      { name: 'bare Express', url: bare.url, pid: bare.child.pid },
      { name: 'bare Express + queue.add', url: bq.url, pid: bq.child.pid },
      { name: 'Reply Desk', url: api.url, pid: api.child.pid },
    ];
    for (const t of targets)
      await httpLoad(`warm-up ${t.name}`, {
        url: `${t.url}/api/comments`,
        connections: 100,
        seconds: 2,
        post: intakePost,
      });
    // Rounds, not one long run each: the machine's other load drifts over a minute, and a baseline
    // measured beside its subject in the same round is the fair one. The order turns every round.
    const runs = new Map(targets.map((t) => [t.name, [] as (HttpResult & { cpuUsPerRequest: number })[]]));
    for (let round = 0; round < INTAKE_ROUNDS; round++) {
      for (let k = 0; k < targets.length; k++) {
        const t = targets[(round + k) % targets.length]!;
        const cpu0 = cpuMs(t.pid);
        const r = await httpLoad(`${t.name} (round ${round + 1})`, {
          url: `${t.url}/api/comments`,
          connections: 100,
          seconds: roundSeconds,
          post: intakePost,
        });
        runs
          .get(t.name)!
          .push({ ...r, cpuUsPerRequest: ((cpuMs(t.pid) - cpu0) * 1000) / Math.max(1, r.ok + r.non2xx) });
      }
    }
    await bare.child.stop();
    await bq.child.stop();
    const [bareRuns, queueRuns, apiRuns] = [
      runs.get('bare Express')!,
      runs.get('bare Express + queue.add')!,
      runs.get('Reply Desk')!,
    ];
    const perRound = (rs: HttpResult[]) => rs.map((r, i) => r.rps / bareRuns[i]!.rps);
    const summary = (rs: (HttpResult & { cpuUsPerRequest?: number })[]) => ({
      rps: mean(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      cpuUsPerRequest: median(rs.map((r) => r.cpuUsPerRequest ?? NaN)),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
    });
    const bareR = summary(bareRuns);
    const queueR = summary(queueRuns);
    const apiR = summary(apiRuns);
    const apiRatio = median(perRound(apiRuns));
    const queueRatio = median(perRound(queueRuns));
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    if (apiR.non2xx > 0)
      progress(
        `  WARNING: ${apiR.non2xx} intake answers were not 2xx: the intake figures are void (rate limits reached?)`,
      );
    // Scale-out on one machine: the same API as 2 processes under node:cluster (API_WORKERS=2).
    const clustered = await startApi('src/bin/api-cluster.ts', 'api-cluster', {
      API_WORKERS: '2',
      TRUST_PROXY: 'loopback',
    });
    await httpLoad('warm-up API cluster', {
      url: `${clustered.url}/api/comments`,
      connections: 100,
      seconds: 2,
      post: intakePost,
    });
    const clusterR = await httpLoad('Reply Desk, API_WORKERS=2', {
      url: `${clustered.url}/api/comments`,
      connections: 100,
      seconds: roundSeconds,
      post: intakePost,
    });
    await clustered.child.stop();
    await mainQueue.obliterate({ force: true });
    await queueFor(`${prefix}-bare`).obliterate({ force: true });
    results.intake = {
      rounds: INTAKE_ROUNDS,
      roundSeconds,
      bare: bareR,
      bareQueueAdd: queueR,
      api: apiR,
      apiCluster2: clusterR,
      ratioPerRound: perRound(apiRuns),
      queueRatioPerRound: perRound(queueRuns),
      runs: Object.fromEntries(runs),
    };
    rows.push(
      [
        `intake req/s (POST, 100 conn; ratio: median of ${INTAKE_ROUNDS} rounds)`,
        perS(apiR.rps),
        perS(bareR.rps),
        pct(apiRatio),
        '≥ 70%',
      ],
      ['  ratio in each round', perRound(apiRuns).map(pct).join(', '), '', '', ''],
      ['intake p50 / p99 (median of rounds)', `${apiR.p50} / ${apiR.p99} ms`, `${bareR.p50} / ${bareR.p99} ms`, '', ''],
      [
        'intake server CPU per request (median of rounds)',
        `${Math.round(apiR.cpuUsPerRequest)} µs`,
        `${Math.round(bareR.cpuUsPerRequest)} µs`,
        pct(bareR.cpuUsPerRequest / apiR.cpuUsPerRequest),
        '',
      ],
      [
        '  scale-out: API_WORKERS=2 (node:cluster)',
        perS(clusterR.rps),
        perS(bareR.rps),
        ratio(clusterR.rps, bareR.rps),
        '—',
      ],
      ['  context: bare Express + queue.add', perS(queueR.rps), perS(bareR.rps), pct(queueRatio), '(issue: ~66%)'],
      [
        '  non-2xx / errors (Reply Desk)',
        `${apiR.non2xx} / ${apiR.errors}`,
        `${bareR.non2xx} / ${bareR.errors}`,
        '',
        '',
      ],
    );
    apiMem.push(readRss(api.child.pid)?.peakMb ?? NaN);
  }

  if (ONLY.has('peer')) {
    progress(
      `peer: comment POST to Waline's server and to Reply Desk (API, then 1 worker storing), ${PEER_ROUNDS} interleaved rounds of ${PEER_SECONDS} s each`,
    );
    const peer = await benchPeer({
      adminUrl: ADMIN_URL,
      walineDbName,
      logDir,
      apiUrl: api.url,
      apiPid: api.child.pid,
      db,
      dbName,
      site: 'bench',
      startWorker,
      backlog: () => backlog(mainQueue),
      pauseWorkers: () => mainQueue.pause(),
      resumeWorkers: () => mainQueue.resume(),
      httpLoad,
      version: PEER_VERSION,
      ...(env.BENCH_PEER_DIR ? { installDir: env.BENCH_PEER_DIR } : {}),
      rounds: PEER_ROUNDS,
      seconds: PEER_SECONDS,
    });
    results.peer = peer;
    rows.push(...peer.rows);
  }

  if (ONLY.has('pipeline')) {
    progress(
      `pipeline: ${PIPELINE_JOBS.toLocaleString('en')} pre-queued submissions; no-op worker, then 1 and 2 Reply Desk workers (concurrency ${CONCURRENCY})`,
    );
    // A kept database (BENCH_DATABASE) holds earlier runs' rows: this run's are the difference.
    const countPipelineRows = async () =>
      (
        await db.query<{ n: number; approved: number; pending: number; spam: number; rejected: number }>(
          `select count(*)::int as n, count(*) filter (where status = 'approved')::int as approved,
                  count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'spam')::int as spam,
                  count(*) filter (where status = 'rejected')::int as rejected
             from comments where site_id = 'bench-pipe'`,
        )
      ).rows[0]!;
    const storedBefore = await countPipelineRows();
    const noopQ = queueFor(`${prefix}-noop`);
    await prefill(noopQ, 'bench-pipe', PIPELINE_JOBS, 'noop');
    const noop = await drain(
      'no-op BullMQ worker',
      noopQ,
      async () => [
        await spawnNode('noop-worker', projectRoot, {
          file: 'bench/noop-worker.ts',
          env: { REDIS_URL, QUEUE_PREFIX: `${prefix}-noop`, WORKER_CONCURRENCY: CONCURRENCY },
          logFile: join(logDir, 'noop-worker.log'),
          waitReady: true,
        }),
      ],
      PIPELINE_JOBS,
    );
    for (const w of noop.workers) await w.stop();
    await noopQ.obliterate({ force: true });

    await prefill(mainQueue, 'bench-pipe', PIPELINE_JOBS, 'one');
    const one = await drain(
      '1 Reply Desk worker',
      mainQueue,
      async () => [await startWorker('worker-1')],
      PIPELINE_JOBS,
      db,
    );
    for (const w of one.workers) await w.stop();
    workerMem.pipelineOne = one.mem[0];

    await prefill(mainQueue, 'bench-pipe', PIPELINE_JOBS, 'two');
    const two = await drain(
      '2 Reply Desk workers',
      mainQueue,
      async () => Promise.all([startWorker('worker-2a'), startWorker('worker-2b')]),
      PIPELINE_JOBS,
      db,
    );
    for (const w of two.workers) await w.stop();
    workerMem.pipelineTwo = two.mem;
    const after = await countPipelineRows();
    const stored = Object.fromEntries(
      Object.entries(after).map(([k, v]) => [k, v - storedBefore[k as keyof typeof after]]),
    ) as typeof after;
    progress(`  stored: ${JSON.stringify(stored)} (expected ${2 * PIPELINE_JOBS} rows)`);
    results.pipeline = {
      noop: { seconds: noop.seconds, perSecond: noop.perSecond, workerUsPerJob: noop.workerUsPerJob },
      one: {
        seconds: one.seconds,
        perSecond: one.perSecond,
        failed: one.failed,
        workerUsPerJob: one.workerUsPerJob,
        postgresUsPerJob: one.postgresUsPerJob,
      },
      two: {
        seconds: two.seconds,
        perSecond: two.perSecond,
        failed: two.failed,
        workerUsPerJob: two.workerUsPerJob,
        postgresUsPerJob: two.postgresUsPerJob,
      },
      stored,
    };
    const m = one.mem[0]!;
    rows.push(
      [
        'pipeline, 1 worker (committed/s)',
        perS(one.perSecond),
        perS(noop.perSecond),
        ratio(one.perSecond, noop.perSecond),
        '≥ 50% (issue 18)',
      ],
      [
        'pipeline, 2 workers (scale-out)',
        perS(two.perSecond),
        perS(one.perSecond) + ' (1 worker)',
        ratio(two.perSecond, one.perSecond),
        '≥ 160%',
      ],
      [
        '  CPU per job: worker / its Postgres backends (1 worker)',
        `${Math.round(one.workerUsPerJob)} / ${Math.round(one.postgresUsPerJob ?? NaN)} µs`,
        `${Math.round(noop.workerUsPerJob)} µs no-op worker`,
        '',
        '',
      ],
      [
        '  rows stored / failed jobs',
        `${stored.n} / ${one.failed + two.failed}`,
        `${2 * PIPELINE_JOBS} expected`,
        '',
        '',
      ],
      [
        'worker RSS while draining (MB)',
        `${m.samples[0]} → ${m.samples[Math.floor(m.samples.length / 2)]} → ${m.samples[m.samples.length - 1]} (peak ${m.peakMb})`,
        '',
        '',
        'flat',
      ],
    );
  }

  if (ONLY.has('e2e')) {
    progress(
      `end to end: open loop at 500/s and 2,000/s for ${E2E_SECONDS} s each, 1 worker; latency from scheduled send to committed row`,
    );
    await mainQueue.obliterate({ force: true });
    const worker = await startWorker('worker-e2e');
    const mem = sampleRss(worker.pid, 1000);
    const e2e: Record<string, unknown> = {};
    for (const rate of [500, 2000]) {
      const samples: number[] = [];
      const sampler = setInterval(() => void backlog(mainQueue).then((b) => samples.push(b)), 1000);
      const child = await spawnNode(`open-loop-${rate}`, projectRoot, {
        file: 'bench/open-loop.ts',
        logFile: join(logDir, 'open-loop.log'),
        captureStdout: true,
        args: [
          JSON.stringify({
            url: api.url,
            site: 'bench-e2e',
            rate,
            seconds: E2E_SECONDS,
            dbUrl,
            pollMs: 2,
            graceSeconds: 20,
          }),
        ],
      });
      if ((await child.exited) !== 0)
        throw new Error(`open-loop generator failed; see ${join(logDir, 'open-loop.log')}`);
      clearInterval(sampler);
      const r = JSON.parse(child.stdout().trim().split('\n').pop()!) as Record<string, number>;
      r.queueBacklogMax = Math.max(0, ...samples.slice(0, E2E_SECONDS));
      r.queueBacklogFirstHalf = Math.max(0, ...samples.slice(0, Math.floor(E2E_SECONDS / 2)));
      r.queueBacklogSecondHalf = Math.max(0, ...samples.slice(Math.floor(E2E_SECONDS / 2), E2E_SECONDS));
      progress(`  ${rate}/s: ${JSON.stringify(r)}`);
      e2e[rate] = r;
      rows.push(
        [
          `end to end ${rate}/s: p50 / p99 visible`,
          `${ms(r.visibleP50!)} / ${ms(r.visibleP99!)}`,
          `ack ${ms(r.ackP50!)} / ${ms(r.ackP99!)}`,
          '',
          rate === 500 ? 'p50 ≤ 10, p99 ≤ 30 ms' : 'p99 ≤ 150 ms',
        ],
        [
          `  ${rate}/s backlog: at end / queue max 1st, 2nd half`,
          `${r.backlogAtEnd} / ${r.queueBacklogFirstHalf}, ${r.queueBacklogSecondHalf}`,
          `unseen ${r.unseen}, errors ${(r.errors ?? 0) + (r.non202 ?? 0)}`,
          '',
          rate === 2000 ? 'no growth' : '',
        ],
      );
      await new Promise((res) => setTimeout(res, 3000));
    }
    workerMem.e2e = mem.stop();
    await worker.stop();
    results.e2e = e2e;
  }

  if (ONLY.has('read') && load) {
    progress(`read path: ${COMMENTS.toLocaleString('en')} comments; 10 connections, ${READ_SECONDS} s each`);
    const base = `${api.url}/api/comments?site=${load.site}&page=${load.bigThreadPage}&limit=50`;
    // Walk the thread by cursor to its last page: the deep page.
    let cursor: string | null = null;
    let pagesWalked = 0;
    let seen = 0;
    for (;;) {
      const res = await fetch(cursor === null ? base : `${base}&cursor=${encodeURIComponent(cursor)}`);
      const body = (await res.json()) as { comments: unknown[]; nextCursor: string | null };
      seen += body.comments.length;
      pagesWalked++;
      if (body.nextCursor === null) break;
      const lastCursor: string = body.nextCursor;
      // Stop one page early: the deep page is the thread's last full page.
      if (seen + 50 >= load.bigThreadApproved) {
        cursor = lastCursor;
        break;
      }
      cursor = lastCursor;
    }
    progress(`  thread has ≥ ${seen} approved comments; deep page is page ${pagesWalked + 1}`);
    const deepUrl = `${base}&cursor=${encodeURIComponent(cursor ?? '')}`;
    const countsUrl = `${api.url}/api/counts?site=${load.site}&${load.countPages.map((p) => `page=${p}`).join('&')}`;
    const bare = await startBare('get');
    await httpLoad('warm-up bare GET', { url: `${bare.url}/api/comments`, connections: 10, seconds: 2 });
    const bareR = await httpLoad('bare Express GET', {
      url: `${bare.url}/api/comments`,
      connections: 10,
      seconds: READ_SECONDS,
    });
    await bare.child.stop();
    await httpLoad('warm-up reads', { url: base, connections: 10, seconds: 2 });
    const first = await httpLoad('thread first page', { url: base, connections: 10, seconds: READ_SECONDS });
    const deep = await httpLoad('thread deep page', { url: deepUrl, connections: 10, seconds: READ_SECONDS });
    const counts = await httpLoad('counts, 50 pages', { url: countsUrl, connections: 10, seconds: READ_SECONDS });
    // sort=top (issue 15): a page of 30 conversations by vote score, with their counts, beside oldest's
    // first page of 30. The loader gave every published comment votes (a heavy-tailed spread of up and
    // down counts, and the Wilson score their transaction stores), so the score index is a real one.
    const base30 = `${api.url}/api/comments?site=${load.site}&page=${load.bigThreadPage}&limit=30`;
    await httpLoad('warm-up top', { url: `${base30}&sort=top`, connections: 10, seconds: 2 });
    // In interleaved rounds (the order turning each round), as intake does: the machine's other load
    // drifts over minutes, and a p99 beside its baseline from the same minute is the fair one.
    const pairOfSorts = async (
      name: string,
      run: (label: string, url: string) => Promise<HttpResult>,
    ): Promise<{ oldest: HttpResult; top: HttpResult; p99Ratios: number[] }> => {
      const runs: Record<'oldest' | 'top', HttpResult[]> = { oldest: [], top: [] };
      for (let round = 0; round < READ_ROUNDS; round++)
        for (const sort of round % 2 === 0 ? (['oldest', 'top'] as const) : (['top', 'oldest'] as const))
          runs[sort].push(await run(`${name}, ${sort} (round ${round + 1})`, `${base30}&sort=${sort}`));
      const summary = (rs: HttpResult[]): HttpResult => ({
        ...rs[0]!,
        rps: mean(rs.map((r) => r.rps)),
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
      });
      return {
        oldest: summary(runs.oldest),
        top: summary(runs.top),
        p99Ratios: runs.top.map((r, i) => r.p99 / runs.oldest[i]!.p99),
      };
    };
    const cached = await pairOfSorts('thread first page of 30', (label, url) =>
      httpLoad(label, { url, connections: 10, seconds: READ_SECONDS }),
    );
    const { oldest: oldest30, top: top30 } = cached;
    // The API keeps rendered pages until the thread's version moves (src/http/public/thread-cache.ts), so the
    // figures above are mostly answers from memory. A thread on a breaking story changes all the time:
    // here 20 times a second, each change making the next read of every page of it render afresh.
    const hotThread = [load.site, load.bigThreadPage];
    const whileChanging = async (name: string, url: string): Promise<HttpResult> => {
      let changing = true;
      const changes = (async () => {
        while (changing) {
          await db.query(
            'update pages set thread_version = thread_version + 1 where site_id = $1 and identifier = $2',
            hotThread,
          );
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const r = await httpLoad(name, { url, connections: 10, seconds: READ_SECONDS }).finally(() => {
        changing = false;
      });
      await changes;
      return r;
    };
    const hot = await whileChanging('thread first page, changing 20×/s', base);
    // The same pair with the cache out of the way: what a page of 30 costs Postgres and the renderer.
    const changing = await pairOfSorts('page of 30, changing 20×/s', whileChanging);
    const { oldest: oldest30Hot, top: top30Hot } = changing;
    results.read = {
      bare: bareR,
      first,
      deep,
      counts,
      hot,
      oldest30,
      top30,
      oldest30Hot,
      top30Hot,
      top30P99Ratios: { cached: cached.p99Ratios, changing: changing.p99Ratios },
      deepPage: pagesWalked + 1,
    };
    rows.push(
      [
        `read page of 30, sort=top: p50 / p99 (median of ${READ_ROUNDS} rounds)`,
        `${top30.p50} / ${top30.p99} ms`,
        `${oldest30.p50} / ${oldest30.p99} ms (sort=oldest)`,
        times(top30.p99, oldest30.p99),
        'p99 ≤ 1.5×',
      ],
      [
        '  the same, thread changing 20×/s',
        `${top30Hot.p50} / ${top30Hot.p99} ms`,
        `${oldest30Hot.p50} / ${oldest30Hot.p99} ms (sort=oldest)`,
        times(top30Hot.p99, oldest30Hot.p99),
        'p99 ≤ 1.5×',
      ],
      [
        '  p99 ratio in each round (cached; changing)',
        `${cached.p99Ratios.map((r) => times(r, 1)).join(', ')}; ${changing.p99Ratios.map((r) => times(r, 1)).join(', ')}`,
        '',
        '',
        '',
      ],
      [
        '  req/s (cached; changing)',
        `${perS(top30.rps)}; ${perS(top30Hot.rps)}`,
        `${perS(oldest30.rps)}; ${perS(oldest30Hot.rps)}`,
        '',
        '',
      ],
    );
    for (const [label, r] of [
      ['thread first page', first],
      [`thread deep page (page ${pagesWalked + 1})`, deep],
      ['counts, 50 pages', counts],
      ['thread first page, changing 20×/s', hot],
    ] as const) {
      rows.push(
        [`read ${label}: req/s`, perS(r.rps), perS(bareR.rps) + ' (bare GET)', ratio(r.rps, bareR.rps), ''],
        [`  p50 / p99`, `${r.p50} / ${r.p99} ms`, `${bareR.p50} / ${bareR.p99} ms`, '', 'p99 ≤ 10 ms'],
      );
    }
  }

  if (ONLY.has('live') && LIVE_STREAMS > 0) {
    progress(`live threads: ${LIVE_STREAMS} idle readers on one API process, ${LIVE_ROUNDS} published comments`);
    const live = await benchLiveThreads({
      apiUrl: api.url,
      apiPid: api.child.pid,
      db,
      redisUrl: REDIS_URL,
      prefix,
      site: 'bench-e2e',
      streams: LIVE_STREAMS,
      rounds: LIVE_ROUNDS,
    });
    results.live = live;
    rows.push(
      [
        `live: ${live.streams} idle streams, memory each`,
        `${live.kbPerStream} KB`,
        '',
        '',
        `opened in ${live.connectSeconds} s`,
      ],
      [
        '  one comment to all: p50 / p99',
        `${live.fanOutMs.p50} / ${live.fanOutMs.p99} ms`,
        `${live.redisPubSubMs.p50} / ${live.redisPubSubMs.p99} ms (Redis pub/sub, 1 subscriber)`,
        '',
        'p99 ≤ 1 s',
      ],
    );
  }

  apiMem.push(readRss(api.child.pid)?.peakMb ?? NaN);
  await api.child.stop();
  results.memory = { apiPeakMb: Math.round(Math.max(...apiMem.filter(Number.isFinite))), workers: workerMem };
  rows.push(['API peak RSS (VmHWM)', `${Math.round(Math.max(...apiMem.filter(Number.isFinite)))} MB`, '', '', '']);
  const wPeaks = Object.values(workerMem)
    .flat()
    .map((m) => (m as { peakMb: number }).peakMb);
  if (wPeaks.length > 0) rows.push(['worker peak RSS (VmHWM)', `${Math.max(...wPeaks)} MB`, '', '', '']);
  if (load)
    rows.push([
      `loader (COPY, ${(COMMENTS / 1e6).toFixed(1)}M comments)`,
      `${Math.round(COMMENTS / load.copySeconds).toLocaleString('en')} rows/s`,
      `${Math.round(load.totalSeconds)} s with indexes`,
      '',
      '',
    ]);
  await db.end();

  const table = formatTable(rows);
  results.table = table;
  const file = join(outDir, `${stamp}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  process.stdout.write(
    `\nReply Desk bench — ${machine.nproc} × ${machine.cpu}, ${machine.ramGb} GB RAM, Node ${machine.node}, ${machine.date}\n\n${table}\n\nJSON: ${file}\nlogs: ${logDir}\n`,
  );
  if (PROFILE)
    process.stdout.write(
      `CPU profiles: ${profileDir} (summarise with: npx tsx bench/summarize-profile.ts ${profileDir}/<file>)\n`,
    );
}

try {
  await main();
  await cleanup();
} catch (err) {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  await cleanup().catch((e: Error) => process.stderr.write(`cleanup failed: ${e.message}\n`));
  process.exit(1);
}
