import { isIP } from 'node:net';

/**
 * The keys a reader's address is counted under: the address itself and, for IPv6, its /64 (one
 * household or one cloud VM gets a whole /64, so counting single IPv6 addresses stops nobody).
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, as Node reports IPv4 on a dual-stack socket) count as
 * the IPv4 address. Null when the address is missing or not an IP.
 */
export function toRateKeys(ip: string | null | undefined): { ip: string; net64: string | null } | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  const family = isIP(address);
  if (family === 4) return { ip: address, net64: null };
  if (family !== 6) return null;
  const groups = expandIpv6(address);
  return { ip: groups.join(':'), net64: `${groups.slice(0, 4).join(':')}::/64` };
}

/** Eight lower-case, unpadded hex groups ("2001:db8::1" → 2001,db8,0,0,0,0,0,1); a zone id is dropped. */
function expandIpv6(address: string): string[] {
  let a = address.toLowerCase().replace(/%.*$/, '');
  // An embedded IPv4 tail becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (v4) {
    const [b1, b2, b3, b4] = v4.slice(1).map(Number) as [number, number, number, number];
    a = `${a.slice(0, v4.index)}${((b1 << 8) | b2).toString(16)}:${((b3 << 8) | b4).toString(16)}`;
  }
  const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, null];
  const left = head === '' ? [] : head.split(':');
  const right = tail === null || tail === '' ? [] : tail.split(':');
  const zeros = tail === null ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

/**
 * An address in the one form the service stores and matches: an IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`, in any spelling Node or a proxy may give) becomes the IPv4 address, so an IPv4 ban,
 * range or spam memory matches it (Postgres' inet treats the two forms as different families). Anything
 * else, including a string that is not an address, is returned unchanged.
 */
export function toCanonicalIp(ip: string): string {
  if (isIP(ip) !== 6 || !/\d+\.\d+\.\d+\.\d+$|:ffff:/i.test(ip)) return ip;
  const g = expandIpv6(ip);
  if (g.slice(0, 5).some((x) => x !== '0') || g[5] !== 'ffff') return ip;
  const hi = parseInt(g[6]!, 16),
    lo = parseInt(g[7]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Loopback and unspecified addresses: what every request looks like behind a proxy that is not trusted. */
export function isLocalAddress(ip: string): boolean {
  return ip === '::1' || ip === '::' || ip === '0.0.0.0' || ip.startsWith('127.') || /^0+(:0+){6}:0*1$/.test(ip);
}

/**
 * Private, shared-address, link-local and unique-local ranges (10/8, 172.16/12, 192.168/16,
 * 100.64/10, 169.254/16, fc00::/7, fe80::/10): where a proxy, a Docker bridge or a NAT gateway sits
 * when it forwards requests from the internet. Takes a canonical address (see {@link toCanonicalIp}).
 */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  if (family !== 6) return false;
  const first = parseInt(expandIpv6(ip)[0]!, 16);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

/** What the service can tell about who sent a request. */
export interface ClientAddress {
  /** The reader's address in canonical form; null when there is none. */
  ip: string | null;
  /**
   * The address tells readers apart. False for loopback and for a proxy's own address (a request that
   * came with X-Forwarded-For from a peer that is not trusted): every reader behind it has this same
   * address, so rules keyed on the IP (rate limits, "too fast", spam memory, flag counts) must not
   * fire on it, or one reader's deeds would fall on all of them.
   */
  distinct: boolean;
  /** X-Forwarded-For came from a peer TRUST_PROXY does not name: the operator should be told. */
  untrustedProxy: boolean;
}

/**
 * Classifies a request's address. `ip` is what Express made of it (the peer, or the first address
 * past the trusted proxies); `forwarded` that the request carried X-Forwarded-For; `peerTrusted` that
 * the connection's peer is a trusted proxy. A public address that sends X-Forwarded-For itself stays
 * distinct: otherwise any client could escape the per-IP rules by adding the header.
 */
export function toClientAddress(q: {
  ip: string | null | undefined;
  forwarded: boolean;
  peerTrusted: boolean;
}): ClientAddress {
  if (!q.ip || isIP(q.ip) === 0) return { ip: null, distinct: false, untrustedProxy: false };
  const ip = toCanonicalIp(q.ip);
  const untrustedProxy = q.forwarded && !q.peerTrusted;
  const distinct = !isLocalAddress(ip) && !(untrustedProxy && isPrivateAddress(ip));
  return { ip, distinct, untrustedProxy };
}
