import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/*
 * SSRF guard. A webhook URL is typed by an admin, but the request leaves from inside the network: it
 * must not reach the database, Redis, a cloud metadata endpoint (169.254.169.254) or anything else on
 * a private address. The check runs where the connection is made (a `lookup` hook), on every address
 * the name resolves to, so a name that resolves to a public address when saved and a private one at
 * delivery (DNS rebinding) is still refused. Literal IPs skip DNS and are checked before connecting.
 */

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private, link-local, carrier-grade NAT, multicast, documentation and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse
  // IPv4-mapped addresses (::ffff:10.0.0.1) are matched against the IPv4 rules by BlockList itself.
  return blocked.check(address, 'ipv6');
}

/** Thrown when a webhook URL is not allowed; deliveries to it fail for good (no retries). */
export class WebhookTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

/** The URL's problem as a person should read it, or null when it is acceptable (http or https, no credentials). */
export function checkWebhookUrl(value: string): string | null {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return 'This is not a URL.';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'Only http:// and https:// URLs can receive webhooks.';
  if (u.username !== '' || u.password !== '')
    return 'Put credentials in the receiver’s check of the signature, not in the URL.';
  if (value.length > 2000) return 'The URL is too long (at most 2000 characters).';
  return null;
}

/** The host of a URL as net.connect sees it (IPv6 without brackets). */
export function hostOf(u: URL): string {
  return u.hostname.replace(/^\[|\]$/g, '');
}

/** Refuses a literal private IP unless allowed; names are checked at connect time by {@link guardedLookup}. */
export function assertLiteralTargetAllowed(u: URL, allowPrivate: boolean): void {
  const host = hostOf(u);
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    throw new WebhookTargetError(`refused: ${host} is a private or loopback address`);
  }
}

/** A dns.lookup for http.request that refuses names resolving to any private address (unless allowed). */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const bad = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (bad || addresses.length === 0) {
        return callback(
          new WebhookTargetError(
            `refused: ${hostname} resolves to ${bad?.address ?? 'nothing'}, a private or loopback address`,
          ),
          '',
          0,
        );
      }
      if ((options as { all?: boolean }).all)
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
