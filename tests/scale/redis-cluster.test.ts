import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSessionList } from '../../src/auth/session-list.js';
import { sessionKeyPrefix } from '../../src/auth/session.js';
import { siteSettingsSchema } from '../../src/domain/site-settings.js';
import { createIntakeGuard } from '../../src/flood/intake-guard.js';
import { createPageSurgeTracker } from '../../src/flood/page-surge-tracker.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { createSubscriberRedis } from '../../src/queue/live-events.js';
import { submissionShardsProblem } from '../../src/queue/queue-prefix.js';
import { submissionShardPrefixes } from '../../src/queue/queue-prefix.js';
import { createSubmissionShards } from '../../src/queue/submission-shards.js';
import type { Submission } from '../../src/domain/submission.js';
import { createThreadAnnouncer, createThreadFeed, readThreadLog } from '../../src/queue/live-threads.js';
import { createProducerRedis, type RedisClient } from '../../src/redis.js';
import { createPool, type Pool } from '../../src/store/db.js';
import { checkShardSpread } from '../../src/service-checks.js';
import { failoverReport, sleep, startPosting, tally, waitAllStored } from '../support/fault-load.js';
import { addSite, newQueuePrefix, spawnWorker, stopProcess } from '../support/harness.js';
import { findFreePort, startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { startRedisCluster, type RedisClusterSet } from './support/redis-cluster.js';

/*
 * Issue 18, items 1 and 5: Redis Cluster, the master of the queue's slot killed under load. The API
 * and a worker run as real processes (src/bin/api.ts, workers/main.ts) given only REDIS_CLUSTER_NODES
 * and a prefix without braces, which they hash-tag themselves, so every key of ours (BullMQ's, the
 * intake guard's, sessions, live threads) lives in one slot. After SIGKILL on that slot's master the
 * cluster promotes its replica (cluster-node-timeout 1 s here) and ioredis follows the new slot map.
 * Intake waits for a replica to hold each submission (REDIS_WAIT_REPLICAS=1, the WAIT sent to the
 * slot's master), so a comment answered 202 cannot die with the master: the test counts accepted,
 * stored, lost and doubled, and the time to recover.
 */

let pg: PrivatePostgres;
let pool: Pool;
let cluster: RedisClusterSet;
let api: ChildProcess;
let apiUrl: string;
let worker: ChildProcess;
const given = newQueuePrefix();
const env = (c: RedisClusterSet): Record<string, string> => ({
  REDIS_CLUSTER_NODES: c.address.cluster.map((n) => `${n.host}:${n.port}`).join(','),
  QUEUE_PREFIX: given,
});
// What the processes make of it (src/config.ts): the same rule, so the test looks where they write.
const prefix = () => loadConfig(env(cluster)).QUEUE_PREFIX;
const site = 'cluster';

async function spawnApi(port: number, extra: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/api.ts')], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      DATABASE_URL: pg.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DEMO: 'false',
      SESSION_SECRET: 'cluster-test-session-secret-32-chars!!',
      ENQUEUE_TIMEOUT_MS: '1000',
      REDIS_WAIT_REPLICAS: '1',
      REDIS_WAIT_TIMEOUT_MS: '500',
      ...extra,
    },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await Promise.race([
    new Promise<void>((resolve) => child.on('message', (m) => m === 'ready' && resolve())),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`api exited with ${String(code)}:\n${stderr}`))),
  ]);
  return { child, url };
}

beforeAll(async () => {
  [pg, cluster] = await Promise.all([startPrivatePostgres(), startRedisCluster()]);
  pool = createPool(pg.url, 10);
  const port = await findFreePort();
  // The intake guard counts every post in its batch script (site limit high enough never to refuse).
  await addSite(pool, site, [`http://127.0.0.1:${port}`], {
    holdFirstTime: false,
    floodSeconds: 0,
    rateLimitSite: 1_000_000,
  });
  ({ child: api, url: apiUrl } = await spawnApi(port, env(cluster)));
  worker = await spawnWorker({ ...env(cluster), DATABASE_URL: pg.url });
}, 120_000);

afterAll(async () => {
  if (worker) await stopProcess(worker, 'SIGKILL');
  if (api) await stopProcess(api, 'SIGKILL');
  await cluster?.destroy();
  await pool?.end();
  await pg?.destroy();
});

