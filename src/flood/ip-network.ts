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

/** Loopback and unspecified addresses: what every request looks like behind a proxy that is not trusted. */
export function isLocalAddress(ip: string): boolean {
  return ip === '::1' || ip === '::' || ip === '0.0.0.0' || ip.startsWith('127.') || /^0+(:0+){6}:0*1$/.test(ip);
}
