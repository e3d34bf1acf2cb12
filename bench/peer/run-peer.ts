import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { childPids, cpuMs, type Child } from '../lib/children.js';
import { progress } from '../lib/stats.js';
import { peerRows, summarizePeer, type LoadFigures, type PeerRound, type PeerSummary } from './peer-figures.js';
import {
  countWalineComments,
  createWalineDatabase,
  installWaline,
  startOauthStub,
  startWaline,
  walineEntry,
} from './waline.js';

/*
 * The bench's peer section (issue 18 item 7): Waline's server beside Reply Desk, through the same load
 * generator (bench/http-load.ts: 100 connections, the same ~500-byte comments, each from another
 * X-Forwarded-For address), in interleaved rounds whose order turns each round, as intake's are.
 * Reply Desk runs its API and one worker: the API answers the round with the worker held (accepted/s,
 * the API alone), then the worker stores it, and the round is timed to its last committed row; Waline
 * stores before it answers, and its round is timed to its last row too (requests in flight at the end).
 */

export interface PeerDeps {
  adminUrl: string;
  /** Waline's database, beside the bench's own (dropped at the end, also by the bench's cleanup). */
  walineDbName: string;
  logDir: string;
  /** Reply Desk's API (running) and its bench database. */
  apiUrl: string;
  apiPid: number;
  db: pg.Client;
  dbName: string;
  /** The site Reply Desk's comments go to (the intake site: limits on, beyond any run's reach). */
  site: string;
  startWorker(name: string): Promise<Child>;
  /** Reply Desk's submissions still queued or running. */
  backlog(): Promise<number>;
  /** Holds and releases Reply Desk's workers (BullMQ's queue pause), so its rounds measure the API alone. */
  pauseWorkers(): Promise<void>;
  resumeWorkers(): Promise<void>;
  httpLoad(
    name: string,
    args: {
      url: string;
      connections: number;
      seconds: number;
      post: { site: string; forwardedFor: boolean; shape?: 'waline' };
    },
  ): Promise<LoadFigures>;
  version: string;
  /** An existing install to reuse (BENCH_PEER_DIR), else a fresh one in a temporary folder. */
  installDir?: string;
  rounds: number;
  seconds: number;
}

export type PeerOutcome =
  | { ran: true; summary: PeerSummary; rounds: PeerRound[]; installSeconds: number; rows: string[][] }
  | { ran: false; reason: string; rows: string[][] };

/** What is left to remove if the bench stops half-way (Ctrl+C): the temporary install. */
const leftovers = new Set<string>();
export function removePeerInstall(): void {
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
  leftovers.clear();
}

const countOurs = async (db: pg.Client, site: string): Promise<number> =>
  (await db.query<{ n: number }>('select count(*)::int as n from comments where site_id = $1', [site])).rows[0]!.n;

/**
 * Starts counting the CPU time of `pids` and of every Postgres backend now connected to `dbName` except
 * the bench's own (`exclude`: the connections it counts rows with); `stop()` gives the ms spent since.
 * The set is fixed at the start: both servers' pools are open by then (after the warm-up).
 */
async function startCpuCount(
  db: pg.Client,
  dbName: string,
  pids: number[],
  exclude: number[],
): Promise<{ stop(): number }> {
  const { rows } = await db.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
  const all = [...pids, ...rows.map((r) => r.pid).filter((p) => !exclude.includes(p))];
  // A process gone before the end (a backend closed by its pool) keeps what it had at the start.
  const read = (pid: number, fallback: number) => {
    try {
      return cpuMs(pid);
    } catch {
      return fallback;
    }
  };
  const start = all.map((p) => read(p, 0));
  return { stop: () => all.reduce((sum, p, i) => sum + read(p, start[i]!) - start[i]!, 0) };
}

const backendPid = async (db: pg.Client): Promise<number> =>
  (await db.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

/** Waits until Waline's table has grown no more for a second; its row count then, and when it last grew. */
async function settled(db: pg.Client): Promise<{ rows: number; lastRowAt: number }> {
  let rows = await countWalineComments(db);
  let lastRowAt = Date.now();
  while (Date.now() - lastRowAt < 1000) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await countWalineComments(db);
    if (now !== rows) [rows, lastRowAt] = [now, Date.now()];
  }
  return { rows, lastRowAt };
}

