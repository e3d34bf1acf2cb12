import { Backoffs, type BackoffOptions, type JobsOptions, type MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { recheckJobOptions } from '../../src/queue/akismet-queue.js';
import { deliveryJobOptions } from '../../src/queue/comment-events-queue.js';
import { chatJobOptions } from '../../src/queue/desk-notices-queue.js';
import { editJobOptions } from '../../src/queue/edits-queue.js';
import { submitJobOptions } from '../../src/queue/submissions-queue.js';

// README and the queue files quote how long each queue keeps retrying (the window an outage may last
// and lose nothing). These are the figures BullMQ computes from our options: a change of attempts or
// backoff fails here until README and the comments say the new numbers.

/** The waits between a job's attempts, each at its full (unjittered) length, as Job.shouldRetryJob asks. */
async function fullWaits(options: JobsOptions): Promise<number[]> {
  const { jitter: _jitter, ...backoff } = Backoffs.normalize(options.backoff as BackoffOptions) as BackoffOptions;
  const waits: number[] = [];
  // After the n-th failed attempt BullMQ asks for the delay with attemptsMade + 1 = n; the last attempt has none.
  for (let n = 1; n < (options.attempts ?? 1); n++)
    waits.push(Number(await Backoffs.calculate(backoff, n, new Error('down'), {} as MinimalJob)));
  return waits;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('retry windows quoted in README', () => {
  it.each([
    ['submissions', submitJobOptions],
    ['edits', editJobOptions],
  ])('%s: 14 waits from 1 s, the last 8,192 s, 16,383 s (4.55 h) in all; jittered, at least half', async (_n, o) => {
    const waits = await fullWaits(o);
    expect(waits).toHaveLength(14);
    expect(waits.at(-1)).toBe(8_192_000);
    expect(sum(waits)).toBe(16_383_000);
    expect(sum(waits) / 3_600_000).toBeCloseTo(4.55, 2);
    expect((o.backoff as BackoffOptions).jitter).toBe(0.5);
  });

  it('Akismet recheck at 60 s: 11 waits, the last 61,440 s (17 h), 122,820 s (34.1 h) in all', async () => {
    const o = recheckJobOptions('c', 60_000);
    const waits = await fullWaits(o);
    expect(waits).toHaveLength(11);
    expect(waits.at(-1)).toBe(61_440_000);
    expect(sum(waits) / 3_600_000).toBeCloseTo(34.1, 1);
    expect((o.backoff as BackoffOptions).jitter).toBe(0.5);
  });

  it.each([
    ['webhook deliveries', deliveryJobOptions],
    ['chat posts', chatJobOptions],
  ])('%s: 9 waits from 15 s, the last 64 min, 2 h 7 min 45 s in all, no jitter', async (_n, o) => {
    const waits = await fullWaits(o);
    expect(waits.slice(0, 3)).toEqual([15_000, 30_000, 60_000]);
    expect(waits.at(-1)).toBe(64 * 60_000);
    expect(sum(waits)).toBe((2 * 3600 + 7 * 60 + 45) * 1000);
    expect((o.backoff as BackoffOptions).jitter).toBeUndefined();
  });
});
