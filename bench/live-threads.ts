import { request, type ClientRequest } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { createThreadAnnouncer } from '../src/queue/live-threads.js';
import { readRss } from './lib/children.js';
import { percentile, progress, round } from './lib/stats.js';

/*
 * Live threads at scale (issue 15): N idle readers' streams (GET /api/live) on one API process, the
 * memory each costs, and how long one published comment takes to reach all of them (announce → the
 * `comment` event read by each client), beside the floor: a bare Redis PUBLISH to one subscriber.
 */

export interface LiveBenchResult {
  streams: number;
  connectSeconds: number;
  kbPerStream: number;
  rounds: number;
  fanOutMs: { p50: number; p99: number; max: number };
  redisPubSubMs: { p50: number; p99: number };
}

export async function benchLiveThreads(opts: {
  apiUrl: string;
  apiPid: number;
  db: pg.Client;
  redisUrl: string;
  prefix: string;
  site: string;
  streams: number;
  rounds: number;
}): Promise<LiveBenchResult> {
  const page = `live-bench-${Date.now()}`;
  // The page exists with one published comment per round, announced one by one below.
  const { rows } = await opts.db.query<{ id: number }>(
    `insert into pages (site_id, identifier) values ($1, $2) returning id`,
    [opts.site, page],
  );
  const pageId = rows[0]!.id;
  const before = readRss(opts.apiPid)?.rssMb ?? NaN;
  const arrivals = new Map<string, number[]>();
  const requests: ClientRequest[] = [];
  const started = performance.now();
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    let opened = 0;
    const openOne = (): void => {
      if (opened >= opts.streams) return;
      opened++;
      const req = request(`${opts.apiUrl}/api/live?site=${opts.site}&page=${page}`, { agent: false }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`live stream answered ${res.statusCode}`));
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.includes('event: ready')) {
              ready++;
              if (ready % 1000 === 0) progress(`  live: ${ready} streams open`);
              if (ready === opts.streams) resolve();
              else openOne();
            } else if (block.includes('event: comment')) {
              const id = /"id":"([^"]+)"/.exec(block)?.[1];
              if (id) arrivals.get(id)?.push(performance.now());
            }
          }
        });
      });
      req.on('error', reject);
      req.end();
      requests.push(req);
    };
    // 50 connecting at a time: the API's accept queue, not the bench, should be what is measured.
    for (let i = 0; i < 50; i++) openOne();
  });
  const connectSeconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  const after = readRss(opts.apiPid)?.rssMb ?? NaN;

  const redis = new Redis(opts.redisUrl);
  const announce = createThreadAnnouncer(redis, opts.prefix);
  const fanOut: number[] = [];
  let slowest = 0;
  for (let round = 0; round < opts.rounds; round++) {
    const id = randomUUID();
    await opts.db.query(
      `insert into comments (id, site_id, page_id, author_name, body, body_html, status, verdict, content_hash, received_at)
       values ($1, $2, $3, 'Bench', 'Live', '<p>Live</p>', 'approved', '{"status":"approved","score":0,"reasons":[]}',
               sha256(convert_to($4, 'UTF8')), now())`,
      [id, opts.site, pageId, id],
    );
    arrivals.set(id, []);
    const t0 = performance.now();
    await announce([{ type: 'comment', site: opts.site, id }]);
    const deadline = Date.now() + 30_000;
    while ((arrivals.get(id)?.length ?? 0) < opts.streams && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    const got = arrivals.get(id) ?? [];
    if (got.length < opts.streams) progress(`  live: round ${round + 1}: only ${got.length}/${opts.streams} arrived`);
    for (const t of got) fanOut.push(t - t0);
    slowest = Math.max(slowest, ...got.map((t) => t - t0));
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const req of requests) req.destroy();

  // The floor: one message through Redis pub/sub to one subscriber on this machine.
  const sub = new Redis(opts.redisUrl);
  const channel = `${opts.prefix}:bench-pubsub`;
  await sub.subscribe(channel);
  const pubsub: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const got = new Promise<void>((resolve) => sub.once('message', () => resolve()));
    await redis.publish(channel, 'x');
    await got;
    pubsub.push(performance.now() - t0);
  }
  sub.disconnect();
  redis.disconnect();
  return {
    streams: opts.streams,
    connectSeconds: round(connectSeconds, 1),
    kbPerStream: round(((after - before) * 1024) / opts.streams, 1),
    rounds: opts.rounds,
    fanOutMs: { p50: round(percentile(fanOut, 50), 1), p99: round(percentile(fanOut, 99), 1), max: round(slowest, 1) },
    redisPubSubMs: { p50: round(percentile(pubsub, 50), 2), p99: round(percentile(pubsub, 99), 2) },
  };
}
