#!/usr/bin/env node
/*
 * Builds the browser side, minified by esbuild into dist/widget/:
 * - widget/loader.ts → embed.<hash>.js, the classic script pages embed, which imports the widget module;
 * - widget/embed.ts → widget.<hash>.js (the thread, the form and the conversation — badges, editors' picks,
 *   votes, the sort selector and live updates — with their CSS inlined), all a plain thread loads;
 * - the parts only some readers need (PARTS: widget/reader/main.ts → reader.<hash>.js, what only
 *   signed-in readers and authors editing need; the reader's own waiting comments; the preview), ES
 *   modules that import what they share with the widget from widget.<hash>.js itself, and shared.<hash>.js
 *   chunks for what several parts use and for each language (a dynamic import() each, loaded on demand);
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
import { gzipSync } from 'node:zlib';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultWidgetDir = join(root, 'dist', 'widget');
export const defaultDeskDir = join(root, 'dist', 'desk');
const inputsFile = join(root, 'dist', '.widget-inputs.json');
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;
// Browsers of the last few years: optional chaining, adoptedStyleSheets, Intl.RelativeTimeFormat.
const BROWSERS = ['es2020', 'chrome91', 'firefox90', 'safari15'];

/**
 * The parts only some readers need (widget/parts.ts names them), each an ES module of its own: the
 * reader's part, the reader's own comments waiting for moderation, the Markdown preview, the form's code,
 * the conversation's extras (the editors' picks strip, sending a vote, the live stream's events).
 */
const PARTS = {
  reader: 'widget/reader/main.ts',
  'own-comments': 'widget/own-comments-part.ts',
  preview: 'widget/preview.ts',
  form: 'widget/form-part.ts',
  extras: 'widget/conversation/extras.ts',
};
const WIDGET_ENTRY = 'reply-desk-widget-entry';

/**
 * Builds both scripts into `outdir` and returns the manifest and the built files' bytes.
 *
 * A plain thread loads embed.js and one widget module; the parts import what they share with it from
 * that very file (esbuild's own code splitting would cut the shared code into several chunks, each a
 * request and a gzip stream of its own, as the set of parts using each piece differs). So it is built
 * in steps: the widget alone, to learn which source files are in it; the parts, to learn which of those
 * they import; the widget again, exporting those under short aliases ($0, $1, …); the parts again, with
 * each such import turned into an import of the widget's file; and embed.js, which names them all.
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string, manifest: { embed: string, count: string, reader: string, files: string[] }, files: Record<string, Uint8Array>, inputs: string[], plainThread: string[] }>}
 */
export async function buildWidget(options = {}) {
  const outdir = options.outdir ?? defaultWidgetDir;
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: true,
    target: BROWSERS,
    entryNames: '[name].[hash]',
    outdir: 'out',
    write: false,
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  };
  // ES modules (import() loads them) with code splitting, so that each language is a file of its own.
  const modules = { ...common, format: 'esm', splitting: true, chunkNames: 'shared.[hash]' };
  const alone = await build({ ...modules, plugins: [minifiedCssText], entryPoints: { widget: 'widget/embed.ts' } });
  const inWidget = new Set(Object.keys(alone.metafile.inputs));
  /** Source files of the widget that the parts import, found while building them. */
  const shared = new Set();
  await build({ ...modules, plugins: [minifiedCssText, sharedWithWidget(inWidget, shared, null)], entryPoints: PARTS });
  const aliases = await exportAliases([...shared].sort());
  const widgetBuild = await build({
    ...modules,
    plugins: [minifiedCssText, widgetEntry(aliases)],
    entryPoints: { widget: WIDGET_ENTRY },
  });
  const widgetFile = widgetBuild.outputFiles.find((f) => /^widget\.[^/]*\.js$/.test(basename(f.path)));
  if (!widgetFile) throw new Error('build-widget: esbuild did not emit the widget module');
  const widgetName = basename(widgetFile.path);
  const partsBuild = await build({
    ...modules,
    plugins: [minifiedCssText, sharedWithWidget(inWidget, aliases, widgetName)],
    entryPoints: PARTS,
  });
  /** @type {Record<string, string>} */
  const partFiles = {};
  for (const [out, meta] of Object.entries(partsBuild.metafile.outputs)) {
    const part = Object.keys(PARTS).find((name) => PARTS[name] === meta.entryPoint);
    if (part) partFiles[part] = basename(out);
  }
  const entries = await build({
    ...common,
    entryPoints: { embed: 'widget/loader.ts', count: 'widget/count.ts' },
    format: 'iife',
    define: { WIDGET_CHUNK: JSON.stringify(widgetName), PART_FILES: JSON.stringify(partFiles) },
  });
  await mkdir(outdir, { recursive: true });
  /** @type {Record<string, string>} */
  const names = {};
  /** @type {Record<string, Uint8Array>} */
  const files = {};
  // The parts, then the widget module, then embed.js: no file may name one that is not in place yet.
  for (const file of [...partsBuild.outputFiles, ...widgetBuild.outputFiles, ...entries.outputFiles]) {
    const name = basename(file.path);
    names[name.split('.')[0]] = name;
    files[name] = file.contents;
    await writeAtomically(join(outdir, name), file.contents);
  }
  if (!names.embed || !names.count || !names.reader || !names.widget)
    throw new Error('build-widget: esbuild did not emit embed, count, widget and reader');
  const manifest = {
    embed: names.embed,
    count: names.count,
    reader: names.reader,
    // Every file of this build (the chunks too), so a later run can tell that all are still in place.
    files: Object.keys(files).sort(),
  };
  // The manifest last: it must never name a file that is not in place yet.
  await writeAtomically(join(outdir, 'manifest.json'), JSON.stringify(manifest) + '\n');
  await pruneOldBuilds(outdir, new Set([...Object.keys(files), 'manifest.json']));
  const inputs = [
    ...new Set(
      [widgetBuild, partsBuild, entries].flatMap((r) => Object.keys(r.metafile.inputs)).filter((p) => !p.includes(':')),
    ),
  ];
  /** What a guest reading a plain thread downloads: embed.js, then the widget and its static imports. */
  const plainThread = [names.embed, ...plainThreadFiles(widgetBuild.metafile)];
  return { outdir, manifest, files, inputs, plainThread };
}

