// The address guard: only public unicast addresses, whatever the spelling; ALLOW_PRIVATE_HOSTS
// opens exactly the listed host:port pairs.
import dns from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import {
  assertPublicLiteralHost,
  blockedAddressReason,
  createGuardedLookup,
  parseFetchUrl,
} from '../../src/fetch/address.js';
import { fetchFeed } from '../../src/fetch/http.js';
import { expectFetchError, get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

describe('blockedAddressReason', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'teredo'],
    ['::ffff:127.0.0.1', 'loopback (ipv4Mapped 127.0.0.1)'],
    ['::ffff:10.1.2.3', 'private (ipv4Mapped 10.1.2.3)'],
    ['::ffff:169.254.169.254', 'cloud metadata (ipv4Mapped 169.254.169.254)'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::8.8.8.8', 'IPv4-compatible'],
    ['64:ff9b::127.0.0.1', 'loopback (rfc6052 127.0.0.1)'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata (rfc6052 169.254.169.254)'],
    ['64:ff9b:1::10.0.0.1', 'private (rfc6052 10.0.0.1)'],
    ['2002:7f00:1::', 'loopback (6to4 127.0.0.1)'],
    ['2002:c0a8:101::1', 'private (6to4 192.168.1.1)'],
    ['4000::1', 'reserved'],
  ])('%s is refused: %s', (ip, reason) => {
    expect(blockedAddressReason(ip)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '192.169.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:82b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
  ])('%s is public', (ip) => {
    expect(blockedAddressReason(ip)).toBeNull();
  });
});

describe('URL hosts, in every spelling the URL parser accepts', () => {
  it.each([
    'http://127.0.0.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://0x7f.0.0.1/',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://0/',
    'http://0.0.0.0:8080/',
    'http://[::]/',
    'http://[::1]/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://[64:ff9b::127.0.0.1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'https://10.0.0.1/',
    'http://user:pw@192.168.0.1/',
    'http://%31%32%37.0.0.1/',
  ])('%s is refused before connecting', async (url) => {
    expect(() => assertPublicLiteralHost(parseFetchUrl(url))).toThrow(FetchError);
    await expectFetchError(fetchFeed(get(url), testOptions({ hostPort: 'unused:1' })), 'blocked-address');
  });

  it.each(['http://8.8.8.8/', 'https://1.1.1.1/', 'http://[2606:4700:4700::1111]/', 'https://example.com/feed'])(
    '%s passes the literal check (names are checked at lookup)',
    (url) => {
      expect(() => assertPublicLiteralHost(parseFetchUrl(url))).not.toThrow();
    },
  );

  it.each([
    'not a url',
    '/relative/feed',
    'ftp://example.com/feed',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/xml,<rss/>',
    'ws://example.com/',
  ])('%s is a bad URL', async (url) => {
    await expectFetchError(fetchFeed(get(url), testOptions({ hostPort: 'unused:1' })), 'bad-url');
  });
});

describe('the guarded lookup', () => {
  const lookup = createGuardedLookup('http://localhost/');
  const resolve = (host: string, options: dns.LookupOptions) =>
    new Promise<unknown>((done) => lookup(host, options, (err, address) => done(err ?? address)));

  it('refuses a name that resolves to loopback, in single and all-addresses mode', async () => {
    for (const options of [{}, { all: true }]) {
      const result = await resolve('localhost', options);
      expect(result).toBeInstanceOf(FetchError);
      expect((result as FetchError).kind).toBe('blocked-address');
      expect((result as FetchError).message).toContain('localhost → 127.0.0.1 (loopback)');
    }
  });

  it('passes DNS failures through', async () => {
    const result = await resolve('no-such-host.invalid', {});
    expect((result as NodeJS.ErrnoException).code).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});

describe('ALLOW_PRIVATE_HOSTS', () => {
  let allowed: TrackedServer;
  let other: TrackedServer;
  beforeAll(async () => {
    allowed = await startHttpServer((_req, res) => res.writeHead(200).end('<rss>allowed</rss>'));
    other = await startHttpServer((_req, res) => res.writeHead(200).end('<rss>other</rss>'));
  });
  afterAll(async () => {
    await allowed.close();
    await other.close();
  });

  it('refuses a loopback server that is not listed', async () => {
    await expectFetchError(
      fetchFeed(get(allowed.url('/')), testOptions({ hostPort: 'example.com:80' })),
      'blocked-address',
    );
    expect(allowed.connections).toBe(0);
  });

  it('opens exactly the listed pair: not another port, nor the same port under another name', async () => {
    const options = testOptions(allowed);
    expect((await fetchFeed(get(allowed.url('/')), options)).body).toBe('<rss>allowed</rss>');
    await expectFetchError(fetchFeed(get(other.url('/')), options), 'blocked-address');
    await expectFetchError(fetchFeed(get(`http://localhost:${allowed.port}/`), options), 'blocked-address');
    await expectFetchError(fetchFeed(get(`http://[::1]:${allowed.port}/`), options), 'blocked-address');
    await expectFetchError(fetchFeed(get(`http://2130706433:${other.port}/`), options), 'blocked-address');
    expect(other.connections).toBe(0);
  });

  it('matches a listed name case-insensitively, and the name resolved to loopback is then allowed', async () => {
    const options = testOptions({ hostPort: ` LOCALHOST:${allowed.port} ` });
    expect((await fetchFeed(get(`http://localhost:${allowed.port}/`), options)).body).toBe('<rss>allowed</rss>');
    await expectFetchError(fetchFeed(get(allowed.url('/')), options), 'blocked-address');
  });
});
