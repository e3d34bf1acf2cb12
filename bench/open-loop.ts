import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { commentJson } from './lib/fixtures.js';
import { percentile, round } from './lib/stats.js';

// Open-loop load generator: comment i is due at t0 + i/rate whatever happened to earlier ones, and its
// latency runs from that scheduled time (not from when a socket was free) until the comment is
// committed and visible in Postgres. Visibility is found by polling the primary key for the ids still
// outstanding, one small query at a time (`pollMs` apart): cheap for the server, and the figure is at
// most one poll late. argv[2] is JSON: { url, site, rate, seconds, dbUrl, pollMs, graceSeconds }.
interface Args {
  url: string;
  site: string;
  rate: number;
  seconds: number;
  dbUrl: string;
  pollMs: number;
  graceSeconds: number;
}
const a = JSON.parse(process.argv[2] ?? '{}') as Args;

const agent = new Agent({ keepAlive: true, maxSockets: 512 });
const target = new URL('/api/comments', a.url);
const db = new pg.Client({ connectionString: a.dbUrl, application_name: 'bench-open-loop' });
await db.connect();

const total = Math.round(a.rate * a.seconds);
const scheduled = new Float64Array(total);
const answered = new Float64Array(total).fill(NaN);
const visible = new Float64Array(total).fill(NaN);
const accepted = new Uint8Array(total); // 1 once the API answered 202
const outstanding = new Map<string, number>(); // comment id -> index
let errors = 0;
let non202 = 0;
let seed = Math.floor(Math.random() * 1e9);

function send(i: number): void {
  const body = commentJson(a.site, seed++, 2000);
  const req = request(
    target,
    {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => {
        answered[i] = performance.now();
        if (res.statusCode !== 202) {
          non202++;
          return;
        }
        accepted[i] = 1;
        outstanding.set((JSON.parse(data) as { id: string }).id, i);
      });
    },
  );
  req.on('error', () => {
    errors++;
    answered[i] = performance.now();
  });
  req.end(body);
}

let polling = true;
async function poll(): Promise<void> {
  while (polling) {
    if (outstanding.size > 0) {
      const ids = [...outstanding.keys()];
      const { rows } = await db.query<{ id: string }>('select id from comments where id = any($1::uuid[])', [ids]);
      const now = performance.now();
      for (const r of rows) {
        const i = outstanding.get(r.id);
        if (i !== undefined) {
          visible[i] = now;
          outstanding.delete(r.id);
        }
      }
    }
    await new Promise((r) => setTimeout(r, a.pollMs));
  }
}
const poller = poll();

const t0 = performance.now() + 50;
for (let i = 0; i < total; i++) scheduled[i] = t0 + (i * 1000) / a.rate;
let next = 0;
await new Promise<void>((resolve) => {
  const tick = () => {
    const now = performance.now();
    while (next < total && scheduled[next]! <= now) send(next++);
    if (next >= total) resolve();
    else setTimeout(tick, 1);
  };
  tick();
});
const sendEnd = performance.now();
const lateBy = sendEnd - scheduled[total - 1]!;
// Right at the end of the window: what the system had not caught up with.
await new Promise((r) => setTimeout(r, 20));
// Accepted (or still unanswered) but not yet committed: what the system owes at the end of the window.
let backlogAtEnd = 0;
for (let i = 0; i < total; i++)
  if (Number.isNaN(visible[i]!) && (accepted[i] === 1 || Number.isNaN(answered[i]!))) backlogAtEnd++;
const graceEnd = performance.now() + a.graceSeconds * 1000;
// Then let stragglers land (they count with their full latency); give up after graceSeconds.
while (performance.now() < graceEnd && !(outstanding.size === 0 && answered.every((v) => !Number.isNaN(v)))) {
  await new Promise((r) => setTimeout(r, 50));
}
polling = false;
await poller;
await db.end();
agent.destroy();

const lat: number[] = [];
const ack: number[] = [];
let unseen = 0;
for (let i = 0; i < total; i++) {
  if (!Number.isNaN(answered[i]!)) ack.push(answered[i]! - scheduled[i]!);
  if (Number.isNaN(visible[i]!)) unseen++;
  else lat.push(visible[i]! - scheduled[i]!);
}
// Latency over the last third alone shows whether the system kept up or fell steadily behind.
const lastThird: number[] = [];
for (let i = Math.floor((total * 2) / 3); i < total; i++)
  if (!Number.isNaN(visible[i]!)) lastThird.push(visible[i]! - scheduled[i]!);
process.stdout.write(
  JSON.stringify({
    rate: a.rate,
    seconds: a.seconds,
    sent: total,
    non202,
    errors,
    unseen,
    visibleP50: round(percentile(lat, 50), 1),
    visibleP99: round(percentile(lat, 99), 1),
    visibleMax: round(Math.max(...lat), 1),
    lastThirdP99: round(percentile(lastThird, 99), 1),
    ackP50: round(percentile(ack, 50), 1),
    ackP99: round(percentile(ack, 99), 1),
    senderLateMs: round(lateBy, 1),
    backlogAtEnd,
  }) + '\n',
);
