import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** The RAW / JetDirect port every network thermal printer listens on. */
export const DEFAULT_PRINTER_PORT = 9100;

/**
 * The only places the relay connects to: the shop's own network. A server that connects where a
 * request tells it is an SSRF hole (cloud metadata, the database, other tenants), so the public
 * internet and the unspecified, multicast and broadcast ranges are out.
 */
const PRINTER_NETWORKS = new BlockList();
PRINTER_NETWORKS.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
PRINTER_NETWORKS.addSubnet('10.0.0.0', 8, 'ipv4'); // RFC 1918
PRINTER_NETWORKS.addSubnet('172.16.0.0', 12, 'ipv4'); // RFC 1918
PRINTER_NETWORKS.addSubnet('192.168.0.0', 16, 'ipv4'); // RFC 1918
PRINTER_NETWORKS.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local
PRINTER_NETWORKS.addAddress('::1', 'ipv6'); // loopback
PRINTER_NETWORKS.addSubnet('fe80::', 10, 'ipv6'); // link-local
PRINTER_NETWORKS.addSubnet('fc00::', 7, 'ipv6'); // unique local, IPv6's private range

/** Cloud metadata lives on link-local; it is never a printer. */
const NEVER = new BlockList();
NEVER.addAddress('169.254.169.254', 'ipv4');
NEVER.addAddress('fd00:ec2::254', 'ipv6');

/** "::ffff:10.0.0.5" is the IPv4 address 10.0.0.5. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isPrinterAddress(address: string): boolean {
  if (isIP(address) === 0) return false;
  const { address: plain, family } = unmapped(address);
  return PRINTER_NETWORKS.check(plain, family) && !NEVER.check(plain, family);
}

export type ResolvedPrinter =
  | { readonly ok: true; readonly address: string }
  | { readonly ok: false; readonly reason: 'port' | 'not-found' | 'not-local' };

export type Resolve = (host: string) => Promise<string[]>;

const resolveWithDns: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Checks the port, resolves the host, and insists that EVERY address it resolves to is on the
 * local network (a name that also resolves to a public address is refused, so a rebinding
 * answer cannot slip through). The caller connects to the returned address, not the name.
 */
export async function resolvePrinter(
  host: string,
  port: number,
  options: { allowedPorts: readonly number[]; resolve?: Resolve },
): Promise<ResolvedPrinter> {
  if (!options.allowedPorts.includes(port)) return { ok: false, reason: 'port' };
  let addresses: string[];
  try {
    addresses = isIP(host) === 0 ? await (options.resolve ?? resolveWithDns)(host) : [host];
  } catch {
    return { ok: false, reason: 'not-found' };
  }
  const [first] = addresses;
  if (first === undefined) return { ok: false, reason: 'not-found' };
  if (!addresses.every(isPrinterAddress)) return { ok: false, reason: 'not-local' };
  return { ok: true, address: first };
}
