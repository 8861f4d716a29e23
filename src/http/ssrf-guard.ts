import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

/**
 * Raised inside the connector when every address a name resolves to is one
 * newsmirror must not reach. The client maps it to HttpError('blocked').
 */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_NEWSMIRROR_BLOCKED';
  readonly address: string;
  constructor(host: string, address: string) {
    super(host === address ? `${host} is not a public address` : `${host} resolves to non-public address ${address}`);
    this.name = 'BlockedAddressError';
    this.address = address;
  }
}

/*
 * Ranges that are not the public internet. Sources: IANA IPv4/IPv6 Special-Purpose
 * Address Registries (RFC 6890), RFC 6598 (CGNAT), RFC 5737 / RFC 3849 / RFC 9637
 * (documentation), RFC 2544 (benchmarking).
 */
const IPV4_BLOCKED: readonly string[] = [
  '0.0.0.0/8', // "this network", includes the unspecified address
  '10.0.0.0/8',
  '100.64.0.0/10', // CGNAT shared address space
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, cloud metadata endpoints live here
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, includes 255.255.255.255 broadcast
];

const IPV6_BLOCKED: readonly string[] = [
  '64:ff9b:1::/48', // local-use NAT64
  '100::/64', // discard-only
  '2001::/32', // Teredo: the real peer is hidden in the address
  '2001:2::/48',
  '2001:db8::/32',
  '3fff::/20',
  'fc00::/7', // unique local
  'fe80::/10', // link-local
  'fec0::/10', // deprecated site-local
  'ff00::/8', // multicast
];

/** IPv6 prefixes whose low 32 bits (or bits 16..48 for 6to4) carry an IPv4 address. */
const IPV6_EMBEDDING_V4: readonly { prefix: string; shift: bigint }[] = [
  { prefix: '::/96', shift: 0n }, // IPv4-compatible, and :: / ::1 themselves
  { prefix: '::ffff:0:0/96', shift: 0n }, // IPv4-mapped
  { prefix: '::ffff:0:0:0/96', shift: 0n }, // IPv4-translated (RFC 2765)
  { prefix: '64:ff9b::/96', shift: 0n }, // NAT64 well-known prefix
  { prefix: '2002::/16', shift: 80n }, // 6to4
];

interface Cidr {
  base: bigint;
  bits: number;
}

function parseIpv4(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(ip: string): bigint {
  let text = ip;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = `${text.slice(0, lastColon + 1)}0`; // placeholder group, dropped below
  }
  const [head = '', rest] = text.split('::');
  const toGroups = (part: string): bigint[] =>
    part === '' ? [] : part.split(':').map((g) => BigInt(parseInt(g, 16)));
  let groups = rest === undefined ? toGroups(head) : [];
  if (rest !== undefined) {
    const left = toGroups(head);
    const right = toGroups(rest);
    const fill = 8 - left.length - right.length - (tail.length > 0 ? 1 : 0);
    groups = [...left, ...Array<bigint>(Math.max(fill, 0)).fill(0n), ...right];
  }
  if (tail.length > 0) groups = [...groups.slice(0, -1), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

function parseCidr(cidr: string, v6: boolean): Cidr {
  const [addr = '', bits = '0'] = cidr.split('/');
  return { base: v6 ? parseIpv6(addr) : parseIpv4(addr), bits: Number(bits) };
}

function inCidr(value: bigint, cidr: Cidr, width: number): boolean {
  const shift = BigInt(width - cidr.bits);
  return value >> shift === cidr.base >> shift;
}

const V4 = IPV4_BLOCKED.map((c) => parseCidr(c, false));
const V6 = IPV6_BLOCKED.map((c) => parseCidr(c, true));
const V6_EMBED = IPV6_EMBEDDING_V4.map((e) => ({ cidr: parseCidr(e.prefix, true), shift: e.shift }));

function isBlockedV4(value: bigint): boolean {
  return V4.some((cidr) => inCidr(value, cidr, 32));
}

/**
 * True when `ip` (an IPv4 or IPv6 literal, optionally with a zone id) is not a
 * public unicast address. Anything that is not an IP literal is refused too:
 * the guard fails closed.
 */
export function isBlockedAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return isBlockedV4(parseIpv4(bare));
  if (family !== 6) return true;
  const value = parseIpv6(bare);
  for (const { cidr, shift } of V6_EMBED) {
    if (inCidr(value, cidr, 128)) return isBlockedV4((value >> shift) & 0xffffffffn);
  }
  return V6.some((cidr) => inCidr(value, cidr, 128));
}

/**
 * The part of the guard that needs no DNS: an IP literal host (WHATWG URL has
 * already normalized decimal, octal and hex IPv4 forms to dotted quads) or a
 * `localhost` name (RFC 6761 §6.3: `.localhost` names are loopback).
 */
export function isBlockedHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (isIP(host.replace(/%.*$/, '')) !== 0) return isBlockedAddress(host);
  return host === 'localhost' || host.endsWith('.localhost');
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A drop-in `lookup` for net/tls.connect that only hands out public addresses,
 * so the check is made on the address actually connected (no DNS-rebinding
 * window between a check and the connect).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) {
      callback(err, []);
      return;
    }
    const allowed = addresses.filter((a) => !isBlockedAddress(a.address));
    const first = allowed[0];
    if (first === undefined) {
      callback(new BlockedAddressError(hostname, addresses[0]?.address ?? 'none'), []);
      return;
    }
    if (options.all === true) callback(null, allowed);
    else callback(null, first.address, first.family);
  });
}
