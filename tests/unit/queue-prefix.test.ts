import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { hashTagOf, queuePrefixProblem, toClusterPrefix } from '../../src/queue/queue-prefix.js';

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
