import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * The Chromium the end-to-end tests drive: Debian's `chromium` package, not a Playwright download
 * (`npx playwright install` needs the internet, which test machines may not have). CHROMIUM_PATH
 * points elsewhere, e.g. at a Chrome on a developer's machine.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Headless and quiet: no first-run UI, no update, sync or background fetches that would reach the
// network from a test, and no sandbox because the tests run as root in containers.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Starts headless Chromium; fails with the install command when the executable is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!isExecutable(CHROMIUM_PATH)) {
    throw new Error(
      `The e2e tests need Chromium at ${CHROMIUM_PATH}, which is missing or not executable. ` +
        `Install it with 'apt-get update && apt-get install -y --no-install-recommends chromium' ` +
        `(npm test runs scripts/check-test-prereqs.mjs, which does this when run as root), ` +
        `or point CHROMIUM_PATH at a Chromium or Chrome binary.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
