/**
 * The share of a retry's backoff that is random (BullMQ's `backoff.jitter`): each retry waits between
 * half and all of its exponential delay. Jobs that fail together (a batch refused, Postgres away for a
 * moment) would otherwise come back together, at 1 s, 2 s, 4 s …, and meet the same fate together.
 */
export const RETRY_JITTER = 0.5;
