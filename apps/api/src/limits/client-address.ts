import { isIPv6 } from 'node:net';

/**
 * The part of a client's address that per-address limits count. An IPv4 address counts
 * as itself. An IPv6 client usually holds a whole /64 (one customer's network), and can
 * pick a new address in it for every request, so IPv6 counts by its /64. IPv4-mapped
 * IPv6 (::ffff:1.2.3.4, what a dual-stack socket reports) counts as the IPv4 address.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
