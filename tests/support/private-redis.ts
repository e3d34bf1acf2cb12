import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './private-postgres.js';

/**
 * A Redis server of one test's own, for tests that take Redis away: the shared one on 6379 carries
 * every other test file's queues and must never go down.
 */
export interface PrivateRedis {
  url: string;
  port: number;
  /** SIGTERM: Redis flushes its append-only file and exits. */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (with appendonly, the data comes back). */
  start(): Promise<void>;
  /** SIGKILL: what survives is what was already fsynced. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: the server keeps its connections but answers nothing while paused. */
  pause(): void;
  resume(): void;
  /** Stops it and deletes its directory. */
  destroy(): Promise<void>;
}

export interface PrivateRedisOptions {
  /** Keep an append-only file so a restart keeps the queue. @defaultValue false */
  appendonly?: boolean;
  /** fsync policy of the append-only file. @defaultValue always */
  appendfsync?: 'always' | 'everysec';
  /** More redis-server arguments, e.g. `['--replicaof', '127.0.0.1', '6380']`. */
  extraArgs?: string[];
}

/** redis-server on a free loopback port, as a child of the test process (not daemonized). */
export async function startPrivateRedis(opts: PrivateRedisOptions = {}): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'rd-private-redis-'));
  const port = await findFreePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--appendonly',
    opts.appendonly ? 'yes' : 'no',
    '--appendfsync',
    opts.appendfsync ?? 'always',
    // notice, not warning: the ready line is how start() knows the server answers.
    '--loglevel',
    'notice',
    ...(opts.extraArgs ?? []),
  ];
  let child: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    if (child !== null) throw new Error('private Redis is already running');
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        output += d.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('error', reject);
      proc.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before ready:\n${output}`)));
    });
    proc.once('exit', () => {
      if (child === proc) child = null;
    });
  };

  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (proc === null || proc.exitCode !== null || proc.signalCode !== null) {
      child = null;
      return;
    }
    const exited = once(proc, 'exit');
    proc.kill('SIGCONT'); // a paused server cannot act on SIGTERM
    proc.kill(sig);
    await exited;
    child = null;
  };

  const killOnExit = (): void => {
    child?.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () => signal('SIGTERM'),
    start,
    kill: () => signal('SIGKILL'),
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async destroy() {
      process.off('exit', killOnExit);
      await signal('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
