import { describe, expect, it } from 'vitest';
import { durabilityWarnings } from '../../src/service-checks.js';

describe('durabilityWarnings', () => {
  it('a stock Redis (appendonly no) gets one line: what, why it matters, the command that fixes it', () => {
    const warnings = durabilityWarnings({ maxmemoryPolicy: 'noeviction', appendonly: 'no' }, 'redis://127.0.0.1:6379');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).not.toContain('\n');
    expect(warnings[0]).not.toContain('!!!');
    expect(warnings[0]).toMatch(/without its append-only file/);
    expect(warnings[0]).toMatch(/restart loses comments/);
    expect(warnings[0]).toContain('Fix: redis-cli config set appendonly yes');
  });

  it('an evicting Redis gets one line with the policy it has and the command for noeviction', () => {
    const warnings = durabilityWarnings(
      { maxmemoryPolicy: 'allkeys-lru', appendonly: 'yes' },
      'redis://cache.internal:6380',
    );
    expect(warnings).toEqual([expect.stringContaining('maxmemory-policy is allkeys-lru')]);
    expect(warnings[0]).toContain('Fix: redis-cli -h cache.internal -p 6380 config set maxmemory-policy noeviction');
  });

  it('both risks give two lines; a durable Redis none', () => {
    expect(durabilityWarnings({ maxmemoryPolicy: 'volatile-lru', appendonly: 'no' }, 'redis://localhost')).toHaveLength(
      2,
    );
    expect(durabilityWarnings({ maxmemoryPolicy: 'noeviction', appendonly: 'yes' }, 'redis://localhost')).toEqual([]);
  });

  it('on a cluster the fix names a node, with -c', () => {
    const warnings = durabilityWarnings(
      { maxmemoryPolicy: 'noeviction', appendonly: 'no' },
      { cluster: [{ host: '10.0.0.5', port: 7002 }] },
    );
    expect(warnings).toEqual([
      expect.stringContaining('Fix: redis-cli -c -h 10.0.0.5 -p 7002 config set appendonly yes'),
    ]);
  });
});
