import { defineConfig } from 'vitest/config';

// `npm run test:scale`: the engines users scale out on (a streaming replica, PgBouncer, Redis Sentinel
// and Cluster), each started by its test on loopback ports of its own. One file at a time: each starts
// several servers.
export default defineConfig({
  test: {
    include: ['tests/scale/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
