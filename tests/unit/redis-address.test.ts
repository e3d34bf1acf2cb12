import { describe, expect, it } from 'vitest';
import { describeRedis, isClusterAddress, parseHostPorts, redisAddressOf } from '../../src/redis.js';

describe('Redis addresses (REDIS_URL, REDIS_SENTINELS or REDIS_CLUSTER_NODES)', () => {
  it('is REDIS_URL when no sentinels are given', () => {
    expect(redisAddressOf({ REDIS_URL: 'redis://h:1/2', REDIS_SENTINELS: '', REDIS_SENTINEL_NAME: 'm' })).toBe(
      'redis://h:1/2',
    );
  });

  it('is the sentinel set, with REDIS_URL giving the password and database', () => {
    expect(
      redisAddressOf({
        REDIS_URL: 'redis://:s%40cret@ignored:6379/3',
        REDIS_SENTINELS: 's1:26379, [::1]:26380',
        REDIS_SENTINEL_NAME: 'queue',
      }),
    ).toEqual({
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'queue',
      password: 's@cret',
      db: 3,
    });
  });

  it('is the cluster when REDIS_CLUSTER_NODES is set, with REDIS_URL giving the password', () => {
    const address = redisAddressOf({
      REDIS_URL: 'redis://:pw@ignored:6379/3',
      REDIS_SENTINELS: '',
      REDIS_SENTINEL_NAME: 'm',
      REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001',
    });
    expect(address).toEqual({
      cluster: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      password: 'pw',
    });
    expect(isClusterAddress(address)).toBe(true);
    expect(
      redisAddressOf({
        REDIS_URL: 'rediss://queue:pw@ignored:6380',
        REDIS_SENTINEL_NAME: 'm',
        REDIS_CLUSTER_NODES: 'n1:7000',
      }),
    ).toEqual({ cluster: [{ host: 'n1', port: 7000 }], password: 'pw', username: 'queue', tls: true });
    expect(describeRedis(address)).toBe('the Redis Cluster of 10.0.0.1:7000,10.0.0.2:7001');
  });

  it.each(['s1', 's1:0', 's1:70000', ':26379'])('refuses %j', (entry) => {
    expect(() => parseHostPorts(entry)).toThrow(/host:port/);
  });

  it('describes where it points, never with a password', () => {
    expect(describeRedis('redis://:pw@cache:6380')).toBe('cache:6380');
    expect(describeRedis({ sentinels: [{ host: 'a', port: 1 }], name: 'm', password: 'pw' })).toBe(
      'the master "m" of Sentinel a:1',
    );
  });
});
