// Content-Encoding: gzip, deflate (zlib-wrapped and raw), br; a gzip bomb stops early.
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/errors.js';
import { readBody } from '../../src/fetch/body.js';
import { fetchFeed } from '../../src/fetch/http.js';
import { expectFetchError, get, startHttpServer, testOptions, type TrackedServer } from './servers.js';

const FEED = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Zürich – ${'news '.repeat(500)}</title></channel></rss>`;
const plain = Buffer.from(FEED, 'utf8');

const ENCODED: Record<string, [string, Buffer]> = {
  gzip: ['gzip', zlib.gzipSync(plain)],
  'x-gzip': ['x-gzip', zlib.gzipSync(plain)],
  'deflate (zlib-wrapped)': ['deflate', zlib.deflateSync(plain)],
  'deflate (raw, as IIS sends it)': ['deflate', zlib.deflateRawSync(plain)],
  br: ['br', zlib.brotliCompressSync(plain)],
  'gzip without its trailer': ['gzip', zlib.gzipSync(plain).subarray(0, -8)],
};

let server: TrackedServer;

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const name = decodeURIComponent(req.url!.slice(1));
    const entry = ENCODED[name];
    if (entry)
      return void res
        .writeHead(200, { 'content-encoding': entry[0], 'content-type': 'application/rss+xml' })
        .end(entry[1]);
    if (name === 'feed.xml.gz')
      return void res.writeHead(200, { 'content-type': 'application/gzip' }).end(zlib.gzipSync(plain));
    if (name === 'zstd') return void res.writeHead(200, { 'content-encoding': 'zstd' }).end(plain);
    if (name === 'corrupt')
      return void res
        .writeHead(200, { 'content-encoding': 'gzip' })
        .end(Buffer.concat([zlib.gzipSync(plain).subarray(0, 10), Buffer.from('not deflate data at all')]));
    res.writeHead(404).end();
  });
});
afterAll(() => server.close());

describe('decompression', () => {
  it.each(Object.keys(ENCODED))('decodes a %s body', async (name) => {
    const result = await fetchFeed(get(server.url(`/${encodeURIComponent(name)}`)), testOptions(server));
    expect(result.body).toBe(FEED.replace(' encoding="utf-8"', ''));
    expect(result.bytes).toBe(plain.length);
  });

  it('unpacks a body that is itself a gzip file (feed.xml.gz served as-is)', async () => {
    const result = await fetchFeed(get(server.url('/feed.xml.gz')), testOptions(server));
    expect(result.body).toContain('<title>Zürich');
  });

  it('refuses an unsupported Content-Encoding', async () => {
    const err = await expectFetchError(fetchFeed(get(server.url('/zstd')), testOptions(server)), 'decode');
    expect(err.message).toContain('zstd');
  });

  it('reports a corrupt gzip body as a decode error', async () => {
    await expectFetchError(fetchFeed(get(server.url('/corrupt')), testOptions(server)), 'decode');
    await server.allClosed();
  });
});

describe('gzip bomb', () => {
  it('stops reading the compressed stream soon after the decompressed limit', async () => {
    // 1 GB of zeros in ~1 MB: a thousand gzip members of 1 MB zeros each, read in 512-byte chunks against a 64 KB limit.
    const member = zlib.gzipSync(Buffer.alloc(1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: 1000 }, () => member));
    let consumed = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < bomb.length; i += 512) {
          consumed += 512;
          yield bomb.subarray(i, i + 512);
        }
      })(),
    );
    const err = await readBody(source, 'gzip', { maxBytes: 64 * 1024, url: 'http://example.test/bomb' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).kind).toBe('too-large');
    expect(consumed).toBeLessThan(64 * 1024);
    expect(source.destroyed).toBe(true);
  });
});
