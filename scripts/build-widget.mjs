#!/usr/bin/env node
/*
 * Builds the browser side: widget/embed.ts → embed.<hash>.js (the widget, its CSS inlined) and
 * widget/count.ts → count.<hash>.js, minified by esbuild into dist/widget/ with a manifest.json that
 * names the current files. The API redirects /embed.js and /count.js to the names in the manifest, so
 * the hashed files can be cached for a year while a new build reaches readers within minutes.
 *
 * Content-hashed names make concurrent builds harmless (the same source gives the same bytes), and each
 * file is written to a temporary name and renamed into place, so a server never reads half a file.
 * Files of earlier builds are kept for a day: a page that was sent the old name may still ask for it.
 *
 * It also builds the moderators' desk script, widget/desk/main.ts → dist/desk/admin.js, which the API
 * serves as /assets/admin.js (cached for an hour, as the dashboard's stylesheet is): one stable name,
 * since only our own pages load it.
 *
 *   node scripts/build-widget.mjs [--outdir DIR]
 */
import { build, transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultWidgetDir = join(root, 'dist', 'widget');
export const defaultDeskDir = join(root, 'dist', 'desk');
const KEEP_OLD_MS = 24 * 60 * 60 * 1000;
// Browsers of the last few years: optional chaining, adoptedStyleSheets, Intl.RelativeTimeFormat.
const BROWSERS = ['es2020', 'chrome90', 'firefox90', 'safari15'];

/**
 * Builds both scripts into `outdir` and returns the manifest and the built files' bytes.
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string, manifest: { embed: string, count: string }, files: Record<string, Uint8Array> }>}
 */
export async function buildWidget(options = {}) {
  const outdir = options.outdir ?? defaultWidgetDir;
  const result = await build({
    absWorkingDir: root,
    entryPoints: { embed: 'widget/embed.ts', count: 'widget/count.ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    target: BROWSERS,
    plugins: [minifiedCssText],
    entryNames: '[name].[hash]',
    outdir: 'out',
    write: false,
    metafile: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  await mkdir(outdir, { recursive: true });
  /** @type {Record<string, string>} */
  const names = {};
  /** @type {Record<string, Uint8Array>} */
  const files = {};
  for (const file of result.outputFiles) {
    const name = basename(file.path);
    const entry = name.split('.')[0];
    names[entry] = name;
    files[name] = file.contents;
    await writeAtomically(join(outdir, name), file.contents);
  }
  if (!names.embed || !names.count) throw new Error('build-widget: esbuild did not emit embed and count');
  const manifest = { embed: names.embed, count: names.count };
  // The manifest last: it must never name a file that is not in place yet.
  await writeAtomically(join(outdir, 'manifest.json'), JSON.stringify(manifest) + '\n');
  await pruneOldBuilds(outdir, new Set([...Object.keys(files), 'manifest.json']));
  return { outdir, manifest, files };
}

/**
 * Builds the desk script into `outdir` (dist/desk/admin.js) and returns its path and bytes.
 * @param {{ outdir?: string }} [options]
 * @returns {Promise<{ outdir: string, path: string, contents: Uint8Array }>}
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
  return { outdir, path, contents: file.contents };
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--outdir');
  const { outdir, manifest } = await buildWidget(i > 0 ? { outdir: resolve(process.argv[i + 1]) } : {});
  process.stdout.write(`build-widget: ${manifest.embed}, ${manifest.count} → ${outdir}\n`);
  // --outdir names the widget's folder; the desk script always goes to dist/desk/, where the API looks.
  const desk = await buildDesk();
  process.stdout.write(`build-widget: admin.js (the desk) → ${desk.outdir}\n`);
}
