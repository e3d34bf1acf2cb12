import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';
import { TEST_REDIS_URL } from '../support/harness.js';

// A taken port is a setting to change: the API says so in one line and exits with the code the
// supervisor does not restart (78), instead of a stack trace every second.
let db: TestDatabase;
let blocker: Server;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  blocker = createServer();
  blocker.listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  port = (blocker.address() as { port: number }).port;
});

afterAll(async () => {
  blocker?.close();
  await db?.drop();
});

describe('the API on a port that is already taken', () => {
  it('says which port and what to do in one line, with no stack trace, and exits 78', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/bin/api.ts')], {
      cwd: projectRoot,
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `test-port-${process.pid}`,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        DEMO: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(78);
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('reply-desk api: port'))).toEqual([
      `reply-desk api: port ${port} on 127.0.0.1 is already in use (another Reply Desk, or another program). ` +
        `Stop what listens there, or start with another PORT (e.g. PORT=${port + 100}).`,
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
