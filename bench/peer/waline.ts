import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, spawnNode, type Child } from '../lib/children.js';
import { npmFailure, readWalineAnswer } from './peer-figures.js';

/*
 * Waline's server (@waline/vercel) as the bench's peer: installed from npm into a temporary folder (never
 * a dependency of ours), on its own database in the same Postgres with Waline's own schema, started as
 * its Docker image starts it (`node vanilla.js`, its production environment, one worker). Every step
 * throws an Error whose message is the one line the bench prints when the peer cannot run.
 */

const schemaFile = join(import.meta.dirname, 'waline-schema.sql');

/** Installs @waline/vercel@version with npm into a new temporary folder; returns the folder. */
export async function installWaline(version: string, timeoutMs: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'reply-desk-bench-waline-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true }));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        'npm',
        // --prefer-offline: a second bench run installs from npm's cache (minutes less); --ignore-scripts:
        // the two install scripts in its tree build SQLite bindings and print a banner, neither used here.
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--omit=dev',
          '--prefer-offline',
          '--ignore-scripts',
          '--loglevel=error',
          `@waline/vercel@${version}`,
        ],
        { cwd: dir, timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 },
        (err, _stdout, stderr) => {
          if (!err) return resolve();
          const why = err.killed ? `timed out after ${timeoutMs / 1000} s` : npmFailure(stderr || err.message);
          reject(new Error(`npm install @waline/vercel@${version} failed: ${why}`));
        },
      );
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** The installed package's entry file (its Docker image's command), checked to be there. */
export function walineEntry(dir: string): string {
  const entry = join(dir, 'node_modules', '@waline', 'vercel', 'vanilla.js');
  if (!existsSync(entry)) throw new Error(`the installed @waline/vercel has no vanilla.js (looked in ${entry})`);
  return entry;
}

/** Creates Waline's database (dropping a leftover of the same name) with its tables. */
export async function createWalineDatabase(adminUrl: string, dbName: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${pg.escapeIdentifier(dbName)} with (force)`);
    await admin.query(`create database ${pg.escapeIdentifier(dbName)}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const db = new pg.Client({ connectionString: u.toString() });
  await db.connect();
  try {
    await db.query(readFileSync(schemaFile, 'utf8'));
  } finally {
    await db.end();
  }
  return u.toString();
}

/**
 * Waline fetches its list of OAuth providers (OAUTH_URL, by default https://oauth.lithub.cc) on every
 * request and answers 502 without it. The bench has no internet, so this serves the list, empty, from
 * loopback: the fetch stays in Waline's path at a loopback round trip's cost, far below a real one's.
 */
export async function startOauthStub(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"services":[]}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WalineOptions {
  entry: string;
  dbUrl: string;
  oauthUrl: string;
  logFile: string;
}

/**
 * Starts Waline on a free loopback port and waits until one comment posts and is stored. The environment
 * is what makes the comparison fair (README Performance): Akismet off (AKISMET_KEY=false: no network, and
 * our bench runs no remote spam check either), IPQPS=0 (its one-comment-per-IP window, default 60 s; the
 * query behind it still runs on every comment, as our limits count every comment with limits no run
 * reaches), no audit (comments approved, as the bench sites auto-approve), no captcha, no mail.
 */
export async function startWaline(o: WalineOptions): Promise<{ child: Child; url: string }> {
  const port = await freePort();
  const db = new URL(o.dbUrl);
  const child = await spawnNode('waline', join(o.entry, '..'), {
    file: o.entry,
    args: [String(port)],
    plainNode: true,
    logFile: o.logFile,
    env: {
      PG_HOST: db.hostname,
      PG_PORT: db.port || '5432',
      PG_DB: decodeURIComponent(db.pathname.slice(1)),
      PG_USER: decodeURIComponent(db.username) || 'postgres',
      // Waline signs its tokens with PG_PASSWORD when JWT_TOKEN is unset; trust auth ignores it.
      PG_PASSWORD: decodeURIComponent(db.password) || 'bench',
      AKISMET_KEY: 'false',
      IPQPS: '0',
      COMMENT_AUDIT: 'false',
      OAUTH_URL: o.oauthUrl,
      SITE_URL: 'http://127.0.0.1',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null) throw new Error(`Waline exited (code ${child.proc.exitCode}); see ${o.logFile}`);
    try {
      const res = await fetch(`${url}/api/comment`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.1' },
        body: JSON.stringify({
          url: '/bench-ready',
          comment: `ready ${Date.now()}`,
          nick: 'Bench',
          mail: '',
          link: '',
        }),
      });
      const answer = readWalineAnswer(res.status, await res.text());
      if (answer.stored) return { child, url };
      last = answer.reason;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  await child.stop();
  throw new Error(`Waline did not store a comment within 60 s (last: ${last}); see ${o.logFile}`);
}

/** Rows in Waline's comment table. */
export async function countWalineComments(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: number }>('select count(*)::int as n from wl_comment');
  return rows[0]!.n;
}
