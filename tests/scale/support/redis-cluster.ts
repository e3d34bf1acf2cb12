import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { RedisClusterAddress } from '../../../src/redis.js';
import { startPrivateRedis, type PrivateRedis } from '../../support/private-redis.js';

const run = promisify(execFile);

/**
 * A real Redis Cluster on loopback (issue 18, items 1 and 5): three masters and three replicas, each
 * a redis-server child of the test process in a directory of its own, joined by `redis-cli --cluster
 * create`. A master that stops answering is failed after `cluster-node-timeout` (1 s here, 15 s by
 * default) and one of its replicas promoted, as in production, only faster.
 */
export interface RedisClusterSet {
  nodes: PrivateRedis[];
  address: RedisClusterAddress;
  /** The port of the master that serves `key`'s slot now, as a living node reports it. */
  masterPortOf(key: string): Promise<number>;
  /** The ports of `masterPort`'s replicas, as the cluster knew them last. */
  replicaPortsOf(masterPort: number): Promise<number[]>;
  destroy(): Promise<void>;
}

/** The cluster's view from the first node that answers. */
async function ask<T>(nodes: PrivateRedis[], f: (r: Redis) => Promise<T>): Promise<T> {
  let last: unknown;
  for (const n of nodes) {
    const r = new Redis(n.url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    r.on('error', () => {});
    try {
      await r.connect();
      return await f(r);
    } catch (err) {
      last = err;
    } finally {
      r.disconnect();
    }
  }
  throw new Error(`no cluster node answered: ${String(last)}`);
}

/** `CLUSTER NODES` lines as id, port, role, master id and link state. */
function parseNodes(text: string): { id: string; port: number; master: boolean; masterId: string; fail: boolean }[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [id = '', addr = '', flags = '', masterId = ''] = line.split(' ');
      return {
        id,
        port: Number(/:(\d+)@/.exec(addr)?.[1] ?? 0),
        master: flags.split(',').includes('master'),
        masterId,
        fail: /fail/.test(flags),
      };
    });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startRedisCluster(): Promise<RedisClusterSet> {
  const nodes: PrivateRedis[] = [];
  try {
    for (let i = 0; i < 6; i++)
      nodes.push(
        await startPrivateRedis({
          extraArgs: [
            '--cluster-enabled',
            'yes',
            // Relative to the node's own --dir, so six nodes never share one.
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '1000',
          ],
        }),
      );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    // Every node must see the whole cluster as ok, and every replica must be in sync, before a
    // failover can promote it.
    for (const n of nodes) {
      await waitUntil(
        `cluster_state:ok on ${n.port}`,
        () => ask([n], async (r) => /cluster_state:ok/.test(await r.call('CLUSTER', 'INFO').then(String))),
        30_000,
      );
    }
    await waitUntil(
      'replicas in sync',
      async () => {
        const all = parseNodes(String(await ask(nodes, (r) => r.call('CLUSTER', 'NODES'))));
        if (all.filter((x) => x.master).length !== 3) return false;
        for (const replica of all.filter((x) => !x.master)) {
          const node = nodes.find((n) => n.port === replica.port);
          if (!node) return false;
          const info = await ask([node], (r) => r.info('replication'));
          if (!/master_link_status:up/.test(info)) return false;
        }
        return true;
      },
      30_000,
    );
  } catch (err) {
    for (const n of nodes) await n.destroy();
    throw err;
  }
  return {
    nodes,
    address: { cluster: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })) },
    async masterPortOf(key) {
      return ask(nodes, async (r) => {
        const slot = Number(await r.call('CLUSTER', 'KEYSLOT', key));
        const ranges = (await r.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]]][];
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`slot ${slot} is not served`);
        return Number(range[2][1]);
      });
    },
    async replicaPortsOf(masterPort) {
      const all = parseNodes(String(await ask(nodes, (r) => r.call('CLUSTER', 'NODES'))));
      const master = all.find((x) => x.port === masterPort);
      return all.filter((x) => master !== undefined && x.masterId === master.id).map((x) => x.port);
    },
    async destroy() {
      for (const n of nodes) await n.destroy();
    },
  };
}
