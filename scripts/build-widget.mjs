#!/usr/bin/env node
/*
 * Builds the browser side, minified by esbuild into dist/widget/:
 * - widget/loader.ts → embed.<hash>.js, the classic script pages embed, which imports the widget module;
 * - widget/embed.ts → widget.<hash>.js (the thread and the form, its CSS inlined), widget/conversation/main.ts
 *   → conversation.<hash>.js (badges, editors' picks, votes, the sort selector and live updates, imported once
 *   the thread is on screen) and widget/reader/main.ts → reader.<hash>.js (what only signed-in readers and
 *   authors editing need), ES modules built with code splitting: shared.<hash>.js chunks hold what several use,
 *   and every other dynamic import() (languages, the preview) is a file of its own, loaded on demand;
 * - widget/count.ts → count.<hash>.js;
 * and a manifest.json that names the current entries. The API redirects /embed.js and /count.js to the
 * names in the manifest, so the hashed files can be cached for a year while a new build reaches readers
 * within minutes.
 *
 * Content-hashed names make concurrent builds harmless (the same source gives the same bytes), and each
 * file is written to a temporary name and renamed into place, so a server never reads half a file.
 * Files of earlier builds are kept for a day: a page that was sent the old name may still ask for it.
 *
 * It also builds the moderators' desk script, widget/desk/main.ts → dist/desk/admin.js, which the API
 * serves as /assets/admin.js (cached for an hour, as the dashboard's stylesheet is): one stable name,
 * since only our own pages load it.
 *
 * Run as a command it skips both builds when nothing they read has changed since the last one: the
 * files esbuild bundled last time (from its metafile), this script and package-lock.json are hashed
 * into dist/.widget-inputs.json, and an unchanged hash with the outputs still in place means the
 * outputs are what a build would make. `npm start` then spends no time here. --force always builds.
 *
 *   node scripts/build-widget.mjs [--outdir DIR] [--force]
 */
import { build, transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultWidgetDir = join(root, 'dist', 'widget');
export const defaultDeskDir = join(root, 'dist', 'desk');
const inputsFile = join(root, 'dist', '.widget-inputs.json');
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;
// Browsers of the last few years: optional chaining, adoptedStyleSheets, Intl.RelativeTimeFormat.
const BROWSERS = ['es2020', 'chrome91', 'firefox90', 'safari15'];

/**
 * Builds both scripts into `outdir` and returns the manifest and the built files' bytes.
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string, manifest: { embed: string, count: string, reader: string, conversation: string, files: string[] }, files: Record<string, Uint8Array>, inputs: string[], plainThread: string[] }>}
 */
export async function buildWidget(options = {}) {
  const outdir = options.outdir ?? defaultWidgetDir;
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    target: BROWSERS,
    plugins: [minifiedCssText],
    entryNames: '[name].[hash]',
    outdir: 'out',
    write: false,
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  };
  // The widget and every part it imports on demand, in one build with code splitting: each dynamic
  // import() becomes its own content-hashed file, and code two of them use lands once in a shared chunk.
  // They are ES modules (import() loads them); the entries pages embed stay classic scripts.
  const modules = await build({
    ...common,
    entryPoints: {
      widget: 'widget/embed.ts',
      reader: 'widget/reader/main.ts',
      conversation: 'widget/conversation/main.ts',
    },
    format: 'esm',
    splitting: true,
    chunkNames: 'shared.[hash]',
  });
  const plain = plainThreadFiles(modules.metafile);
  const widgetFile = plain[0];
  if (!widgetFile) throw new Error('build-widget: esbuild did not emit the widget module');
  // embed.js preloads all a plain thread needs but the module it imports itself.
  const entries = await build({
    ...common,
    entryPoints: { embed: 'widget/loader.ts', count: 'widget/count.ts' },
    format: 'iife',
    define: { WIDGET_CHUNK: JSON.stringify(widgetFile), PRELOAD_CHUNKS: JSON.stringify(plain.slice(1)) },
  });
  await mkdir(outdir, { recursive: true });
  /** @type {Record<string, string>} */
  const names = {};
  /** @type {Record<string, Uint8Array>} */
  const files = {};
  // The modules before embed.js: no embed.js may name a file that is not in place yet.
  for (const file of [...modules.outputFiles, ...entries.outputFiles]) {
    const name = basename(file.path);
    names[name.split('.')[0]] = name;
    files[name] = file.contents;
    await writeAtomically(join(outdir, name), file.contents);
  }
  if (!names.embed || !names.count || !names.reader || !names.conversation)
    throw new Error('build-widget: esbuild did not emit embed, count, reader and conversation');
  const manifest = {
    embed: names.embed,
    count: names.count,
    reader: names.reader,
    conversation: names.conversation,
    // Every file of this build (the chunks too), so a later run can tell that all are still in place.
    files: Object.keys(files).sort(),
  };
  // The manifest last: it must never name a file that is not in place yet.
  await writeAtomically(join(outdir, 'manifest.json'), JSON.stringify(manifest) + '\n');
  await pruneOldBuilds(outdir, new Set([...Object.keys(files), 'manifest.json']));
  const inputs = [...new Set([...Object.keys(modules.metafile.inputs), ...Object.keys(entries.metafile.inputs)])];
  /** What a guest reading a plain thread downloads: embed.js, then the widget, the conversation and their static imports. */
  const plainThread = [names.embed, ...plain];
  return { outdir, manifest, files, inputs, plainThread };
}

