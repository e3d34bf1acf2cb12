import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  hashTagOf,
  queuePrefixProblem,
  shardPrefix,
  shardSpreadWarning,
  submissionShardsProblem,
  toClusterPrefix,
} from '../../src/queue/queue-prefix.js';

describe('hash tags (how Redis Cluster picks a key slot)', () => {
  it.each([
    ['{reply-desk}:submissions:wait', 'reply-desk'],
    ['rd{a}{b}:x', 'a'],
    ['}{x}', 'x'],
    ['{{x}}', '{x'],
    ['reply-desk:submissions:wait', null],
    ['{}reply-desk:x', null],
    ['reply{desk:x', null],
  ])('%j hashes by %j', (key, tag) => {
    expect(hashTagOf(key)).toBe(tag);
  });
});

describe('the queue prefix on a cluster', () => {
  it.each([
    ['reply-desk', '{reply-desk}'],
    ['rd-test-1:a.b', '{rd-test-1:a.b}'],
    ['{reply-desk}', '{reply-desk}'],
    ['tenant-{a}', 'tenant-{a}'],
    ['{}', '{}'],
  ])('%j becomes %j (braces are the operator’s own choice)', (prefix, clustered) => {
    expect(toClusterPrefix(prefix)).toBe(clustered);
  });

  it.each(['{reply-desk}', 'tenant-{a}', '{a}{b}', '{a}-x'])('%j keeps every queue in one slot', (prefix) => {
    expect(queuePrefixProblem(prefix)).toBeNull();
  });

  it.each(['reply-desk', '{}', '{}x', 'reply{desk', 'reply}desk', '}{'])(
    '%j would spread a queue over slots: one line naming it and a fix',
    (prefix) => {
      const problem = queuePrefixProblem(prefix);
      expect(problem).toContain(`QUEUE_PREFIX=${JSON.stringify(prefix)}`);
      expect(problem).toMatch(/CROSSSLOT/);
      expect(problem).toMatch(/QUEUE_PREFIX=\{[^{}]+\}/);
      expect(problem).not.toContain('\n');
    },
  );

  it('REDIS_CLUSTER_NODES hash-tags a prefix without braces; one server keeps it as it is', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000,b:7001' }).QUEUE_PREFIX).toBe('{reply-desk}');
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', QUEUE_PREFIX: 'x{t}' }).QUEUE_PREFIX).toBe('x{t}');
    expect(loadConfig({}).QUEUE_PREFIX).toBe('reply-desk');
  });

  it('refuses REDIS_CLUSTER_NODES that are not host:port, and a cluster together with sentinels', () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a' })).toThrow(/REDIS_CLUSTER_NODES.*host:port/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:26379' })).toThrow(/not both/);
  });
});

describe('submission shard prefixes (SUBMISSION_SHARDS)', () => {
  it.each([
    ['{reply-desk}', 0, '{reply-desk}'],
    ['{reply-desk}', 1, '{reply-desk-s1}'],
    ['reply-desk', 2, 'reply-desk-s2'],
    ['tenant-{a}', 1, 'tenant-{a-s1}'],
    ['x{a}{b}:y', 3, 'x{a-s3}{b}:y'],
    ['{}rd', 1, '{}rd-s1'],
  ])('%j, shard %i: %j (the suffix inside the hash tag when there is one)', (prefix, shard, expected) => {
    expect(shardPrefix(prefix, shard)).toBe(expected);
  });

  it('on a cluster, every shard of a tagged prefix has a tag of its own, so shards can land on other masters', () => {
    const tags = Array.from({ length: 64 }, (_, i) => hashTagOf(`${shardPrefix('{reply-desk}', i)}:submissions:wait`));
    expect(new Set(tags).size).toBe(64);
    expect(submissionShardsProblem('{reply-desk}', 64, true)).toBeNull();
    expect(submissionShardsProblem('tenant-{a}', 3, true)).toBeNull();
  });

  it('one server without braces: nothing to judge; a broken prefix is refused as QUEUE_PREFIX is', () => {
    expect(submissionShardsProblem('reply-desk', 3, false)).toBeNull();
    expect(submissionShardsProblem('{}rd', 3, true)).toBe(queuePrefixProblem('{}rd'));
    expect(submissionShardsProblem('a{b', 1, false)).toBe(queuePrefixProblem('a{b'));
  });
});

describe('how far the shards spread over a cluster’s masters', () => {
  const on = (...masters: string[]) => masters.map((master, i) => ({ prefix: shardPrefix('{rd}', i), master }));

  it.each([
    ['3 shards on 3 masters', on('a:1', 'b:2', 'c:3'), 3],
    ['4 shards on all 3 masters', on('a:1', 'b:2', 'c:3', 'a:1'), 3],
    ['2 shards on 2 of 3 masters', on('a:1', 'b:2'), 3],
    ['3 shards on the one master there is', on('a:1', 'a:1', 'a:1'), 1],
  ])('%s: no warning', (_what, shards, masters) => {
    expect(shardSpreadWarning(shards, masters)).toBeNull();
  });

  it('3 shards on 2 of 3 masters: one line naming the shards that share one, and what to do', () => {
    const warning = shardSpreadWarning(on('a:1', 'a:1', 'c:3'), 3);
    expect(warning).toBe(
      "SUBMISSION_SHARDS=3: the shards' queues are on 2 of the cluster's 3 masters ({rd} and {rd-s1} share a:1), " +
        'so intake spreads over 2, not 3: a slot follows from the hash tag alone. ' +
        'Another QUEUE_PREFIX, or more shards, spreads them further (README, Scale-out).',
    );
  });
});