/**
 * Exports of the parts' imports from the widget, under short aliases: file → [name, alias][].
 * The order is the files' and names' sorted order, so the same sources give the same bytes.
 * @param {string[]} paths source files relative to the project root
 * @returns {Promise<Map<string, [string, string][]>>}
 */
async function exportAliases(paths) {
  /** @type {Map<string, [string, string][]>} */
  const aliases = new Map();
  if (paths.length === 0) return aliases;
  const r = await build({
    absWorkingDir: root,
    entryPoints: paths,
    bundle: false,
    format: 'esm',
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'warning',
  });
  let n = 0;
  const byPath = new Map(Object.values(r.metafile.outputs).map((o) => [o.entryPoint, o.exports]));
  for (const path of paths)
    aliases.set(
      path,
      [...(byPath.get(path) ?? [])].sort().map((name) => [name, `$${(n++).toString(36)}`]),
    );
  return aliases;
}

/**
 * The widget module's entry: widget/embed.ts' exports, and the parts' imports under their aliases.
 * @param {Map<string, [string, string][]>} aliases
 */
function widgetEntry(aliases) {
  return {
    name: 'widget-entry',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${WIDGET_ENTRY}$`) }, () => ({ path: WIDGET_ENTRY, namespace: 'rd' }));
      b.onLoad({ filter: /.*/, namespace: 'rd' }, () => ({
        resolveDir: root,
        loader: 'js',
        contents: [
          `export * from ${JSON.stringify('./widget/embed.ts')};`,
          ...[...aliases].map(
            ([path, names]) =>
              `export { ${names.map(([name, alias]) => `${name} as ${alias}`).join(', ')} } from ${JSON.stringify(`./${path}`)};`,
          ),
        ].join('\n'),
      }));
    },
  };
}

/**
 * In the parts' build: an import of a source file that is in the widget module (`inWidget`) becomes,
 * once the widget's file name is known, an import of its aliases from that file; before (`widgetName`
 * null), it is left out of the bundle and noted in `found`.
 * @param {Set<string>} inWidget
 * @param {Set<string> | Map<string, [string, string][]>} found
 * @param {string | null} widgetName
 */
function sharedWithWidget(inWidget, found, widgetName) {
  const again = Symbol('resolving');
  return {
    name: 'shared-with-widget',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData === again) return undefined;
        if (args.namespace === 'rd-shared') return { path: args.path, external: true };
        const r = await b.resolve(args.path, {
          importer: args.importer,
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: again,
        });
        const path = relative(root, r.path).split(sep).join('/');
        if (r.errors.length > 0 || !inWidget.has(path)) return undefined;
        if (widgetName === null) {
          /** @type {Set<string>} */ (found).add(path);
          return { path, external: true };
        }
        return { path, namespace: 'rd-shared' };
      });
      b.onLoad({ filter: /.*/, namespace: 'rd-shared' }, (args) => {
        const names = /** @type {Map<string, [string, string][]>} */ (found).get(args.path) ?? [];
        const list = names.map(([name, alias]) => `${alias} as ${name}`).join(', ');
        return { contents: `export { ${list} } from ${JSON.stringify(`./${widgetName}`)};`, loader: 'js' };
      });
    },
  };
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
 * The files a plain thread loads, by name, the widget module first, then every file it imports statically.
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
  visit(byEntry(`rd:${WIDGET_ENTRY}`));
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
    const { outdir, manifest, inputs, files, plainThread } = await buildWidget({ outdir: widgetDir });
    process.stdout.write(`build-widget: ${manifest.files.join(', ')} → ${outdir}\n`);
    const sizes = plainThread.map((name) => `${name} ${gzipSync(files[name], { level: 9 }).length}`);
    process.stdout.write(`build-widget: a plain thread loads, gzipped: ${sizes.join(' + ')} B\n`);
    // --outdir names the widget's folder; the desk script always goes to dist/desk/, where the API looks.
    const desk = await buildDesk();
    process.stdout.write(`build-widget: admin.js (the desk) → ${desk.outdir}\n`);
    // Recorded after both builds are in place, so an interrupted build is redone next time.
    const all = [...new Set([...inputs, ...desk.inputs])].sort();
    await mkdir(dirname(inputsFile), { recursive: true });
    await writeAtomically(inputsFile, JSON.stringify({ outdir, hash: await hashInputs(all), inputs: all }) + '\n');
  }
}
