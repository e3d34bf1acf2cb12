import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The engines' own tests (a replica, PgBouncer) run under `npm run test:scale` (tests/scale/vitest.config.ts).
    exclude: ['tests/scale/**', '**/node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll's default second is too short for a browser page on a loaded two-core machine (a
    // widget's first render has taken over a second there); a poll that never succeeds still fails.
    expect: { poll: { timeout: 5_000 } },
    // Integration files start servers and workers of their own; two cores run two files at a time well.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
