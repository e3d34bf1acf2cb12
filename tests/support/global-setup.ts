import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { loadMigrations, migrate } from '../../src/store/migrate.js';
import { ADMIN_URL } from './test-db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated database this run's test files clone. */
    templateDb: string;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Tests need Postgres at ${ADMIN_URL} (TEST_DATABASE_URL): ${(err as Error).message}. ` +
        `Start it with 'pg_ctlcluster --skip-systemctl-redirect 15 main start' (bash .ci/run does this).`,
    );
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * Builds this run's migrated template database once; every test file clones it (CREATE DATABASE …
 * TEMPLATE, a file copy: milliseconds) so files never see each other's rows. Names carry the run's
 * pid, so runs side by side leave each other alone, and leftovers of killed runs are dropped.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const run = process.pid;
  const templateDb = `rd_template_${run}`;
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname ~ '^rd_(test|template)_[0-9]+'",
    );
    for (const { datname } of rows) {
      const pid = Number(/^rd_(?:test|template)_(\d+)/.exec(datname)?.[1]);
      if (pid === run || !isAlive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${templateDb}"`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${templateDb}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await migrate(client, await loadMigrations());
  } finally {
    await client.end();
  }
  project.provide('templateDb', templateDb);
  return async () => {
    await withAdmin((admin) => admin.query(`drop database if exists "${templateDb}" with (force)`));
  };
}
