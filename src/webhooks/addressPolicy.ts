import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';

// Receivers must be on the public internet unless private networks are allowed: otherwise
// a workspace admin could point a webhook at the server's own network (SSRF) and read the
// delivery log's status codes as a port scanner.
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  nonPublic.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  // IPv4-mapped addresses (::ffff:a.b.c.d) are matched against the IPv4 rules by BlockList itself.
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  nonPublic.addSubnet(network, prefix, 'ipv6');

/** True for loopback, private, link-local, carrier-grade NAT, multicast and reserved addresses. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return nonPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host part of a URL without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Whether a URL names a non-public host literally (an IP literal or a localhost name). */
export function namesNonPublicHost(url: URL): boolean {
  const host = hostOf(url).toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host);
}

export class NonPublicAddressError extends Error {
  readonly code = 'non_public_address';
  constructor() {
    super('The receiver resolves to a non-public address.');
    this.name = 'NonPublicAddressError';
  }
}

/**
 * A DNS lookup for http.request that refuses non-public answers, so the check holds at
 * connect time (a name that resolved to a public address when the webhook was created
 * cannot be switched to 127.0.0.1 later).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const answers = addresses as LookupAddress[];
    if (answers.length === 0 || answers.some((answer) => isNonPublicAddress(answer.address))) {
      return callback(new NonPublicAddressError() as NodeJS.ErrnoException, '', 0);
    }
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, answers);
    callback(null, answers[0].address, answers[0].family);
  });
};
