import { randomBytes } from 'node:crypto';
import type { Queryable } from './db.js';

/**
 * A secret the service makes for itself: read it, or create it on first use. Two processes starting
 * at once both insert; `on conflict do nothing` plus the re-read makes them agree on one value.
 */
export async function loadOrCreateSecret(db: Queryable, name: string): Promise<string> {
  await db.query('insert into app_secrets (name, value) values ($1, $2) on conflict (name) do nothing', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await db.query<{ value: string }>('select value from app_secrets where name = $1', [name]);
  const value = rows[0]?.value;
  if (value === undefined) throw new Error(`secret ${name} vanished`);
  return value;
}

/**
 * A secret read once, on first use (nothing connects at import time); a failed read is tried again on
 * the next call rather than remembered.
 */
export function createSecretLoader(db: Queryable, name: string): () => Promise<string> {
  let secret: Promise<string> | null = null;
  return () => {
    secret ??= loadOrCreateSecret(db, name).catch((err: unknown) => {
      secret = null;
      throw err;
    });
    return secret;
  };
}
