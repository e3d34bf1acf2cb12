#!/usr/bin/env node
/*
 * `npm run build` / `npm start`'s build: the server (tsc into dist/) and the browser scripts
 * (scripts/build-widget.mjs), each only when what it is built from has changed.
 *
 * tsc --incremental alone still parses every file and its types on each run (seconds, more on a busy
 * machine), so the server build is skipped outright when a hash of src/, workers/, tsconfig.json and
 * package-lock.json equals the one recorded after the last successful build (dist/.tsc-inputs.json)
 * and its entry files are in place. Contents are hashed, not mtimes, so a checkout or a copy that
 * touches files without changing them costs nothing, and a change is never missed for a clock's sake.
 * When it does run, tsc is incremental (dist/.tsbuildinfo) and recompiles only what a change reaches.
 *
 *   node scripts/build.mjs [--force]
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const recordFile = join(dist, '.tsc-inputs.json');
const force = process.argv.includes('--force');
// What tsc reads (tsconfig.json includes src and workers; the lockfile pins TypeScript and the types).
const INPUT_DIRS = ['src', 'workers'];
const INPUT_FILES = ['tsconfig.json', 'package-lock.json'];
// Any of these missing means dist/ was cleaned or half-built: build.
const OUTPUTS = ['src/bin/start.js', 'src/bin/api.js', 'src/bin/cli.js', 'workers/main.js'];

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await filesUnder(path)));
    else if (e.isFile()) files.push(path);
  }
  return files;
}

async function hashServerInputs() {
  const files = [
    ...(await Promise.all(INPUT_DIRS.map((d) => filesUnder(join(root, d))))).flat(),
    ...INPUT_FILES.map((f) => join(root, f)),
  ].sort();
  const hash = createHash('sha256');
  for (const path of files) {
    const bytes = await readFile(path).catch(() => null);
    hash.update(`${relative(root, path)}\0${bytes ? createHash('sha256').update(bytes).digest('hex') : 'missing'}\0`);
  }
  return hash.digest('hex');
}

async function serverUpToDate(hash) {
  const record = await readFile(recordFile, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => null);
  if (record?.hash !== hash) return false;
  for (const out of OUTPUTS) if (!(await stat(join(dist, out)).catch(() => null))) return false;
  return true;
}

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const started = Date.now();
const hash = await hashServerInputs();
if (!force && (await serverUpToDate(hash))) {
  process.stdout.write('build: server up to date (dist/); --force rebuilds\n');
} else {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  run([tsc, '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join(dist, '.tsbuildinfo')]);
  // Recorded only after tsc succeeded; the hash is of the inputs as they were before it ran, so an
  // edit made during the build is seen next time.
  await mkdir(dist, { recursive: true });
  const tmp = `${recordFile}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify({ hash }) + '\n');
  await rename(tmp, recordFile);
  process.stdout.write(`build: server compiled into dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
run([join(root, 'scripts', 'build-widget.mjs'), ...(force ? ['--force'] : [])]);
