import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/** Every process the bench started, so a failure or Ctrl+C can stop them all. */
const running = new Set<ChildProcess>();

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** A .ts file run through tsx, relative to the project root, or an absolute path. */
  file: string;
  args?: string[];
  env?: Record<string, string>;
  /** Where stdout and stderr go (appended). */
  logFile: string;
  /** Resolve only after the child sends 'ready' over IPC. */
  waitReady?: boolean;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Run the file with plain node, without the tsx loader (a peer's own JavaScript). Default: through tsx. */
  plainNode?: boolean;
  /** Capture stdout in memory instead of the log file (JSON results of load generators). */
  captureStdout?: boolean;
}

export async function spawnNode(
  name: string,
  root: string,
  opts: SpawnOptions,
): Promise<Child & { stdout: () => string }> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const proc = spawn(
    process.execPath,
    [
      ...(opts.nodeFlags ?? []),
      ...(opts.plainNode ? [] : ['--import', 'tsx']),
      resolve(root, opts.file),
      ...(opts.args ?? []),
    ],
    {
      cwd: root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  running.add(proc);
  let out = '';
  if (opts.captureStdout) proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  else proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => {
    proc.on('exit', (code) => {
      running.delete(proc);
      resolve(code);
    });
  });
  if (opts.waitReady) {
    const ready = new Promise<void>((resolve) => proc.on('message', (m) => m === 'ready' && resolve()));
    const died = exited.then((code) => {
      throw new Error(`${name} exited (code ${code}) before it was ready; see ${opts.logFile}`);
    });
    await Promise.race([ready, died]);
  }
  return {
    name,
    proc,
    pid: proc.pid!,
    exited,
    stdout: () => out,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Stops every child still running: SIGTERM, then SIGKILL after a few seconds. */
export async function stopAllChildren(): Promise<void> {
  const procs = [...running];
  for (const p of procs) p.kill('SIGTERM');
  await Promise.race([
    Promise.all(procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null : once(p, 'exit')))),
    new Promise((r) => setTimeout(r, 8000)),
  ]);
  for (const p of running) p.kill('SIGKILL');
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as AddressInfo;
  srv.close();
  return port;
}

/** Resident set size now and at its peak (VmHWM), in MB, from /proc; null once the process is gone. */
export function readRss(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; for "flat while draining". */
export function sampleRss(pid: number, everyMs = 1000): { stop(): { samples: number[]; peakMb: number } } {
  const samples: number[] = [];
  let peak = 0;
  const take = () => {
    const r = readRss(pid);
    if (r) {
      samples.push(Math.round(r.rssMb));
      peak = Math.max(peak, r.peakMb);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { samples, peakMb: Math.round(peak) };
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A process's children (e.g. the worker a cluster master forked), from /proc. */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
