import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { deleteQueueKeys, newQueuePrefix, stopProcess, TEST_REDIS_URL, waitFor } from '../support/harness.js';
import { findFreePort } from '../support/private-postgres.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

/*
 * Issue 13, item 11, end to end: the real API process (src/bin/api.ts, which wires the LISTEN) running,
 * `reply-desk site add` in another process, and within a second the new site's origin passes CORS.
 * The API's own refresh is every 5 s, so only the notice can make it in time.
 */

let db: TestDatabase;
let api: ChildProcess | undefined;
let url = '';
const prefix = newQueuePrefix();
const env = (): Record<string, string> => ({ QUEUE_PREFIX: prefix, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL });

beforeAll(async () => {
  db = await createTestDatabase();
  const port = await findFreePort();
  url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/api.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      ...env(),
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      DEMO: 'false',
      SESSION_SECRET: 'site-changes-test-session-secret-32+',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  api = child;
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m) => m === 'ready' && resolve());
    child.on('exit', (code) => reject(new Error(`api exited with ${code} before ready:\n${output}`)));
  });
}, 60_000);

afterAll(async () => {
  if (api) await stopProcess(api, 'SIGKILL');
  await db?.drop();
  await deleteQueueKeys(prefix);
});

async function corsAllows(origin: string): Promise<boolean> {
  const res = await fetch(`${url}/api/comments`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
  return res.headers.get('access-control-allow-origin') === origin;
}

async function cli(...args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/cli.ts'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env() },
    stdio: 'ignore',
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

describe('the API process hears site changes made by the CLI', () => {
  it('reply-desk site add → the new origin passes CORS within 1 s', async () => {
    // The directory LISTENs once it is up: wait for its connection before timing.
    await waitFor('the API listening for site changes', async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and application_name = 'reply-desk site changes' and query ilike 'listen%'`,
      );
      return rows[0]?.n === 1;
    });
    expect(await corsAllows('https://cli.example')).toBe(false);
    expect(await cli('site', 'add', 'cli-site', '--name', 'CLI Site', '--origin', 'https://cli.example')).toBe(0);
    const added = Date.now();
    await waitFor('the CLI-added origin to pass CORS', () => corsAllows('https://cli.example'), 1000, 20);
    console.log(`site added by the CLI passed CORS ${Date.now() - added} ms after the CLI exited`);
  }, 60_000);
});
