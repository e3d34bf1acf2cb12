import type { Request } from 'express';
import type { Logger } from 'pino';
import { toClientAddress, type ClientAddress } from '../../flood/ip-network.js';

/** Reads a request's {@link ClientAddress}; made once per app, so its warnings are said once. */
export type ClientAddressReader = (req: Request) => ClientAddress;

type TrustFn = (addr: string, i: number) => boolean;

/**
 * The reader's address as the IP-based rules should see it. The first request that shows the service
 * cannot tell readers apart is logged, once per kind: X-Forwarded-For from a peer that TRUST_PROXY does
 * not name (a proxy nobody told us about: every reader then has its address), or a loopback address.
 */
export function createClientAddressReader(logger: Logger): ClientAddressReader {
  let warnedProxy = false;
  let warnedLocal = false;
  return (req) => {
    const peer = req.socket.remoteAddress ?? '';
    const trust = req.app.get('trust proxy fn') as TrustFn | undefined;
    const address = toClientAddress({
      // Read once: req.ip walks the proxy chain on every read.
      ip: req.ip,
      forwarded: req.get('x-forwarded-for') !== undefined,
      peerTrusted: trust !== undefined && peer !== '' && trust(peer, 0),
    });
    if (address.untrustedProxy && !warnedProxy) {
      warnedProxy = true;
      logger.warn(
        { peer },
        "requests arrive through a proxy that is not trusted (X-Forwarded-For from an address TRUST_PROXY does not name): every reader looks like the proxy, so IP-based rules are off for its address; set TRUST_PROXY to the proxy's address",
      );
    } else if (address.ip !== null && !address.distinct && !address.untrustedProxy && !warnedLocal) {
      warnedLocal = true;
      logger.warn(
        { peer },
        'requests come from a local address: IP-based rules are off for it; behind a proxy, set TRUST_PROXY',
      );
    }
    return address;
  };
}
