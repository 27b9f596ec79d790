import { isIP } from 'node:net';
import type ipaddrModule from 'ipaddr.js';

/** 4 or 6 when `text` is an IPv4 or IPv6 address as Node's parser reads it (no zone index), else 0. */
export function ipVersion(text: string): 0 | 4 | 6 {
  if (text.includes('%')) return 0;
  const v = isIP(text);
  return v === 4 || v === 6 ? v : 0;
}

/**
 * Address blocks that are not on the public internet (IANA IPv4 and IPv6 Special-Purpose Address
 * Registries; RFC 1918, 6598, 4193, 4291, 5771), with what to call them. Entra ID sees the public
 * address a network connects from, never these ("For devices on a private network, the IP address
 * isn't the client IP of the user's device on the intranet (like 10.55.99.3), it's the address used
 * by the network to connect to the public internet (like 198.51.100.3)", and "Private IP ranges
 * cannot be configured": Microsoft Learn, "Conditional Access: Network assignment",
 * https://learn.microsoft.com/en-us/entra/identity/conditional-access/concept-assignment-network).
 * Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are public in
 * form and stay allowed: Microsoft's own example uses one. Parsed and matched with ipaddr.js.
 */
const NOT_PUBLIC: readonly (readonly [string, string])[] = [
  ['0.0.0.0/8', 'the "this network" range (RFC 791)'],
  ['10.0.0.0/8', 'a private range (RFC 1918)'],
  ['100.64.0.0/10', 'the shared address space of carrier-grade NAT (RFC 6598)'],
  ['127.0.0.0/8', 'the loopback range'],
  ['169.254.0.0/16', 'the link-local range'],
  ['172.16.0.0/12', 'a private range (RFC 1918)'],
  ['192.168.0.0/16', 'a private range (RFC 1918)'],
  ['224.0.0.0/4', 'the multicast range'],
  ['255.255.255.255/32', 'the broadcast address'],
  ['::/128', 'the unspecified address'],
  ['::1/128', 'the loopback address'],
  ['fc00::/7', 'the unique local range (RFC 4193, the IPv6 private range)'],
  ['fe80::/10', 'the link-local range'],
  ['fec0::/10', 'the site-local range (the former IPv6 private range)'],
  ['ff00::/8', 'the multicast range'],
];
// Loaded on the first IP range checked: synthesis of a config without one never pays for it.
let loaded:
  | { readonly ipaddr: typeof ipaddrModule; readonly blocks: readonly { cidr: string; what: string; block: [ipaddrModule.IPv4 | ipaddrModule.IPv6, number] }[] }
  | undefined;
function ipaddrAndBlocks() {
  if (!loaded) {
    const ipaddr = require('ipaddr.js') as typeof ipaddrModule;
    loaded = { ipaddr, blocks: NOT_PUBLIC.map(([cidr, what]) => ({ cidr, what, block: ipaddr.parseCIDR(cidr) })) };
  }
  return loaded;
}

/**
 * The non-public block a range (a valid address and prefix length) lies in or covers, as
 * `{ what, block, covers }` (`covers`: the range is larger than the block), or undefined when it is public. An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`)
 * is judged by its IPv4 part.
 */
export function nonPublicBlock(address: string, length: number): { readonly what: string; readonly block: string; readonly covers: boolean } | undefined {
  const { ipaddr, blocks: NOT_PUBLIC_PARSED } = ipaddrAndBlocks();
  let addr: ipaddrModule.IPv4 | ipaddrModule.IPv6 = ipaddr.parse(address);
  let bits = length;
  if (addr.kind() === 'ipv6' && (addr as ipaddrModule.IPv6).isIPv4MappedAddress()) {
    if (length < 96) return undefined;
    addr = (addr as ipaddrModule.IPv6).toIPv4Address();
    bits = length - 96;
  }
  for (const { cidr, what, block } of NOT_PUBLIC_PARSED) {
    const [blockAddr, blockBits] = block;
    if (blockAddr.kind() !== addr.kind()) continue;
    // The range lies in the block, or covers it.
    const inBlock =
      addr.kind() === 'ipv4'
        ? (addr as ipaddrModule.IPv4).match(blockAddr as ipaddrModule.IPv4, blockBits)
        : (addr as ipaddrModule.IPv6).match(blockAddr as ipaddrModule.IPv6, blockBits);
    const covers =
      addr.kind() === 'ipv4'
        ? (blockAddr as ipaddrModule.IPv4).match(addr as ipaddrModule.IPv4, bits)
        : (blockAddr as ipaddrModule.IPv6).match(addr as ipaddrModule.IPv6, bits);
    if (inBlock || covers) return { what, block: cidr, covers: !inBlock };
  }
  return undefined;
}