async function drained(backlog: () => Promise<number>, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await backlog()) > 0) {
    if (Date.now() > deadline) throw new Error(`Reply Desk's queue did not drain within ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function benchPeer(d: PeerDeps): Promise<PeerOutcome> {
  const peer = `Waline ${d.version}`;
  let dir = d.installDir;
  let installSeconds = 0;
  let walineDb: pg.Client | null = null;
  let stub: Awaited<ReturnType<typeof startOauthStub>> | null = null;
  let waline: { child: Child; url: string } | null = null;
  let worker: Child | null = null;
  try {
    if (dir === undefined) {
      progress(`peer: installing @waline/vercel@${d.version} from npm into a temporary folder`);
      const t = Date.now();
      dir = await installWaline(d.version, 15 * 60_000);
      leftovers.add(dir);
      installSeconds = (Date.now() - t) / 1000;
      progress(`  installed in ${Math.round(installSeconds)} s`);
    }
    const entry = walineEntry(dir);
    const walineUrl = await createWalineDatabase(d.adminUrl, d.walineDbName);
    walineDb = new pg.Client({ connectionString: walineUrl });
    walineDb.on('error', () => {});
    await walineDb.connect();
    stub = await startOauthStub();
    waline = await startWaline({ entry, dbUrl: walineUrl, oauthUrl: stub.url, logFile: join(d.logDir, 'waline.log') });
    worker = await d.startWorker('worker-peer');

    const targets = {
      theirs: { name: peer, url: `${waline.url}/api/comment`, shape: 'waline' as const },
      ours: { name: 'Reply Desk', url: `${d.apiUrl}/api/comments`, shape: undefined },
    };
    const load = (t: (typeof targets)['ours' | 'theirs'], label: string, seconds: number) =>
      d.httpLoad(label, {
        url: t.url,
        connections: 100,
        seconds,
        post: { site: d.site, forwardedFor: true, ...(t.shape ? { shape: t.shape } : {}) },
      });
    // Warm-up: Waline compiles its Markdown and template code on the first comments; ours its statements.
    for (const t of [targets.theirs, targets.ours]) await load(t, `warm-up ${t.name}`, 2);
    await drained(d.backlog, 300_000);
    const counting = [await backendPid(d.db), await backendPid(walineDb)];
    const walinePids = [waline.child.pid, ...childPids(waline.child.pid)];

    const rounds: PeerRound[] = [];
    for (let round = 0; round < d.rounds; round++) {
      const order = round % 2 === 0 ? (['theirs', 'ours'] as const) : (['ours', 'theirs'] as const);
      const r: Partial<PeerRound> = {};
      for (const side of order) {
        const label = `${targets[side].name} (round ${round + 1})`;
        if (side === 'theirs') {
          const before = await countWalineComments(walineDb);
          const cpu = await startCpuCount(d.db, d.walineDbName, walinePids, counting);
          r.theirs = await load(targets.theirs, label, d.seconds);
          // Requests still in Waline's hands when the load ends are stored after it: wait for its last row
          // (none for a second), so its tail counts, as our worker's does, and spills into no next round.
          const loadEnd = Date.now();
          const tail = await settled(walineDb);
          r.theirsCpuMs = cpu.stop();
          r.theirsStored = tail.rows - before;
          r.theirsStoreSeconds = d.seconds + Math.max(0, tail.lastRowAt - loadEnd) / 1000;
        } else {
          const before = await countOurs(d.db, d.site);
          const cpu = await startCpuCount(d.db, d.dbName, [d.apiPid, worker.pid], counting);
          // Accepting is the API alone, as the intake rows measure it; storing is timed from the first
          // request to the last commit, so the worker's work after the burst counts in full.
          await d.pauseWorkers();
          r.ours = await load(targets.ours, label, d.seconds);
          const loadEnd = Date.now();
          await d.resumeWorkers();
          await drained(d.backlog, 300_000);
          r.oursCpuMs = cpu.stop();
          r.oursStored = (await countOurs(d.db, d.site)) - before;
          // The load ran for `seconds` before it ended; the worker's tail after it counts too.
          r.oursStoreSeconds = d.seconds + (Date.now() - loadEnd) / 1000;
        }
      }
      rounds.push(r as PeerRound);
      progress(
        `  round ${round + 1}: stored ${r.oursStored} in ${r.oursStoreSeconds!.toFixed(1)} s (Reply Desk), ${r.theirsStored} in ${r.theirsStoreSeconds!.toFixed(1)} s (${peer})`,
      );
    }
    const summary = summarizePeer(rounds);
    return { ran: true, summary, rounds, installSeconds, rows: peerRows(summary, peer) };
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]!;
    progress(`peer: ${peer} could not run, going on without it: ${reason}`);
    return { ran: false, reason, rows: [[`peer: ${peer}`, 'not run', reason, '', '']] };
  } finally {
    // A failure between pause and resume must not leave the next section's workers held.
    await d.resumeWorkers().catch(() => {});
    await worker?.stop();
    await waline?.child.stop();
    await stub?.close();
    await walineDb?.end().catch(() => {});
    removePeerInstall();
  }
}
