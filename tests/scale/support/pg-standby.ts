import { execFile, spawn, spawnSync } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { command, findFreePort, lookUpPostgresUser } from '../../support/private-postgres.js';

const run = promisify(execFile);

/** A streaming replica of a test's own primary, made with pg_basebackup, on a free loopback port. */
export interface Standby {
  /** URL of its `reply_desk` database (read-only: a hot standby). */
  url: string;
  port: number;
  /** `pg_wal_replay_pause()`: the replica keeps receiving WAL but applies none of it. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Stops it at once (`immediate`), as a crash would. */
  stop(): void;
  destroy(): Promise<void>;
}

async function onReplica(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Copies the primary at `primaryPort` (a private cluster from tests/support/private-postgres.ts: its
 * initdb already allows replication from 127.0.0.1, and wal_level is `replica` by default) with
 * `pg_basebackup -R`, which writes standby.signal and primary_conninfo, and starts it as a hot standby.
 */
export async function startStandby(primaryPort: number): Promise<Standby> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-standby-pg-'));
  if (process.getuid?.() === 0) {
    const { uid, gid } = await lookUpPostgresUser();
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await findFreePort();
  const [bbBin, bbArgs] = command('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    data,
    '-R',
    '-X',
    'stream',
    // Its default, a spread checkpoint, paces the just-migrated database's writes over minutes.
    '--checkpoint=fast',
    '--no-sync',
  ]);
  await run(bbBin, bbArgs);
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c hot_standby=on',
    '-c max_connections=100',
    '-c shared_buffers=16MB',
  ].join(' ');
  const [ctlBin, ctlArgs] = command('pg_ctl', ['-D', data, 'start', '-w', '-t', '30', '-l', log, '-o', options]);
  const child = spawn(ctlBin, ctlArgs, { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
    throw new Error(`standby did not start (${code}):\n${tail}`);
  }
  const stopNow = (): void => {
    const [bin, args] = command('pg_ctl', ['-D', data, 'stop', '-m', 'immediate']);
    spawnSync(bin, args, { stdio: 'ignore' });
  };
  process.once('exit', stopNow);
  const url = `postgres://postgres@127.0.0.1:${port}/reply_desk`;
  return {
    url,
    port,
    pauseReplay: () => onReplica(url, 'select pg_wal_replay_pause()'),
    resumeReplay: () => onReplica(url, 'select pg_wal_replay_resume()'),
    stop: stopNow,
    async destroy() {
      process.off('exit', stopNow);
      stopNow();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
