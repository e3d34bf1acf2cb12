import autocannon from 'autocannon';
import { commentJson } from './lib/fixtures.js';
import { toWalineComment } from './peer/peer-figures.js';

// A closed-loop load generator in its own process (autocannon), so its CPU is not the server's.
// argv[2] is JSON: { url, connections, seconds, post?: { site, forwardedFor? } }. Prints one JSON result line.
// With forwardedFor, every comment carries an X-Forwarded-For address, IPv4 and IPv6 in turn, out of
// 65,536 of each (benchmarking and documentation ranges), so an API behind TRUST_PROXY counts many readers.
// With shape 'waline', the same comments go out under Waline's field names (the peer in bench/peer/).
interface Args {
  url: string;
  connections: number;
  seconds: number;
  post?: { site: string; forwardedFor?: boolean; shape?: 'waline' };
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;
let n = Math.floor(Math.random() * 1e9);

function forwardedFor(i: number): string {
  const k = (i >> 1) & 0xffff;
  return i % 2 === 0
    ? `198.18.${k >> 8}.${k & 255}`
    : `2001:db8:${(k >> 4).toString(16)}:${(k & 15).toString(16)}::${(i % 7) + 1}`;
}

const result = await autocannon({
  url: args.url,
  connections: args.connections,
  duration: args.seconds,
  ...(args.post
    ? {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A distinct body for every request, so no two are the same comment (no duplicates, no keys).
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const i = n++;
              const json = commentJson(args.post!.site, i);
              const body = args.post!.shape === 'waline' ? toWalineComment(json) : json;
              if (!args.post!.forwardedFor) return { ...req, body };
              return {
                ...req,
                body,
                headers: { ...(req.headers as Record<string, string>), 'x-forwarded-for': forwardedFor(i) },
              };
            },
          },
        ],
      }
    : {}),
});
const r = result as unknown as {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
};
process.stdout.write(
  JSON.stringify({
    rps: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    mean: r.latency.average,
    ok: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  }) + '\n',
);
