import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, lookUpPostgresUser } from '../../support/private-postgres.js';

/** Debian's package puts the binary outside a normal user's PATH. */
export const PGBOUNCER_BIN = '/usr/sbin/pgbouncer';

/** PgBouncer of a test's own in front of a private Postgres, on a free loopback port. */
export interface PgBouncer {
  /** URL of `reply_desk` through PgBouncer. */
  url: string;
  port: number;
  /** Kills the process (SIGKILL: every client and server connection drops) and starts it again on the same port. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`pgbouncer not listening on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * pool_mode=transaction with a server pool smaller than the clients' pools, so server connections are
 * really shared between clients (as with dozens of processes in production). pg sends statement_timeout
 * and idle_in_transaction_session_timeout as startup parameters, which PgBouncer 1.18 refuses unless told
 * to ignore them (README Scale-out says how to keep the timeouts then).
 */
export async function startPgBouncer(postgresPort: number, opts: { serverPool?: number } = {}): Promise<PgBouncer> {
  if (!existsSync(PGBOUNCER_BIN))
    throw new Error(
      `${PGBOUNCER_BIN} is missing: apt-get install pgbouncer (bash .ci/run does, without starting its service)`,
    );
  const dir = await mkdtemp(join(tmpdir(), 'rd-pgbouncer-'));
  const port = await findFreePort();
  await writeFile(join(dir, 'userlist.txt'), '"postgres" ""\n');
  await writeFile(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `reply_desk = host=127.0.0.1 port=${postgresPort} dbname=reply_desk`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      `unix_socket_dir = ${dir}`,
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${opts.serverPool ?? 4}`,
      'max_client_conn = 500',
      'ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      'admin_users = postgres',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = await lookUpPostgresUser();
    for (const f of ['', 'userlist.txt', 'pgbouncer.ini']) await chown(join(dir, f), uid, gid);
  }
  const ini = join(dir, 'pgbouncer.ini');
  // PgBouncer refuses to run as root: in CI it switches to `postgres` itself (-u), so the process we
  // signal is PgBouncer's own (runuser would take a SIGKILL and leave PgBouncer running).
  const args = asRoot ? ['-u', 'postgres', ini] : [ini];
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(PGBOUNCER_BIN, args, { stdio: 'ignore' });
    await listening(port, 10_000).catch(async (err: Error) => {
      const tail = (await readFile(join(dir, 'pgbouncer.log'), 'utf8').catch(() => '')).split('\n').slice(-20);
      throw new Error(`${err.message}:\n${tail.join('\n')}`);
    });
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  };
  const killOnExit = (): void => void child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/reply_desk`,
    port,
    async restart() {
      await kill();
      await start();
    },
    async destroy() {
      process.off('exit', killOnExit);
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
