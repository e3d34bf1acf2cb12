import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { sqlDir } from '../paths.js';

/** One file of `sql/`, in the order it applies. */
export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 7_305_221_042;

/** Reads `sql/NNNN_name.sql` files in numeric order. */
export async function loadMigrations(dir: string = sqlDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (name) => {
      const sql = await readFile(join(dir, name), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending migrations in one transaction under an advisory lock, so two processes starting at
 * once cannot both migrate, and a failure leaves the schema as it was. Refuses to run when an applied
 * file was edited: migrations are append-only.
 */
export async function migrate(client: pg.ClientBase, migrations: Migration[]): Promise<MigrateResult> {
  await client.query('begin');
  try {
    await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      name text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await client.query<{ name: string; checksum: string }>(
      'select name, checksum from schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const applied: string[] = [];
    for (const m of migrations) {
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) {
          throw new Error(`migration ${m.name} was edited after it was applied; add a new migration instead`);
        }
        continue;
      }
      await client.query(m.sql);
      await client.query('insert into schema_migrations (name, checksum) values ($1, $2)', [m.name, m.checksum]);
      applied.push(m.name);
    }
    await client.query('commit');
    return { applied, alreadyApplied: done.size };
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  }
}

/** Creates the database named in `databaseUrl` if it does not exist (connecting to `postgres`). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rowCount) return false;
    try {
      await admin.query(`create database ${pg.escapeIdentifier(name)}`);
    } catch (err) {
      // Another process created it between our look and our create.
      if ((err as { code?: string }).code === '42P04') return false;
      throw err;
    }
    return true;
  } finally {
    await admin.end();
  }
}

/** ensureDatabase + migrate with a short-lived connection: what `npm start` and `reply-desk migrate` run. */
export async function prepareDatabase(databaseUrl: string): Promise<MigrateResult & { created: boolean }> {
  const created = await ensureDatabase(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return { created, ...(await migrate(client, await loadMigrations())) };
  } finally {
    await client.end();
  }
}
