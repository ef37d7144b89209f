// Local servers for the fetch tests, on 127.0.0.1 port 0, that count their sockets so a test can
// check the fetcher left none open.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { FetchError, type FetchErrorKind } from '../../src/errors.js';
import type { FetchOptions } from '../../src/fetch/http.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** ../shared/datasets/feeds beside the repository (CI clones the repo next to shared/). */
export const FEEDS_DIR = path.resolve(here, '../../../shared/datasets/feeds');

export interface TrackedServer {
  readonly origin: string;
  /** host:port, as ALLOW_PRIVATE_HOSTS wants it. */
  readonly hostPort: string;
  readonly port: number;
  url(path: string): string;
  /** Sockets accepted so far. */
  readonly connections: number;
  /** Resolves once every accepted socket has closed; rejects after 2 s naming how many are still open. */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/** An HTTP server whose handler sees every request. */
export function startHttpServer(handler: http.RequestListener): Promise<TrackedServer> {
  return track(http.createServer({ maxHeaderSize: 64 * 1024 }, handler));
}

/** A raw TCP server, for replies that are not (quite) HTTP. */
export function startTcpServer(onSocket: (socket: net.Socket) => void): Promise<TrackedServer> {
  return track(
    net.createServer((socket) => {
      onSocket(socket);
      // Keep reading so the client's FIN is seen, as any real server would.
      socket.resume();
    }),
  );
}

async function track(server: net.Server): Promise<TrackedServer> {
  const open = new Set<net.Socket>();
  let connections = 0;
  server.on('connection', (socket: net.Socket) => {
    connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    hostPort: `127.0.0.1:${port}`,
    port,
    url: (p) => origin + p,
    get connections() {
      return connections;
    },
    allClosed: () =>
      waitUntil(
        () => open.size === 0,
        () => `${open.size} socket(s) still open on ${origin}`,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

async function waitUntil(done: () => boolean, describe: () => string): Promise<void> {
  const until = Date.now() + 2000;
  while (!done()) {
    if (Date.now() > until) throw new Error(describe());
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Options for tests: small limits so hostile servers fail fast, and the given servers allowed. */
export function testOptions(
  servers: TrackedServer | TrackedServer[] | { hostPort: string },
  overrides: Partial<FetchOptions> = {},
): FetchOptions {
  const list = Array.isArray(servers) ? servers : [servers];
  return {
    userAgent: 'Storyline/test (+https://github.com/storyline-news/storyline)',
    connectTimeoutMs: 400,
    timeoutMs: 800,
    maxBytes: 64 * 1024,
    maxRedirects: 5,
    allowPrivateHosts: list.map((s) => s.hostPort),
    ...overrides,
  };
}

/** A plain request with no validators. */
export function get(url: string, extra: { etag?: string; lastModified?: string; accept?: 'feed' | 'html' } = {}) {
  return {
    url,
    etag: extra.etag ?? null,
    lastModified: extra.lastModified ?? null,
    ...(extra.accept ? { accept: extra.accept } : {}),
  };
}

/** Awaits a rejection and checks it is a FetchError of `kind`. */
export async function expectFetchError(promise: Promise<unknown>, kind: FetchErrorKind): Promise<FetchError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected FetchError '${kind}', but the fetch succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  const fetchError = err as FetchError;
  expect(fetchError.kind, fetchError.message).toBe(kind);
  expect(fetchError.message).toMatch(/^fetch: /);
  return fetchError;
}
