import autocannon from 'autocannon';
import { commentJson } from './lib/fixtures.js';

// A closed-loop load generator in its own process (autocannon), so its CPU is not the server's.
// argv[2] is JSON: { url, connections, seconds, post?: { site } }. Prints one JSON result line.
interface Args { url: string; connections: number; seconds: number; post?: { site: string } }
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
let n = Math.floor(Math.random() * 1e9);

const result = await autocannon({
  url: args.url,
  connections: args.connections,
  duration: args.seconds,
  ...(args.post
    ? {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A distinct body for every request, so no two are the same comment (no duplicates, no keys).
        requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: commentJson(args.post!.site, n++) }) }],
      }
    : {}),
});
const r = result as unknown as {
  requests: { average: number; total: number }; latency: { p50: number; p99: number; average: number };
  non2xx: number; errors: number; timeouts: number; '2xx': number;
};
process.stdout.write(
  JSON.stringify({
    rps: r.requests.average, total: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, mean: r.latency.average,
    ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
  }) + '\n',
);
