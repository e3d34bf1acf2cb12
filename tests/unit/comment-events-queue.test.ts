import { describe, expect, it } from 'vitest';
import { COMMENT_EVENTS_QUEUE } from '../../src/queue/comment-events-queue.js';

describe('the comment-events queue', () => {
  // Jobs already queued in production live under the Redis name: renaming it would strand them
  // after an upgrade (see the comment on COMMENT_EVENTS_QUEUE). A rename needs a drain of the old name.
  it('keeps the Redis name that queued jobs already live under', () => {
    expect(COMMENT_EVENTS_QUEUE).toBe('webhooks');
  });
});
