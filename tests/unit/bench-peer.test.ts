import { describe, expect, it } from 'vitest';
import { commentJson } from '../../bench/lib/fixtures.js';
import {
  npmFailure,
  parseLoadFigures,
  peerRows,
  readWalineAnswer,
  summarizePeer,
  toWalineComment,
  type LoadFigures,
  type PeerRound,
} from '../../bench/peer/peer-figures.js';

// The pure half of the bench's peer (Waline's server beside ours): no network, no peer installed.

const figures = (rps: number, p99: number, more: Partial<LoadFigures> = {}): LoadFigures => ({
  rps,
  p50: p99 / 2,
  p99,
  mean: p99 / 3,
  ok: rps * 5,
  non2xx: 0,
  errors: 0,
  timeouts: 0,
  ...more,
});

describe('the load generator result', () => {
  it('is read from the last line of its output', () => {
    const line = JSON.stringify(figures(100, 40));
    expect(parseLoadFigures(`warming up\n${line}\n`)).toEqual(figures(100, 40));
  });

  it.each([
    ['no JSON at all', 'Error: connect ECONNREFUSED', /printed no JSON result/],
    ['JSON without the figures', '{"rps":12}', /lacks a number for p50/],
    ['nothing', '', /printed no JSON result/],
  ])('when the output is %s, says so', (_case, out, message) => {
    expect(() => parseLoadFigures(out)).toThrow(message);
  });
});

describe("Waline's comment body", () => {
  it('carries the same page, author, email, link and text under Waline’s names', () => {
    const ours = JSON.parse(commentJson('bench', 42)) as Record<string, string>;
    expect(JSON.parse(toWalineComment(JSON.stringify(ours)))).toEqual({
      url: `/${ours.page}`,
      comment: ours.body,
      nick: ours.author,
      mail: ours.email,
      link: ours.url,
    });
  });
});

describe('why the peer could not be installed', () => {
  it.each([
    [
      'a version npm does not have',
      'npm error code ETARGET\nnpm error notarget No matching version found for @waline/vercel@9.9.9.\n' +
        "npm error notarget In most cases you or one of your dependencies are requesting a package version that doesn't exist.\n" +
        'npm error A complete log of this run can be found in: /root/.npm/_logs/x-debug-0.log\n',
      'ETARGET: No matching version found for @waline/vercel@9.9.9.',
    ],
    [
      'no registry to reach',
      'npm error code ENOTFOUND\nnpm error syscall getaddrinfo\nnpm error errno ENOTFOUND\n' +
        'npm error network request to https://registry.npmjs.org/@waline%2fvercel failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\n',
      'ENOTFOUND: network request to https://registry.npmjs.org/@waline%2fvercel failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org',
    ],
    ['npm itself missing', 'spawn npm ENOENT', 'spawn npm ENOENT'],
    ['nothing said', '', 'no reason given'],
  ])('%s: one line saying so', (_case, stderr, line) => {
    expect(npmFailure(stderr)).toBe(line);
  });
});

describe("Waline's answer", () => {
  it.each([
    [200, '{"errno":0,"errmsg":"","data":{"objectId":7,"status":"approved"}}', true, ''],
    [200, '{"errno":1000,"errmsg":"Comment too fast!"}', false, 'errno 1000: Comment too fast!'],
    [200, '{"errno":0,"errmsg":""}', false, 'errno 0: '],
    [502, 'Bad Gateway', false, 'HTTP 502: Bad Gateway'],
    [200, 'Internal Server Error', false, 'not JSON: Internal Server Error'],
  ])('HTTP %i %s: stored %s', (status, text, stored, reason) => {
    expect(readWalineAnswer(status, text)).toEqual({ stored, reason });
  });
});

describe('the peer figures', () => {
  const round = (ours: number, theirs: number, oursStoreSeconds: number): PeerRound => ({
    ours: figures(ours, 50),
    theirs: figures(theirs, 2000),
    oursStored: ours * 5,
    oursStoreSeconds,
    theirsStored: theirs * 5,
    theirsStoreSeconds: 5,
    // 500 µs per stored comment for ours, 8 ms for theirs.
    oursCpuMs: ours * 5 * 0.5,
    theirsCpuMs: theirs * 5 * 8,
  });

  it('takes each ratio within a round and reports their median', () => {
    // Accepted: 20×, 30×, 25×; stored (rows ÷ seconds to the last commit): 10×, 5×, 6×.
    const s = summarizePeer([round(2000, 100, 10), round(3000, 100, 30), round(2500, 100, 20.8333)]);
    expect(s.acceptRatios).toEqual([20, 30, 25]);
    expect(s.acceptRatio).toBe(25);
    expect(s.storeRatios.map((r) => Math.round(r * 10) / 10)).toEqual([10, 5, 6]);
    expect(s.storeRatio).toBeCloseTo(6, 3);
    expect(s.p99Ratio).toBe(40);
    expect(s.ours.rps).toBe(2500);
    expect(s.theirs.storedPerSecond).toBe(100);
    expect(s.ours.refused).toBe(0);
    expect(s.ours.cpuUsPerStored).toBe(500);
    expect(s.theirs.cpuUsPerStored).toBe(8000);
    expect(s.cpuRatio).toBe(16);
  });

  it("counts Waline's 200 answers that stored nothing, and errors, as refused", () => {
    const r = round(2000, 100, 10);
    r.theirs = figures(100, 2000, { ok: 500, errors: 3 });
    r.theirsStored = 480;
    expect(summarizePeer([r]).theirs.refused).toBe(23);
  });

  it('gives no ratio when the peer did nothing', () => {
    const r = round(2000, 0, 10);
    const s = summarizePeer([r]);
    expect(s.acceptRatio).toBeNaN();
    expect(peerRows(s, 'Waline 1.39.3')[0]![3]).toBe('—');
  });

  it('puts both servers and the ratio in the bench table rows', () => {
    const rows = peerRows(summarizePeer([round(2000, 100, 10)]), 'Waline 1.39.3');
    expect(rows[0]).toEqual([
      'peer: comment POST req/s (100 conn; median ratio of 1 rounds)',
      '2,000/s',
      '100/s Waline 1.39.3',
      '20×',
      '≥ 22× (hand-measured)',
    ]);
    expect(rows[3]!.slice(1, 4)).toEqual(['1,000/s', '100/s', '10×']);
    expect(rows[5]!.slice(1, 4)).toEqual(['500 µs', '8,000 µs', '16×']);
    expect(rows.every((r) => r.length === 5)).toBe(true);
  });
});
