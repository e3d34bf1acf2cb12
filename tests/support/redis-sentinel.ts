import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { RedisSentinelAddress } from '../../src/redis.js';
import { findFreePort } from './private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';

/**
 * A real Sentinel set on loopback (issue 18, item 2): a master, one replica and three sentinels
 * (quorum 2), each a redis-server child of the test process. A dead master is noticed after a second
 * (down-after-milliseconds) and its replica promoted, as in production, only faster.
 */
export interface SentinelSet {
  name: string;
  master: PrivateRedis;
  replica: PrivateRedis;
  address: RedisSentinelAddress;
  /** The master's port as the sentinels report it now. */
  masterPort(): Promise<number>;
  destroy(): Promise<void>;
}

async function startSentinel(
  dir: string,
  name: string,
  masterPort: number,
): Promise<{ port: number; child: ChildProcess }> {
  const port = await findFreePort();
  const conf = join(dir, `sentinel-${port}.conf`);
  // Sentinel rewrites its own file (what it learns of replicas and epochs), so each has one.
  await writeFile(
    conf,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      `sentinel parallel-syncs ${name} 1`,
      '',
    ].join('\n'),
  );
  const child = spawn('redis-server', [conf, '--sentinel'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('+monitor master')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sentinel exited with ${code} before monitoring:\n${output}`)));
  });
  return { port, child };
}

export async function startSentinelSet(name = 'rdmaster'): Promise<SentinelSet> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-sentinel-'));
  const master = await startPrivateRedis();
  const replica = await startPrivateRedis({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
  // The replica must be in sync before a failover can promote it.
  const probe = new Redis(replica.url, { maxRetriesPerRequest: 1 });
  try {
    for (let i = 0; ; i++) {
      const info = await probe.info('replication');
      if (/master_link_status:up/.test(info)) break;
      if (i > 100) throw new Error(`the replica never synced:\n${info}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    probe.disconnect();
  }
  const sentinels: { port: number; child: ChildProcess }[] = [];
  for (let i = 0; i < 3; i++) sentinels.push(await startSentinel(dir, name, master.port));
  const address: RedisSentinelAddress = {
    sentinels: sentinels.map((s) => ({ host: '127.0.0.1', port: s.port })),
    name,
  };
  return {
    name,
    master,
    replica,
    address,
    async masterPort() {
      const s = new Redis({ host: '127.0.0.1', port: sentinels[0]!.port, maxRetriesPerRequest: 1 });
      try {
        const [, port] = (await s.call('SENTINEL', 'get-master-addr-by-name', name)) as [string, string];
        return Number(port);
      } finally {
        s.disconnect();
      }
    },
    async destroy() {
      for (const s of sentinels) {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          const exited = once(s.child, 'exit');
          s.child.kill('SIGKILL');
          await exited;
        }
      }
      await master.destroy();
      await replica.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
