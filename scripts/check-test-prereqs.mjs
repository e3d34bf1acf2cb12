#!/usr/bin/env node
/*
 * Run before the tests (npm's "pretest"): makes sure what the suites need from outside Node is there,
 * so a missing piece is one clear line here instead of dozens of timeouts later.
 *
 * - Chromium for tests/e2e (CHROMIUM_PATH, default /usr/bin/chromium). As root with apt-get at hand it
 *   is installed on the spot, since that is what any fresh container needs; otherwise we say how.
 * - Postgres (TEST_DATABASE_URL, default 127.0.0.1:5432) and Redis (TEST_REDIS_URL, default
 *   127.0.0.1:6379) accepting TCP connections. Only the port is tried: credentials and databases are
 *   the test setup's business, and it reports those itself.
 * - The scale tests' engines: Postgres 15's initdb, pg_ctl and pg_basebackup, PgBouncer (installed
 *   on the spot as root with apt-get, its system service kept from starting), and redis-server and
 *   redis-cli of Redis 5 or later (Sentinel and `redis-cli --cluster create`).
 *
 * Plain Node, no dependencies: it must run before `npm install` has been trusted to do anything.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';

const CONNECT_TIMEOUT_MS = 2000;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL_CHROMIUM = 'apt-get update && apt-get install -y --no-install-recommends chromium';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a command with its output shown; true when it succeeded. */
function run(command, args) {
  console.log(`check-test-prereqs: running ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** Chromium present, or installed now when we may; otherwise one line saying how. */
function ensureChromium() {
  if (isExecutable(chromiumPath)) return true;
  // Installing only makes sense for the default path: a custom CHROMIUM_PATH is the user's choice.
  const mayInstall =
    process.env.CHROMIUM_PATH === undefined &&
    typeof process.getuid === 'function' &&
    process.getuid() === 0 &&
    hasCommand('apt-get');
  if (mayInstall) {
    console.log(
      `check-test-prereqs: Chromium is missing at ${chromiumPath}; installing the Debian package (this takes a minute)…`,
    );
    if (
      run('apt-get', ['update']) &&
      run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) &&
      isExecutable(chromiumPath)
    ) {
      console.log(`check-test-prereqs: Chromium installed at ${chromiumPath}.`);
      return true;
    }
    console.error(
      `check-test-prereqs: installing Chromium failed; run '${INSTALL_CHROMIUM}' by hand, or set CHROMIUM_PATH.`,
    );
    return false;
  }
  console.error(
    `check-test-prereqs: Chromium not found at ${chromiumPath}; install it with 'sudo sh -c "${INSTALL_CHROMIUM}"' or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
  );
  return false;
}

/**
 * The scale tests' engines (npm run test:scale, the end of npm test): PgBouncer from Debian's package,
 * and Postgres' own initdb / pg_basebackup, which every Postgres 15 install has. PgBouncer is installed
 * now when we may, as Chromium is; Debian's package would start a system PgBouncer on 6432, so a
 * policy-rc.d that refuses service starts is in place while it installs (as in .ci/run).
 */
const PGBOUNCER = '/usr/sbin/pgbouncer';
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
function ensureScaleEngines() {
  let ok = true;
  for (const tool of ['initdb', 'pg_ctl', 'pg_basebackup']) {
    if (!isExecutable(`${POSTGRES_BIN}/${tool}`)) {
      ok = false;
      console.error(
        `check-test-prereqs: ${POSTGRES_BIN}/${tool} not found (the scale tests start their own Postgres 15); install postgresql-15.`,
      );
    }
  }
  // tests/scale/redis-sentinel.test.ts and redis-cluster.test.ts start their own servers on free ports.
  for (const [tool, pkg] of [
    ['redis-server', 'redis-server'],
    ['redis-cli', 'redis-tools'],
  ]) {
    if (!hasCommand(tool)) {
      ok = false;
      console.error(
        `check-test-prereqs: ${tool} not found (the scale tests start their own Redis Sentinel and Cluster); install it with 'sudo apt-get install -y ${pkg}'.`,
      );
    } else if (
      tool === 'redis-cli' &&
      !/^redis-cli ([5-9]|\d{2,})\./.test(spawnSync(tool, ['--version']).stdout?.toString() ?? '')
    ) {
      ok = false;
      console.error(
        `check-test-prereqs: redis-cli is older than 5 and cannot create a cluster (tests/scale/redis-cluster.test.ts); install a newer redis-tools.`,
      );
    }
  }
  if (isExecutable(PGBOUNCER)) return ok;
  const mayInstall = typeof process.getuid === 'function' && process.getuid() === 0 && hasCommand('apt-get');
  if (mayInstall) {
    console.log(
      'check-test-prereqs: PgBouncer is missing; installing the Debian package (its service kept from starting)…',
    );
    const policy = '/usr/sbin/policy-rc.d';
    const addPolicy = !existsSync(policy);
    if (addPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    try {
      if (run('apt-get', ['install', '-y', '--no-install-recommends', 'pgbouncer']) && isExecutable(PGBOUNCER))
        return ok;
    } finally {
      if (addPolicy) rmSync(policy, { force: true });
    }
  }
  console.error(
    `check-test-prereqs: PgBouncer not found at ${PGBOUNCER} (tests/scale/pgbouncer.test.ts); install it with 'sudo apt-get install -y pgbouncer' (then 'sudo systemctl disable --now pgbouncer': the test starts its own).`,
  );
  return false;
}

/** Host and port from a URL in the environment, else the defaults. */
function endpoint(envName, defaultHost, defaultPort) {
  const raw = process.env[envName];
  if (!raw) return { host: defaultHost, port: defaultPort };
  try {
    const u = new URL(raw);
    // URL keeps IPv6 hosts in brackets; net.connect wants them bare.
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || defaultHost;
    return { host, port: u.port ? Number(u.port) : defaultPort };
  } catch {
    return { host: defaultHost, port: defaultPort };
  }
}

/** Resolves true when something accepts a TCP connection there within the timeout. */
function canConnect({ host, port }) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function main() {
  const postgres = endpoint('TEST_DATABASE_URL', '127.0.0.1', 5432);
  const redis = endpoint('TEST_REDIS_URL', '127.0.0.1', 6379);
  const [postgresUp, redisUp] = await Promise.all([canConnect(postgres), canConnect(redis)]);
  let ok = true;
  if (!postgresUp) {
    ok = false;
    console.error(
      `check-test-prereqs: Postgres is not accepting connections at ${postgres.host}:${postgres.port} (TEST_DATABASE_URL); start it with 'pg_ctlcluster --skip-systemctl-redirect 15 main start'.`,
    );
  }
  if (!redisUp) {
    ok = false;
    console.error(
      `check-test-prereqs: Redis is not accepting connections at ${redis.host}:${redis.port} (TEST_REDIS_URL); start it with 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'.`,
    );
  }
  if (!ensureChromium()) ok = false;
  if (!ensureScaleEngines()) ok = false;
  if (!ok) process.exit(1);
}

await main();
