import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { submissionShardPrefixes } from '../../src/queue/queue-prefix.js';
import { shardFor, shardNumbersOf } from '../../src/queue/submission-shards.js';

describe('which shard a comment goes to (SUBMISSION_SHARDS)', () => {
  it.each([2, 3, 7, 64])('10,000 random comment ids spread evenly over %i shards', (count) => {
    const per = new Array<number>(count).fill(0);
    for (let i = 0; i < 10_000; i++) per[shardFor(randomUUID(), count)]! += 1;
    const even = 10_000 / count;
    // Binomial spread: at 64 shards (156 each) 4.5 standard deviations is some ±55; at 2, ±225.
    const slack = 4.5 * Math.sqrt(even * (1 - 1 / count));
    for (const n of per) expect(Math.abs(n - even)).toBeLessThan(slack);
  });

  it('is stable: the same id gives the same shard, whatever its case, in every process and release', () => {
    // Fixed values: a change to the hash would send status lookups of queued comments to the wrong queue.
    const ids = [
      '0b9e7c1e-4d6a-4f7e-9a55-2f0c3b1d8e21',
      '01936f6e-0000-7000-8000-000000000000',
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    ];
    expect(ids.map((id) => shardFor(id, 3))).toEqual(ids.map((id) => shardFor(id.toUpperCase(), 3)));
    expect(ids.map((id) => [shardFor(id, 3), shardFor(id, 64)])).toMatchInlineSnapshot(`
      [
        [
          1,
          31,
        ],
        [
          2,
          30,
        ],
        [
          1,
          1,
        ],
      ]
    `);
  });

  it('one shard is always shard 0', () => {
    expect(shardFor(randomUUID(), 1)).toBe(0);
    expect(shardFor('', 1)).toBe(0);
  });

  it("lists every shard's prefix, QUEUE_PREFIX itself first", () => {
    expect(submissionShardPrefixes('reply-desk', 1)).toEqual(['reply-desk']);
    expect(submissionShardPrefixes('{reply-desk}', 3)).toEqual(['{reply-desk}', '{reply-desk-s1}', '{reply-desk-s2}']);
  });

  it('numbers queues that share a name (shards, shard 0 first) and leaves the others unnumbered', () => {
    const q = (name: string) => ({ name });
    expect(shardNumbersOf([q('submissions'), q('bulk'), q('submissions'), q('submissions')])).toEqual([0, null, 1, 2]);
    expect(shardNumbersOf([q('submissions'), q('bulk')])).toEqual([null, null]);
  });

  it('SUBMISSION_SHARDS is 1 unless set, and 1 to 64', () => {
    expect(loadConfig({}).SUBMISSION_SHARDS).toBe(1);
    expect(loadConfig({ SUBMISSION_SHARDS: '3' }).SUBMISSION_SHARDS).toBe(3);
    for (const bad of ['0', '65', '1.5', 'two'])
      expect(() => loadConfig({ SUBMISSION_SHARDS: bad })).toThrow(/SUBMISSION_SHARDS/);
  });
});