/**
 * Builds the desk script into `outdir` (dist/desk/admin.js) and returns its path and bytes.
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string, path: string, contents: Uint8Array, inputs: string[] }>}
 */
export async function buildDesk(options = {}) {
  const outdir = options.outdir ?? defaultDeskDir;
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['widget/desk/main.ts'],
    bundle: true,
    minify: true,
    format: 'iife',
    target: BROWSERS,
    outfile: 'out/admin.js',
    write: false,
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const [file] = result.outputFiles;
  if (!file || result.outputFiles.length !== 1)
    throw new Error('build-widget: esbuild did not emit the desk script alone');
  await mkdir(outdir, { recursive: true });
  const path = join(outdir, 'admin.js');
  await writeAtomically(path, file.contents);
  return { outdir, path, contents: file.contents, inputs: Object.keys(result.metafile.inputs) };
}

/**
 * The files a plain thread loads, by name, the widget module first: the widget and the conversation part
 * (which the widget imports as soon as the thread is up) with every file they import statically.
 * Dynamic imports (the reader's part, languages, the preview) are left out: only some readers load them.
 * @param {import('esbuild').Metafile} metafile
 */
function plainThreadFiles(metafile) {
  const byEntry = (entry) => Object.keys(metafile.outputs).find((o) => metafile.outputs[o].entryPoint === entry);
  const seen = new Set();
  const visit = (out) => {
    if (!out || seen.has(out)) return;
    seen.add(out);
    for (const i of metafile.outputs[out].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(byEntry('widget/embed.ts'));
  visit(byEntry('widget/conversation/main.ts'));
  return [...seen].map((o) => basename(o));
}

/** `import css from './styles.css'` gives the stylesheet's text, minified (it is adopted at run time). */
const minifiedCssText = {
  name: 'minified-css-text',
  setup(b) {
    b.onLoad({ filter: /\.css$/ }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), {
        loader: 'css',
        minify: true,
        target: ['chrome90', 'firefox90', 'safari15'],
      });
      return { contents: code.trim(), loader: 'text' };
    });
  },
};

async function writeAtomically(path, contents) {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, contents);
  await rename(tmp, path);
}

async function pruneOldBuilds(outdir, keep) {
  const now = Date.now();
  for (const name of await readdir(outdir)) {
    if (keep.has(name)) continue;
    const path = join(outdir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > KEEP_OLD_MS) await rm(path, { force: true });
  }
}

/**
 * One hash over every file in `inputs` (paths relative to the project root), this script and the
 * lockfile (esbuild's version decides the bytes too). A missing file hashes as missing, so a deleted
 * input changes the hash.
 * @param {string[]} inputs
 */
async function hashInputs(inputs) {
  const hash = createHash('sha256');
  const self = fileURLToPath(import.meta.url);
  for (const path of [
    ...new Set([...inputs.map((p) => join(root, p)), self, join(root, 'package-lock.json')]),
  ].sort()) {
    const bytes = await readFile(path).catch(() => null);
    hash.update(`${path}\0${bytes ? createHash('sha256').update(bytes).digest('hex') : 'missing'}\0`);
  }
  return hash.digest('hex');
}

/**
 * True when the last build's outputs are in `outdir` and dist/desk/ and nothing they were built from
 * has changed since. Any doubt (no record, unreadable record, another outdir) means "build".
 * @param {string} outdir
 */
async function upToDate(outdir) {
  const record = await readFile(inputsFile, 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => null);
  if (!record || record.outdir !== outdir || !Array.isArray(record.inputs)) return false;
  const manifest = await readFile(join(outdir, 'manifest.json'), 'utf8')
    .then((text) => JSON.parse(text))
    .catch(() => null);
  const outputs = Array.isArray(manifest?.files)
    ? manifest.files.map((name) => join(outdir, String(name))).concat(join(defaultDeskDir, 'admin.js'))
    : [];
  for (const path of outputs) if (!(await stat(path).catch(() => null))) return false;
  return outputs.length > 0 && record.hash === (await hashInputs(record.inputs));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const widgetDir = i > 0 ? resolve(process.argv[i + 1]) : defaultWidgetDir;
  if (!process.argv.includes('--force') && (await upToDate(widgetDir))) {
    process.stdout.write(`build-widget: up to date (${widgetDir}, ${defaultDeskDir}); --force rebuilds\n`);
  } else {
    const { outdir, manifest, inputs } = await buildWidget({ outdir: widgetDir });
    process.stdout.write(`build-widget: ${manifest.files.join(', ')} → ${outdir}\n`);
    // --outdir names the widget's folder; the desk script always goes to dist/desk/, where the API looks.
    const desk = await buildDesk();
    process.stdout.write(`build-widget: admin.js (the desk) → ${desk.outdir}\n`);
    // Recorded after both builds are in place, so an interrupted build is redone next time.
    const all = [...new Set([...inputs, ...desk.inputs])].sort();
    await mkdir(dirname(inputsFile), { recursive: true });
    await writeAtomically(inputsFile, JSON.stringify({ outdir, hash: await hashInputs(all), inputs: all }) + '\n');
  }
}
