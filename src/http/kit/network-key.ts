import { createHmac } from 'node:crypto';
import { toRateKeys } from '../../flood/ip-network.js';
import type { Queryable } from '../../store/db.js';
import { loadOrCreateSecret } from '../../store/secrets.js';

/**
 * The network a reader's flag or vote counts for, without keeping the address: an HMAC, under a secret
 * of this install, of the IPv4 address or the IPv6 /64 (a plain hash of an IPv4 address is undone by
 * trying all 2^32). A reader can choose their browser key, not their network.
 */
export function toNetworkKey(secret: string, ip: string | null): string {
  const keys = toRateKeys(ip);
  return createHmac('sha256', secret)
    .update(`network\n${keys?.net64 ?? keys?.ip ?? ''}`)
    .digest('hex');
}

/**
 * The network key of an address, with the secret read from Postgres (app_secrets) on first use, so
 * every API process keys a network alike. A failed read is tried again on the next call.
 */
export function createNetworkKeys(db: Queryable): (ip: string | null) => Promise<string> {
  // The secret's name predates votes: flags were first to count networks.
  let secret: Promise<string> | null = null;
  return async (ip) => {
    secret ??= loadOrCreateSecret(db, 'flag-network').catch((err: unknown) => {
      secret = null;
      throw err;
    });
    return toNetworkKey(await secret, ip);
  };
}
