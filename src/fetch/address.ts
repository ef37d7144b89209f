// The address guard: a feed URL must not reach the machine we run on or its private network (SSRF).
// Checked twice: on a literal IP host before connecting, and on every address DNS returns, inside
// the connection's own lookup, so a name that re-resolves to 127.0.0.1 (DNS rebinding) is caught.
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { FetchError } from '../errors.js';

const FETCHABLE_SCHEMES = new Set(['http:', 'https:']);

/** Addresses named for what they are, so the error says more than "private". */
const CLOUD_METADATA = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** IPv6 ranges that carry an IPv4 address in their low 32 bits (mapped, SIIT, NAT64): judged by that address. */
const EMBEDS_IPV4_LOW = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052']);

/** Why this IP address may not be fetched ("loopback", "private"…), or null when it is public unicast. */
export function blockedAddressReason(ip: string): string | null {
  const canonical = canonicalIPv6(ip);
  if (!ipaddr.isValid(canonical)) return 'not an IP address';
  const addr = ipaddr.parse(canonical);
  if (CLOUD_METADATA.has(addr.toString())) return 'cloud metadata';
  return addr.kind() === 'ipv4' ? ipv4Reason(addr as ipaddr.IPv4) : ipv6Reason(addr as ipaddr.IPv6);
}

/**
 * ipaddr.js reads a dotted tail as IPv4-mapped (`::127.0.0.1` becomes `::ffff:7f00:1`); the WHATWG
 * URL parser keeps it IPv4-compatible (`::7f00:1`), as RFC 4291 does.
 */
function canonicalIPv6(ip: string): string {
  if (!ip.includes(':') || !ip.includes('.')) return ip;
  try {
    return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  } catch {
    return ip;
  }
}

function ipv4Reason(addr: ipaddr.IPv4): string | null {
  if (CLOUD_METADATA.has(addr.toString())) return 'cloud metadata';
  const range = addr.range();
  return range === 'unicast' ? null : range;
}

function ipv6Reason(addr: ipaddr.IPv6): string | null {
  const range = addr.range();
  if (EMBEDS_IPV4_LOW.has(range)) return embeddedReason(range, lowIPv4(addr));
  // 6to4 (2002::/16) carries the IPv4 address in bits 16–48.
  if (range === '6to4') return embeddedReason(range, new ipaddr.IPv4(bytesOf(addr.parts[1], addr.parts[2])));
  if (range !== 'unicast') return range;
  // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291) has no legitimate use; ipaddr.js calls it unicast.
  if (addr.parts.slice(0, 6).every((p) => p === 0)) return 'IPv4-compatible';
  // Only 2000::/3 is allocated for global unicast.
  if (((addr.parts[0] ?? 0) & 0xe000) !== 0x2000) return 'reserved';
  return null;
}

function embeddedReason(range: string, v4: ipaddr.IPv4): string | null {
  const inner = ipv4Reason(v4);
  return inner === null ? null : `${inner} (${range} ${v4.toString()})`;
}

function lowIPv4(addr: ipaddr.IPv6): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytesOf(addr.parts[6], addr.parts[7]));
}

function bytesOf(high = 0, low = 0): number[] {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff];
}

/** The URL's host without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** "host:port" as ALLOW_PRIVATE_HOSTS spells it, the default port filled in. */
export function hostPortOf(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname.toLowerCase()}:${port}`;
}

/** True when this exact host:port pair is listed; no other port or host of the same machine is opened. */
export function isAllowedPrivateHost(url: URL, allowPrivateHosts: readonly string[]): boolean {
  const wanted = hostPortOf(url);
  return allowPrivateHosts.some((entry) => entry.trim().toLowerCase() === wanted);
}

/** Parses a feed URL and refuses anything but http(s). */
export function parseFetchUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (cause) {
    throw new FetchError('bad-url', `"${raw}" is not a valid URL`, { url: raw }, { cause });
  }
  if (!FETCHABLE_SCHEMES.has(url.protocol))
    throw new FetchError('bad-url', `only http and https URLs can be fetched, not ${url.protocol} (${url.href})`, {
      url: url.href,
    });
  return url;
}

/** Refuses a literal IP host before connecting (Node does not call the lookup for those). */
export function assertPublicLiteralHost(url: URL): void {
  const host = bareHost(url);
  if (net.isIP(host) === 0) return;
  const reason = blockedAddressReason(host);
  if (reason !== null) throw blockedError(url.href, host, reason);
}

function blockedError(url: string, ip: string, reason: string): FetchError {
  return new FetchError(
    'blocked-address',
    `refusing to connect to ${ip} (${reason}) for ${url}; list its host:port in ALLOW_PRIVATE_HOSTS to allow it`,
    { url },
  );
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A net/tls `lookup` that refuses the connection when any resolved address is not public; `url` names the fetch in errors (a shared agent names the host). */
export function createGuardedLookup(url: string | null) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      for (const { address } of addresses) {
        const reason = blockedAddressReason(address);
        if (reason !== null)
          return callback(
            blockedError(url ?? hostname, `${hostname} → ${address}`, reason) as NodeJS.ErrnoException,
            [],
          );
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}
