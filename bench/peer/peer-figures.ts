/*
 * The pure half of the peer comparison (bench/peer/run-peer.ts): the comment body Waline's server takes,
 * what its answers and the load generator's output mean, and the figures side by side. No IO here, so
 * tests/unit/bench-peer.test.ts can check it without the network or a peer installed.
 */

/** One closed-loop run of bench/http-load.ts, as its last stdout line reports it. */
export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The load generator's result: the last non-empty line of its stdout, which must be JSON with the figures. */
export function parseLoadFigures(stdout: string): LoadFigures {
  const line = stdout.trim().split('\n').pop() ?? '';
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new Error(`load generator printed no JSON result (last line: ${JSON.stringify(line.slice(0, 200))})`);
  }
  const r = value as Record<string, unknown>;
  const keys = ['rps', 'p50', 'p99', 'mean', 'ok', 'non2xx', 'errors', 'timeouts'] as const;
  for (const k of keys)
    if (typeof r[k] !== 'number') throw new Error(`load generator result lacks a number for ${k}: ${line}`);
  return Object.fromEntries(keys.map((k) => [k, r[k] as number])) as unknown as LoadFigures;
}

/**
 * Reply Desk's comment body (bench/lib/fixtures.ts commentJson) as Waline's POST /api/comment takes it:
 * the same page, author, email, link and text under Waline's names, so both servers store the same comments.
 */
export function toWalineComment(replyDeskJson: string): string {
  const c = JSON.parse(replyDeskJson) as { page: string; author: string; email: string; url: string; body: string };
  return JSON.stringify({ url: `/${c.page}`, comment: c.body, nick: c.author, mail: c.email, link: c.url });
}

/**
 * What Waline answered a comment with. It refuses with HTTP 200 and a non-zero `errno` ("Comment too
 * fast!", "Duplicate Content"), so a 2xx count alone does not say a comment was stored.
 */
export function readWalineAnswer(status: number, text: string): { stored: boolean; reason: string } {
  if (status !== 200) return { stored: false, reason: `HTTP ${status}: ${text.slice(0, 200)}` };
  try {
    const a = JSON.parse(text) as { errno?: unknown; errmsg?: unknown; data?: { objectId?: unknown } };
    if (a.errno === 0 && a.data?.objectId !== undefined) return { stored: true, reason: '' };
    return { stored: false, reason: `errno ${String(a.errno)}: ${String(a.errmsg ?? '')}` };
  } catch {
    return { stored: false, reason: `not JSON: ${text.slice(0, 200)}` };
  }
}

/**
 * Why npm install failed, in one line from its stderr: its code and first explanation ("ETARGET: No
 * matching version found for …"), not the closing pointer to its debug log.
 */
export function npmFailure(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('A complete log of this run') && !/^(syscall|errno) /.test(l));
  const code = /^code (\S+)$/.exec(lines[0] ?? '')?.[1];
  const rest = (code ? lines.slice(1) : lines).map((l) => l.replace(/^[a-z]+ (?=[A-Z])/, ''));
  const why = rest[0] ?? 'no reason given';
  return code ? `${code}: ${why}` : why;
}

/** One interleaved round: each server's closed-loop run, and what it stored in how long. */
export interface PeerRound {
  ours: LoadFigures;
  theirs: LoadFigures;
  /** Rows Reply Desk committed for the round, and seconds from the first request until the last row. */
  oursStored: number;
  oursStoreSeconds: number;
  /** Waline stores before it answers: rows it added, over the seconds from the round's start to its last row. */
  theirsStored: number;
  theirsStoreSeconds: number;
  /**
   * CPU time each server spent on the round, in ms: its own processes and its Postgres backends (ours:
   * API and worker, until the last row; Redis, shared by everything on the machine, is not counted).
   * The one figure the machine's other load moves little: it is work done, not work done per second.
   */
  oursCpuMs: number;
  theirsCpuMs: number;
}