describe('Redis Cluster (3 masters, 3 replicas)', () => {
  it('the prefix was hash-tagged: every key of ours is in the queue slot, on one master', async () => {
    expect(prefix()).toBe(`{${given}}`);
    const owner = await cluster.masterPortOf(`${prefix()}:submissions:wait`);
    for (const key of ['flood:x:site', 'session:abc', 'live:thread-log:x', 'bulk:meta'])
      expect(await cluster.masterPortOf(`${prefix()}:${key}`), key).toBe(owner);
  });

  it('SUBMISSION_SHARDS=3 with the default prefix: the shards have tags of their own, on 2 of the 3 masters, and take jobs', async () => {
    const config = loadConfig({ ...env(cluster), QUEUE_PREFIX: '', SUBMISSION_SHARDS: '3' });
    const prefixes = submissionShardPrefixes(config.QUEUE_PREFIX, config.SUBMISSION_SHARDS);
    expect(prefixes).toEqual(['{reply-desk}', '{reply-desk-s1}', '{reply-desk-s2}']);
    expect(submissionShardsProblem(config.QUEUE_PREFIX, config.SUBMISSION_SHARDS, true)).toBeNull();
    // CLUSTER KEYSLOT of each shard's queue key, and that slot's master. Slots follow from the tags
    // alone, so with 3 shards on 3 masters two may share one (here shards 0 and 1 do): 2 masters, not 3.
    const masters = await Promise.all(prefixes.map((p) => cluster.masterPortOf(`${p}:submissions:wait`)));
    console.log(`submission shards on the cluster: ${prefixes.map((p, i) => `${p} on :${masters[i]}`).join(', ')}`);
    expect(new Set(masters).size).toBeGreaterThanOrEqual(2);
    // What every process says at start about it (src/service-checks.ts): one warning naming the pair.
    const spread = await checkShardSpread(cluster.address, prefixes);
    expect(spread).toEqual(
      new Set(masters).size === 3
        ? []
        : [expect.stringMatching(/^SUBMISSION_SHARDS=3: .* on 2 of the cluster's 3 masters/)],
    );
    // Through the cluster client, each shard's BullMQ scripts run on its own slot (no CROSSSLOT).
    const redis: RedisClient = createProducerRedis(cluster.address);
    if (redis.status !== 'ready') await once(redis, 'ready');
    const shards = createSubmissionShards(redis, config.QUEUE_PREFIX, config.SUBMISSION_SHARDS);
    try {
      for (const [shard, q] of shards.all().entries())
        await q.add('submit', { probe: shard } as unknown as Submission, { jobId: `probe-${shard}`, delay: 60_000 });
      expect(await Promise.all(shards.all().map((q) => q.getDelayedCount()))).toEqual([1, 1, 1]);
      await Promise.all(shards.all().map((q) => q.obliterate({ force: true })));
    } finally {
      await shards.close();
      redis.disconnect();
    }
  });

  it('sessions, the intake guard, brigade counters and live threads run their multi-key commands on it', async () => {
    const redis: RedisClient = createProducerRedis(cluster.address);
    const feed = createThreadFeed({ connect: () => createSubscriberRedis(cluster.address), prefix: prefix() });
    const logger = createLogger('silent', 'test');
    // The API's kind of connection fails commands until the slot map is in (no offline queue).
    if (redis.status !== 'ready') await once(redis, 'ready');
    try {
      // Session list: SADD + EXPIRE in MULTI, then MGET over the sessions' keys.
      const list = createSessionList(redis, prefix());
      for (const sid of ['s1', 's2']) {
        await redis.set(`${sessionKeyPrefix(prefix())}${sid}`, JSON.stringify({ moderatorId: 7, generation: 0 }));
        await list.add(7, sid);
      }
      expect((await list.list(7, 0, 's1')).map((s) => s.current)).toEqual(expect.arrayContaining([true, false]));
      // Intake guard: one script call over 6 keys per submission, a batch of them in one call.
      const guard = createIntakeGuard({
        redis,
        prefix: prefix(),
        logger,
        windows: { rateWindowMs: 60_000, surgeWindowMs: 60_000, surgeBaselineMs: 86_400_000, surgeCooldownMs: 600_000 },
      });
      const settings = siteSettingsSchema.parse({ rateLimitEmail: 2 });
      const decisions = await Promise.all(
        [1, 2, 3].map(() => guard.admit({ siteId: 'g', ip: '203.0.113.9', email: 'a@example.org', settings })),
      );
      // Fail-open would admit all three: the third refused proves the script ran on the cluster.
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
      // Brigade counters: a 4-key script, then MULTI over the flag and the site's list.
      const tracker = createPageSurgeTracker({
        redis,
        prefix: prefix(),
        logger,
        windows: { windowMs: 60_000, baselineMs: 86_400_000, cooldownMs: 60_000 },
      });
      const verdict = await tracker.observe({
        siteId: 'g',
        pageId: 1,
        firstTime: true,
        address: '203.0.113.9',
        body: 'a comment long enough to compare',
        thresholds: { minimum: 1_000, threshold: 1_000 },
      });
      expect(verdict.score).toBeGreaterThanOrEqual(0);
      // Live threads: XADD + PUBLISH in one script; the subscriber (on any node) hears it.
      await feed.ready();
      const heard = new Promise((resolve) => feed.listen(resolve));
      const id = '0b9e7c1e-4d6a-4f7e-9a55-2f0c3b1d8e21';
      await createThreadAnnouncer(redis, prefix())([{ type: 'comment', site: 'g', id }]);
      expect(await heard).toMatchObject({ type: 'comment', id });
      expect((await readThreadLog(redis, prefix(), 'g', '0-0', 10)).signals).toHaveLength(1);
    } finally {
      await feed.close();
      redis.disconnect();
    }
  });

  it('the master of the queue slot SIGKILLed under load: its replica takes over; every comment answered 202 is stored once', async () => {
    const origin = { url: apiUrl, origin: apiUrl };
    const queueKey = `${prefix()}:submissions:wait`;
    const masterPort = await cluster.masterPortOf(queueKey);
    const replicas = await cluster.replicaPortsOf(masterPort);
    expect(replicas).toHaveLength(1);
    const master = cluster.nodes.find((n) => n.port === masterPort)!;
    // A live-threads subscriber of its own, opened before the kill: it must still hear announcements
    // made through the promoted replica (the log's key is in the killed master's slot).
    const redis = createProducerRedis(cluster.address);
    const feed = createThreadFeed({ connect: () => createSubscriberRedis(cluster.address), prefix: prefix() });
    await feed.ready();
    let phase = 'before';
    const load = startPosting(origin, site, { clients: 8, pauseMs: 20, phase: () => phase });
    await sleep(2000);
    phase = 'during';
    const killedAt = Date.now();
    await master.kill();
    let promotedAt = 0;
    while (Date.now() - killedAt < 20_000) {
      if ((await cluster.masterPortOf(queueKey).catch(() => 0)) === replicas[0]) {
        promotedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    expect(promotedAt, 'the cluster promoted the replica').toBeGreaterThan(0);
    phase = 'after';
    while (Date.now() - promotedAt < 20_000 && !load.posted.some((p) => p.phase === 'after' && p.status === 202))
      await sleep(50);
    const firstAfter = load.posted.find((p) => p.phase === 'after' && p.status === 202);
    const recoveredAt = Date.now();
    await sleep(2000);
    const posted = await load.stop();
    const ready = await fetch(`${apiUrl}/readyz`).then((r) => r.status);
    const id = '5f0c3b1d-8e21-4d6a-9a55-0b9e7c1e4f7e';
    const heard = new Promise((resolve) => feed.listen((s) => s.id === id && resolve(s)));
    await createThreadAnnouncer(redis, prefix())([{ type: 'comment', site: 'after', id }]);
    const heardAfter = await Promise.race([heard, sleep(5000).then(() => null)]);
    await feed.close();
    redis.disconnect();

    const accepted = posted.filter((p) => p.status === 202 && p.id !== null).map((p) => p.id as string);
    const { stored, at } = await waitAllStored(pool, site, accepted, 30_000);
    const t = tally(accepted, stored);
    for (const line of failoverReport('cluster', posted, t, { killedAt, promotedAt, recoveredAt, storedAt: at }))
      console.log(line);
    expect(firstAfter, 'intake answered 202 again after the failover').toBeDefined();
    expect(ready, "the API's readiness after the failover").toBe(200);
    expect(heardAfter, 'a live-thread announcement after the failover reached the subscriber').toMatchObject({ id });
    expect(t.lost).toEqual([]);
    expect(t.duplicates).toBe(0);
    expect(accepted.length).toBeGreaterThan(50);
    // During the failover a post is refused (503, Retry-After) rather than accepted and lost.
    expect(posted.filter((p) => p.status !== 202).every((p) => p.status === 503 || p.status === 0)).toBe(true);
    // Both processes lived through it (a supervisor would have restarted them, hiding a crash).
    expect(api.exitCode).toBeNull();
    expect(worker.exitCode).toBeNull();
  }, 90_000);

  it('a prefix whose braces make no hash tag is refused at start: one line, exit 78', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'workers/main.ts')], {
      cwd: projectRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...env(cluster), QUEUE_PREFIX: '{}rd', DATABASE_URL: pg.url },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^reply-desk worker: QUEUE_PREFIX="\{\}rd" .*CROSSSLOT/),
    ]);
  });
});
