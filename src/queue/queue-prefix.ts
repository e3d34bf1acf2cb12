/*
 * The queue prefix on Redis Cluster (issue 18, item 1). A cluster places each key in one of 16,384
 * slots by a hash of its name, or of its hash tag: the part between the first `{` and the first `}`
 * after it, when that part is not empty. BullMQ's scripts touch several keys of one queue at once and
 * ours (intake guard, brigade counters, live threads, session lists) several keys of one site, which a
 * cluster allows only within one slot. Every key of ours begins with QUEUE_PREFIX, so a prefix that
 * carries a hash tag puts all of them in one slot; one without spreads them, and the first script
 * fails with CROSSSLOT. Pure rules, used by the configuration and the start-up check.
 */

/** The hash tag Redis hashes `key` by, or null when it hashes the whole name (no tag, or an empty one). */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  if (open < 0) return null;
  const close = key.indexOf('}', open + 1);
  if (close < 0 || close === open + 1) return null;
  return key.slice(open + 1, close);
}

/**
 * The prefix to use on a cluster: a prefix without braces is given a tag of its own name
 * (`reply-desk` → `{reply-desk}`); one with braces is the operator's choice, kept as it is and judged
 * by {@link queuePrefixProblem}. Only on a cluster: on one server the prefix names existing queues,
 * and changing it would orphan their jobs.
 */
export function toClusterPrefix(prefix: string): string {
  return prefix.includes('{') || prefix.includes('}') ? prefix : `{${prefix}}`;
}

/**
 * Keys of the shapes every queue and our own counters have, for the check: BullMQ's lists and hashes
 * of a queue, a job (comment ids are UUIDs) and its lock, and our per-site keys.
 */
const sampleSuffixes = [
  'submissions:wait',
  'submissions:meta',
  'submissions:0b9e7c1e-4d6a-4f7e-9a55-2f0c3b1d8e21',
  'submissions:0b9e7c1e-4d6a-4f7e-9a55-2f0c3b1d8e21:lock',
  'bulk:events',
  'flood:news:ip:203.0.113.9',
  'session:abc',
  'live:thread-log:news',
];

/**
 * Why `prefix` would spread a queue over several cluster slots, in one line, or null when every key
 * under it has the prefix's one hash tag.
 */
export function queuePrefixProblem(prefix: string): string | null {
  const tags = new Set(sampleSuffixes.map((s) => hashTagOf(`${prefix}:${s}`)));
  const [tag] = [...tags];
  if (tags.size === 1 && tag !== null && tag !== undefined && hashTagOf(prefix) === tag) return null;
  return (
    `QUEUE_PREFIX=${JSON.stringify(prefix)} has no complete hash tag of its own (a non-empty {tag} in braces), ` +
    `so on Redis Cluster one queue's keys would spread over several slots and BullMQ's scripts fail with CROSSSLOT. ` +
    `Use e.g. QUEUE_PREFIX={${prefix.replace(/[{}]/g, '') || 'reply-desk'}}, or leave out the braces and Reply Desk adds them.`
  );
}

/**
 * The prefix of submission shard `shard` (SUBMISSION_SHARDS, src/queue/submission-shards.ts). Shard 0
 * is QUEUE_PREFIX itself, so one shard (the default) keeps today's keys and no queued job is orphaned.
 * Another shard's suffix goes inside the hash tag when there is one (`{reply-desk}` → `{reply-desk-s1}`,
 * `tenant-{a}` → `tenant-{a-s1}`): a tag of its own is what lets a cluster put the shard on another
 * slot, and so on another master. Without a tag (one server) it is appended (`reply-desk-s1`).
 */
export function shardPrefix(prefix: string, shard: number): string {
  if (shard === 0) return prefix;
  const suffix = `-s${shard}`;
  if (hashTagOf(prefix) === null) return `${prefix}${suffix}`;
  const close = prefix.indexOf('}', prefix.indexOf('{') + 1);
  return `${prefix.slice(0, close)}${suffix}${prefix.slice(close)}`;
}

/** Every submission shard's prefix, shard 0 (QUEUE_PREFIX itself) first. */
export function submissionShardPrefixes(prefix: string, count: number): string[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => shardPrefix(prefix, i));
}

/**
 * Why the submission shards' prefixes would not work, in one line, or null. Each shard's prefix is
 * judged as QUEUE_PREFIX is (on a cluster, or when it has braces); on a cluster two shards sharing a
 * tag would share a slot, and sharding would buy nothing while looking as if it did.
 */
export function submissionShardsProblem(prefix: string, shards: number, cluster: boolean): string | null {
  const judged = cluster || /[{}]/.test(prefix);
  const prefixes = submissionShardPrefixes(prefix, shards);
  for (const p of prefixes) {
    const problem = judged ? queuePrefixProblem(p) : null;
    if (problem !== null)
      return p === prefix ? problem : `SUBMISSION_SHARDS=${shards}: shard prefix ${JSON.stringify(p)}: ${problem}`;
  }
  if (cluster && new Set(prefixes.map(hashTagOf)).size < prefixes.length)
    return `SUBMISSION_SHARDS=${shards}: the shards' prefixes (${prefixes.join(', ')}) do not all have hash tags of their own, so on Redis Cluster some would share a slot.`;
  return null;
}

/**
 * One line when the submission shards share masters they need not: a slot (and so its master) follows
 * from the hash tag alone, so N shards can sit on fewer masters than min(N, masters), and intake then
 * spreads less than SUBMISSION_SHARDS says. A warning, not a refusal: they still work, and the spread
 * changes with the cluster's slot map. Null when they are as spread as they can be.
 */
export function shardSpreadWarning(
  shards: readonly { prefix: string; master: string }[],
  masters: number,
): string | null {
  const byMaster = new Map<string, string[]>();
  for (const s of shards) byMaster.set(s.master, [...(byMaster.get(s.master) ?? []), s.prefix]);
  const could = Math.min(shards.length, masters);
  if (byMaster.size >= could) return null;
  const shared = [...byMaster]
    .filter(([, ps]) => ps.length > 1)
    .map(([master, ps]) => `${ps.join(' and ')} share ${master}`)
    .join('; ');
  return (
    `SUBMISSION_SHARDS=${shards.length}: the shards' queues are on ${byMaster.size} of the cluster's ${masters} masters (${shared}), ` +
    `so intake spreads over ${byMaster.size}, not ${could}: a slot follows from the hash tag alone. ` +
    `Another QUEUE_PREFIX, or more shards, spreads them further (README, Scale-out).`
  );
}