export interface PeerSummary {
  rounds: number;
  ours: { rps: number; p99: number; storedPerSecond: number; cpuUsPerStored: number; refused: number };
  theirs: { rps: number; p99: number; storedPerSecond: number; cpuUsPerStored: number; refused: number };
  /** Medians of the per-round ratios, ours ÷ theirs (p99: theirs ÷ ours, so above 1 is ours better). */
  acceptRatio: number;
  storeRatio: number;
  p99Ratio: number;
  /** Theirs ÷ ours: how many times the CPU a stored comment costs Waline. */
  cpuRatio: number;
  acceptRatios: number[];
  storeRatios: number[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const perSecond = (rows: number, seconds: number): number => (seconds > 0 ? rows / seconds : NaN);
const over = (a: number, b: number): number => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);

/**
 * Rounds into the figures the table shows. Each ratio is taken within a round (both servers measured in
 * the same minute on this shared machine) and the median of those is the one reported. "Refused" counts
 * the answers that were not a stored comment: non-2xx, socket errors, and 2xx beyond the rows that appeared.
 */
export function summarizePeer(rounds: PeerRound[]): PeerSummary {
  const side = (
    run: (r: PeerRound) => LoadFigures,
    stored: (r: PeerRound) => [number, number],
    cpuMs: (r: PeerRound) => number,
  ) => ({
    rps: rounds.reduce((a, r) => a + run(r).rps, 0) / rounds.length,
    p99: median(rounds.map((r) => run(r).p99)),
    storedPerSecond: median(rounds.map((r) => perSecond(...stored(r)))),
    cpuUsPerStored: median(rounds.map((r) => over(cpuMs(r) * 1000, stored(r)[0]))),
    refused: rounds.reduce((a, r) => {
      const f = run(r);
      return a + f.non2xx + f.errors + Math.max(0, f.ok - stored(r)[0]);
    }, 0),
  });
  const acceptRatios = rounds.map((r) => over(r.ours.rps, r.theirs.rps));
  const storeRatios = rounds.map((r) =>
    over(perSecond(r.oursStored, r.oursStoreSeconds), perSecond(r.theirsStored, r.theirsStoreSeconds)),
  );
  return {
    rounds: rounds.length,
    ours: side(
      (r) => r.ours,
      (r) => [r.oursStored, r.oursStoreSeconds],
      (r) => r.oursCpuMs,
    ),
    theirs: side(
      (r) => r.theirs,
      (r) => [r.theirsStored, r.theirsStoreSeconds],
      (r) => r.theirsCpuMs,
    ),
    acceptRatio: median(acceptRatios),
    storeRatio: median(storeRatios),
    p99Ratio: median(rounds.map((r) => over(r.theirs.p99, r.ours.p99))),
    cpuRatio: median(rounds.map((r) => over(r.theirsCpuMs / r.theirsStored, r.oursCpuMs / r.oursStored))),
    acceptRatios,
    storeRatios,
  };
}

const factor = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 10) / 10}×` : '—');
const micro = (v: number): string => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en')} µs` : '—');
const perS = (v: number): string => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en')}/s` : '—');

/** The bench table's rows (measure, Reply Desk, baseline, ratio, target) for the peer. */
export function peerRows(s: PeerSummary, peer: string): string[][] {
  return [
    [
      `peer: comment POST req/s (100 conn; median ratio of ${s.rounds} rounds)`,
      perS(s.ours.rps),
      `${perS(s.theirs.rps)} ${peer}`,
      factor(s.acceptRatio),
      '≥ 22× (hand-measured)',
    ],
    ['  ratio in each round', s.acceptRatios.map(factor).join(', '), '', '', ''],
    ['  p99 (median of rounds)', `${s.ours.p99} ms`, `${s.theirs.p99} ms`, factor(s.p99Ratio), ''],
    [
      '  stored/s (rows ÷ time to the last commit)',
      perS(s.ours.storedPerSecond),
      perS(s.theirs.storedPerSecond),
      factor(s.storeRatio),
      '≥ 5.3× (hand-measured)',
    ],
    ['  stored ratio in each round', s.storeRatios.map(factor).join(', '), '', '', ''],
    [
      '  server CPU per stored comment (processes + Postgres backends)',
      micro(s.ours.cpuUsPerStored),
      micro(s.theirs.cpuUsPerStored),
      factor(s.cpuRatio),
      '',
    ],
    ['  answers not stored (refused, errors)', String(s.ours.refused), String(s.theirs.refused), '', '0'],
  ];
}
