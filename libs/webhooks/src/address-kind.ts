import { BlockList, isIP } from 'node:net';

/**
 * What kind of address an IP is, as far as calling it from our servers goes. Anything but
 * `public` is refused as a webhook target (unless WEBHOOK_ALLOW_PRIVATE): from inside our
 * network such an address reaches our own services (the database, Redis, a cloud
 * provider's metadata endpoint at 169.254.169.254) rather than the customer's.
 *
 * Ranges from IANA's IPv4 and IPv6 special-purpose address registries (RFC 6890 and
 * successors). IPv6 forms that carry an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64
 * 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4 address inside, and IPv6 outside
 * global unicast (2000::/3) is never public.
 */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'unique local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'not an IP address';

type Range = [network: string, prefix: number, kind: AddressKind];

const IPV4: Range[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'], // the retired 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use, and 255.255.255.255 (broadcast)
];

const IPV6: Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['100::', 64, 'reserved'], // discard-only
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'], // RFC 9637
  ['fc00::', 7, 'unique local'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // the deprecated site-local
  ['ff00::', 8, 'multicast'],
];

function blockLists(ranges: Range[], type: 'ipv4' | 'ipv6'): [BlockList, AddressKind][] {
  return ranges.map(([network, prefix, kind]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, type);
    return [list, kind];
  });
}

const V4 = blockLists(IPV4, 'ipv4');
const V6 = blockLists(IPV6, 'ipv6');

export function addressKind(ip: string): AddressKind {
  const address = ip.replace(/^\[|\]$/g, '').split('%')[0]!; // [::1] as in URLs; fe80::1%eth0 with a zone
  switch (isIP(address)) {
    case 4:
      return V4.find(([list]) => list.check(address, 'ipv4'))?.[1] ?? 'public';
    case 6: {
      const bytes = ipv6Bytes(address);
      const embedded = embeddedIpv4(bytes);
      if (embedded) return addressKind(embedded);
      const own = V6.find(([list]) => list.check(address, 'ipv6'))?.[1];
      if (own) return own;
      return (bytes[0]! & 0xe0) === 0x20 ? 'public' : 'reserved'; // global unicast is 2000::/3
    }
    default:
      return 'not an IP address';
  }
}

export function isPublicAddress(ip: string): boolean {
  return addressKind(ip) === 'public';
}

/** The IPv4 address an IPv4-mapped, NAT64 (well-known prefix) or 6to4 address stands for. */
function embeddedIpv4(b: number[]): string | undefined {
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::a.b.c.d
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002:AABB:CCDD::
  return undefined;
}

/** The 16 bytes of an IPv6 address that isIP() accepted (`::` shortening and a dotted IPv4 tail included). */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const words = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return words.flatMap((w) => {
    const n = parseInt(w, 16);
    return [n >> 8, n & 0xff];
  });
}
