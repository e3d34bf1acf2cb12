/*
 * The widget's on-demand parts: ES modules of their own that only some readers fetch. Each imports
 * what it shares with the widget from the widget module itself (scripts/build-widget.mjs points those
 * imports at widget.<hash>.js), so a plain thread is one file and no part carries a copy of the widget's
 * code or a second instance of its state. The widget module cannot name the parts' hashed files (they
 * name it), so embed.js, built last, hands it their names.
 */

/** A part by the name scripts/build-widget.mjs gives it (its PARTS list). */
export type PartName = 'reader' | 'own-comments' | 'preview' | 'form' | 'extras';

let files: Partial<Record<PartName, string>> = {};

/** Called by embed.js with the parts' file names before anything else runs. */
export function setPartFiles(names: Partial<Record<PartName, string>>): void {
  files = names;
}

/**
 * Imports a part (the browser keeps one instance per file, so a second call gets the same module).
 * A part the build did not name fails like a file that did not load: the caller's fallback runs.
 */
export function loadPart<T>(name: PartName): Promise<T> {
  const file = files[name];
  if (!file) return Promise.reject(new Error(`reply-desk: no ${name} part`));
  return import(new URL(file, import.meta.url).href) as Promise<T>;
}
