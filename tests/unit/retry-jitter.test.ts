import { Backoffs, type BackoffOptions, type JobsOptions, type MinimalJob } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { feedbackJobOptions, recheckJobOptions } from '../../src/queue/akismet-queue.js';
import { bulkJobOptions } from '../../src/queue/bulk-queue.js';
import { emailJobOptions } from '../../src/queue/email-queue.js';
import { submitJobOptions } from '../../src/queue/submissions-queue.js';
import { trainingJobOptions } from '../../src/queue/training-queue.js';
import { eventJobOptions } from '../../src/queue/comment-events-queue.js';

// Jobs that fail together (a batch Postgres refused, a moment of outage) must not all come back at
// the same instant: the delays BullMQ itself computes from our options must be spread out.
const queues: [string, JobsOptions][] = [
  ['submissions', submitJobOptions],
  ['training', trainingJobOptions],
  ['bulk', bulkJobOptions],
  ['email', emailJobOptions],
  ['webhook events', eventJobOptions],
  ['akismet feedback', feedbackJobOptions],
  ['akismet recheck', recheckJobOptions('c', 60_000)],
];

describe('retry backoff', () => {
  it.each(queues)(
    '%s: 100 jobs failing together on their 3rd attempt retry at spread-out times within [½, 1] of the delay',
    async (_name, options) => {
      const backoff = Backoffs.normalize(options.backoff as BackoffOptions) as BackoffOptions;
      const full = (backoff.delay ?? 0) * 2 ** 2;
      const delays = await Promise.all(
        Array.from({ length: 100 }, () => Backoffs.calculate(backoff, 3, new Error('refused'), {} as MinimalJob)),
      );
      const values = delays.map(Number);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(full / 2);
      expect(Math.max(...values)).toBeLessThanOrEqual(full);
      // Without jitter all 100 are the same number.
      expect(new Set(values).size).toBeGreaterThan(50);
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(full / 4);
    },
  );
});
