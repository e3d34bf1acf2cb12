import { randomUUID } from 'node:crypto';
import type { Pool } from '../../src/store/db.js';
import { postJson } from './harness.js';

/** One post's answer: status (0 when the connection failed), the id on 202, how long it took. */
export interface Posted {
  status: number;
  id: string | null;
  ms: number;
  retryAfter: string | null;
  /** What the test was doing when the post was sent (e.g. "during"). */
  phase: string;
  /** The connection error's code when status is 0. */
  error?: string;
}

/** A distinct comment (own author, email and text), so no duplicate or flood rule refuses it. */
export function distinctComment(
  site: string,
  run: string,
  i: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    site,
    page: `page-${i % 5}`,
    author: `Reader ${run}-${i}`,
    email: `reader-${run}-${i}@example.org`,
    body: `Comment ${i} of run ${run}, sent while things break.`,
    ...extra,
  };
}

/** Posts distinct comments from `clients` loops until stop(), pausing `pauseMs` after each. */
export function startPosting(
  api: { url: string; origin: string },
  site: string,
  opts: { clients: number; pauseMs: number; phase: () => string },
): { stop(): Promise<Posted[]>; posted: Posted[] } {
  const posted: Posted[] = [];
  const run = randomUUID().slice(0, 8);
  let n = 0;
  let stopping = false;
  const client = async (): Promise<void> => {
    while (!stopping) {
      const i = n++;
      const phase = opts.phase();
      const started = Date.now();
      try {
        const res = await postJson(api, distinctComment(site, run, i), { origin: api.origin });
        const json = (await res.json()) as { id?: string };
        posted.push({
          phase,
          status: res.status,
          id: res.status === 202 ? (json.id ?? null) : null,
          ms: Date.now() - started,
          retryAfter: res.headers.get('retry-after'),
        });
      } catch (err) {
        const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        posted.push({ phase, status: 0, id: null, ms: Date.now() - started, retryAfter: null, error: code });
      }
      if (opts.pauseMs > 0) await new Promise((r) => setTimeout(r, opts.pauseMs));
    }
  };
  const loops = Array.from({ length: opts.clients }, () => client());
  return {
    posted,
    async stop() {
      stopping = true;
      await Promise.all(loops);
      return posted;
    },
  };
}

/** Rows per comment id of a site, with their status. */
export async function readStored(pool: Pool, site: string): Promise<Map<string, { n: number; status: string }>> {
  const { rows } = await pool.query<{ id: string; n: number; status: string }>(
    'select id, count(*)::int as n, min(status) as status from comments where site_id = $1 group by id',
    [site],
  );
  return new Map(rows.map((r) => [r.id, { n: r.n, status: r.status }]));
}

/** Accepted, stored, duplicates and lost for a set of accepted ids. */
export function tally(
  accepted: readonly string[],
  stored: Map<string, { n: number }>,
): { accepted: number; stored: number; duplicates: number; lost: string[]; unexpected: number } {
  const acceptedSet = new Set(accepted);
  return {
    accepted: acceptedSet.size,
    stored: [...stored.values()].reduce((s, r) => s + r.n, 0),
    duplicates: [...stored.values()].filter((r) => r.n > 1).length,
    lost: [...acceptedSet].filter((id) => !stored.has(id)),
    unexpected: [...stored.keys()].filter((id) => !acceptedSet.has(id)).length,
  };
}

/** Polls until every accepted id is stored (or the time is up); returns the rows and when it finished. */
export async function waitAllStored(
  pool: Pool,
  site: string,
  accepted: readonly string[],
  timeoutMs: number,
): Promise<{ stored: Map<string, { n: number; status: string }>; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stored = await readStored(pool, site).catch(() => new Map<string, { n: number; status: string }>());
    if (accepted.every((id) => stored.has(id)) || Date.now() > deadline) return { stored, at: Date.now() };
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(1);
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * What a failover scenario prints (the Redis Sentinel and Cluster scale tests): accepted of posted per
 * phase, then accepted / stored / lost / doubled and the times after the kill, as the fault suite does.
 */
export function failoverReport(
  name: string,
  posted: readonly Posted[],
  t: ReturnType<typeof tally>,
  times: { killedAt: number; promotedAt: number; recoveredAt: number; storedAt: number },
): string[] {
  const refused = posted.filter((p) => p.status !== 202);
  const byPhase = (ph: string) => {
    const mine = posted.filter((p) => p.phase === ph);
    return `${ph} ${mine.filter((p) => p.status === 202).length}/${mine.length}`;
  };
  const after = (at: number) => seconds(at - times.killedAt);
  return [
    `${name} failover: accepted/posted ${['before', 'during', 'after'].map(byPhase).join(', ')}`,
    `${name} failover: accepted ${t.accepted}, stored ${t.stored}, lost ${t.lost.length}, doubled ${t.duplicates}, ` +
      `stored though answered 503 ${t.unexpected}; ` +
      `promoted ${after(times.promotedAt)} s after the kill, intake answering again ${after(times.recoveredAt)} s after it; ` +
      `${refused.length} posts refused meanwhile (${[...new Set(refused.map((p) => p.status))].join(', ')}), all stored ${after(times.storedAt)} s after the kill`,
  ];
}
