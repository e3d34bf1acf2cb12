import { describe, expect, it } from 'vitest';
import { toCanonicalIp, toClientAddress } from '../../src/flood/ip-network.js';
import { toBanValue } from '../../src/store/author-rules.js';

describe('toCanonicalIp', () => {
  it.each([
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['0:0:0:0:0:ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:cb00:7107', '203.0.113.7'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['203.0.113.7', '203.0.113.7'],
    ['2001:db8::1', '2001:db8::1'],
    // Not mapped: IPv4-compatible (deprecated) and NAT64 addresses are other addresses.
    ['::203.0.113.7', '::203.0.113.7'],
    ['64:ff9b::203.0.113.7', '64:ff9b::203.0.113.7'],
    ['not an ip', 'not an ip'],
  ])('%s is stored and matched as %s', (ip, expected) => {
    expect(toCanonicalIp(ip)).toBe(expected);
  });
});

describe('toBanValue for IPs', () => {
  it.each([
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.0/120', '203.0.113.0/24'],
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['::ffff:203.0.113.0/90', null],
  ])('a ban on %s is stored as %s', (raw, expected) => {
    expect(toBanValue('ip', raw)).toBe(expected);
  });
});

describe('toClientAddress', () => {
  it.each<
    [
      string,
      { ip: string; forwarded: boolean; peerTrusted: boolean },
      { ip: string; distinct: boolean; untrustedProxy: boolean },
    ]
  >([
    [
      'a reader connecting directly',
      { ip: '203.0.113.7', forwarded: false, peerTrusted: false },
      { ip: '203.0.113.7', distinct: true, untrustedProxy: false },
    ],
    [
      'a reader as Node reports IPv4 on a dual-stack socket',
      { ip: '::ffff:203.0.113.7', forwarded: false, peerTrusted: false },
      { ip: '203.0.113.7', distinct: true, untrustedProxy: false },
    ],
    [
      'a reader named by a trusted proxy',
      { ip: '198.51.100.4', forwarded: true, peerTrusted: true },
      { ip: '198.51.100.4', distinct: true, untrustedProxy: false },
    ],
    [
      'loopback (a proxy on this host, untrusted)',
      { ip: '127.0.0.1', forwarded: true, peerTrusted: false },
      { ip: '127.0.0.1', distinct: false, untrustedProxy: true },
    ],
    [
      'loopback without the header',
      { ip: '::ffff:127.0.0.1', forwarded: false, peerTrusted: false },
      { ip: '127.0.0.1', distinct: false, untrustedProxy: false },
    ],
    [
      "Docker's bridge forwarding for readers",
      { ip: '172.17.0.1', forwarded: true, peerTrusted: false },
      { ip: '172.17.0.1', distinct: false, untrustedProxy: true },
    ],
    [
      'an IPv6 ULA proxy',
      { ip: 'fd00::1', forwarded: true, peerTrusted: false },
      { ip: 'fd00::1', distinct: false, untrustedProxy: true },
    ],
    // A public client cannot escape the per-IP rules by sending the header itself.
    [
      'a public client that sends X-Forwarded-For itself',
      { ip: '203.0.113.9', forwarded: true, peerTrusted: false },
      { ip: '203.0.113.9', distinct: true, untrustedProxy: true },
    ],
    [
      'an intranet reader without a proxy',
      { ip: '10.1.2.3', forwarded: false, peerTrusted: false },
      { ip: '10.1.2.3', distinct: true, untrustedProxy: false },
    ],
  ])('%s', (_s, q, expected) => {
    expect(toClientAddress(q)).toEqual(expected);
  });

  it('no address at all is not distinct', () => {
    expect(toClientAddress({ ip: undefined, forwarded: false, peerTrusted: false })).toEqual({
      ip: null,
      distinct: false,
      untrustedProxy: false,
    });
  });
});
