#!/usr/bin/env node
// The `reply-desk` command runs the built CLI (npm run build, or npm start, builds it).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/src/bin/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("reply-desk: not built yet: run 'npm run build' first\n");
  process.exit(1);
}
await import(entry.href);
