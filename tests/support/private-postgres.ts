import { execFile, spawn, spawnSync } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepareDatabase } from '../../src/store/migrate.js';

/**
 * A Postgres cluster of one test's own, for tests that stop Postgres: the shared server on 5432 serves
 * every other test file at the same time and must never go down.
 */
export interface PrivatePostgres {
  /** URL of the migrated `reply_desk` database. */
  url: string;
  port: number;
  /** Stops the server (`fast`: clients are disconnected, open transactions roll back). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it at once and deletes the cluster. */
  destroy(): Promise<void>;
}

export const BIN = '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

/** A port nothing listens on at this moment (another process could take it before us; rare enough). */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the OS');
  return address.port;
}

// Postgres refuses to run as root, and CI runs tests as root: there, every binary runs as `postgres`.
const asRoot = process.getuid?.() === 0;
export function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', join(BIN, bin), ...args]] : [join(BIN, bin), args];
}

export async function lookUpPostgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * initdb + pg_ctl start on a free loopback port; the unix socket lives in the temp dir so it cannot
 * clash with the system cluster's. fsync is off (these clusters live for one test, and a server crash
 * still leaves the WAL in the OS cache), but synchronous_commit stays on: with it off, a `stop
 * immediate` loses commits the workers were already told about, which is exactly what tests look for.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-private-pg-'));
  if (asRoot) {
    const { uid, gid } = await lookUpPostgresUser();
    await chown(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'postgres.log');
  const port = await findFreePort();

  const [initBin, initArgs] = command('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
    '--no-sync',
    '--no-instructions',
  ]);
  await run(initBin, initArgs);

  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c full_page_writes=off',
    '-c max_connections=100',
    '-c shared_buffers=16MB',
  ].join(' ');
  const pgCtl = async (args: string[]): Promise<void> => {
    const [bin, all] = command('pg_ctl', ['-D', data, ...args]);
    // pg_ctl leaves the server running with our stdio unless it is ignored; its own output goes to the log.
    const child = spawn(bin, all, { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    });
    if (code !== 0) {
      const tail = (await readFile(log, 'utf8').catch(() => '')).split('\n').slice(-20).join('\n');
      throw new Error(`pg_ctl ${args[0]} exited with ${code}:\n${tail}`);
    }
  };
  let running = false;
  const start = async (): Promise<void> => {
    await pgCtl(['start', '-w', '-t', '30', '-l', log, '-o', options]);
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    await pgCtl(['stop', '-w', '-t', '30', '-m', mode]);
    running = false;
  };

  // Should the test process die without destroy(), do not leave a server behind.
  const stopOnExit = (): void => {
    if (!running) return;
    const [bin, args] = command('pg_ctl', ['-D', data, 'stop', '-m', 'immediate']);
    spawnSync(bin, args, { stdio: 'ignore' });
  };
  process.once('exit', stopOnExit);

  await start();
  const url = `postgres://postgres@127.0.0.1:${port}/reply_desk`;
  try {
    await prepareDatabase(url);
  } catch (err) {
    stopOnExit();
    throw err;
  }
  return {
    url,
    port,
    stop,
    start,
    async destroy() {
      process.off('exit', stopOnExit);
      if (running) await stop('immediate').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}
