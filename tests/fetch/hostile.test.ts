// Hostile and broken servers: every one ends in a clear FetchError within the limits, and the
// server sees its socket closed afterwards.
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed } from '../../src/fetch/http.js';
import { expectFetchError, get, startHttpServer, startTcpServer, testOptions, type TrackedServer } from './servers.js';

let server: TrackedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Fetches `/` from the server and expects a FetchError of `kind`, then checks the sockets closed. */
async function expectFailure(s: TrackedServer, kind: Parameters<typeof expectFetchError>[1], overrides = {}) {
  server = s;
  const err = await expectFetchError(fetchFeed(get(s.url('/')), testOptions(s, overrides)), kind);
  expect(s.connections).toBeGreaterThan(0);
  await s.allClosed();
  return err;
}

/** Zeros forever, for bodies that never end on their own. */
const endlessZeros = () =>
  new Readable({
    read() {
      this.push(Buffer.alloc(16 * 1024));
    },
  });

describe('size limits', () => {
  it('refuses a declared Content-Length over maxBytes before reading the body', async () => {
    const s = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
    });
    const err = await expectFailure(s, 'too-large');
    expect(err.message).toContain('64 KB limit');
  });

  it('stops an endless body without Content-Length at maxBytes', async () => {
    const s = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      endlessZeros().pipe(res);
    });
    await expectFailure(s, 'too-large', { timeoutMs: 5000 });
  });

  it('stops an endless gzip bomb at maxBytes of decompressed output', async () => {
    const s = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      endlessZeros().pipe(zlib.createGzip()).pipe(res);
    });
    // 64 KB of zeros compress to well under 1 KB: only the decompressed count can catch this in time.
    await expectFailure(s, 'too-large', { timeoutMs: 5000 });
  });

  it('refuses response headers over the header limit', async () => {
    const s = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'x-padding': 'a'.repeat(40 * 1024) }).end('<rss/>');
    });
    const err = await expectFailure(s, 'too-large');
    expect(err.message).toContain('headers');
  });
});

describe('time limits', () => {
  it('fails at the total timeout when the body drips one byte at a time', async () => {
    const s = await startHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const err = await expectFailure(s, 'timeout', { connectTimeoutMs: 400, timeoutMs: 700 });
    expect(err.message).toContain('no complete response within 700 ms');
  });

  it('fails at the connect timeout when the server accepts but never answers', async () => {
    const s = await startTcpServer(() => undefined);
    const err = await expectFailure(s, 'timeout', { connectTimeoutMs: 300, timeoutMs: 5000 });
    expect(err.message).toContain('no response headers within 300 ms');
  });

  it('fails at the connect timeout when headers trickle in slowly', async () => {
    const s = await startTcpServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
      socket.on('close', () => clearInterval(timer));
    });
    await expectFailure(s, 'timeout', { connectTimeoutMs: 300, timeoutMs: 5000 });
  });
});

describe('broken connections', () => {
  it('reports a connection reset in the middle of the body', async () => {
    const s = await startTcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>partial');
        setTimeout(() => socket.resetAndDestroy(), 20);
      });
    });
    const err = await expectFailure(s, 'network');
    expect(err.message).toMatch(/reset|closed/);
  });

  it('reports a body shorter than its Content-Length', async () => {
    const s = await startTcpServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss>short</rss>'));
    });
    const err = await expectFailure(s, 'network');
    expect(err.message).toMatch(/closed before|shorter/);
  });

  it('reports a reply that is not HTTP', async () => {
    const s = await startTcpServer((socket) => {
      socket.once('data', () => socket.write('SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001garbage\r\n\r\n'));
    });
    const err = await expectFailure(s, 'network');
    expect(err.message).toContain('not valid HTTP');
  });

  it('reports a server that closes without answering', async () => {
    const s = await startTcpServer((socket) => socket.once('data', () => socket.end()));
    await expectFailure(s, 'network');
  });

  it('reports a refused connection', async () => {
    const s = await startTcpServer(() => undefined);
    const options = testOptions(s);
    await s.close();
    const err = await expectFetchError(fetchFeed(get(s.url('/')), options), 'network');
    expect(err.message).toContain('connection refused');
  });
});
