// The hostile catalogue and the servers that play it: one list of cases, as data, shared by the
// end-to-end tests (tests/hostile) and `npm run torture` (bench/torture.ts).
//
// Each case is served on 127.0.0.1 by one of three local servers:
//   http    an HTTP server (both of its ports are in ALLOW_PRIVATE_HOSTS)
//   raw     a TCP server for replies that are not (quite) HTTP: drips, silence, resets, banners
//   secret  a loopback HTTP server that is NOT allowed: any request reaching it is a leak
// plus two control feeds on the HTTP server, whose every fetch yields one new item, so a run can
// tell that they still updated while the hostile cases failed around them.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Queryable } from '../../src/store/db/db.js';
import { DOCUMENT_CASES } from '../hostile/cases/documents.js';
import { SERVER_CASES } from '../hostile/cases/servers.js';
import { rssDoc, rssItem } from '../hostile/cases/bodies.js';

export type Outcome = 'error' | 'items';
export type ErrorKind = 'fetch' | 'http' | 'parse';
export type CaseGroup = 'xml' | 'size' | 'encoding' | 'not-feed' | 'shape' | 'script' | 'server' | 'address';

/** Where the local servers are, for cases that point at each other (redirects, entities, discovery). */
export interface HostileEnv {
  httpOrigin: string;
  httpPort: number;
  rawOrigin: string;
  secretOrigin: string;
  secretPort: number;
  /** The feed URL of a named case on the HTTP server; `sub` for extra hops under it. */
  caseUrl(name: string, sub?: string): string;
  /** An allowed URL that no document may ever make us request (its hits are leaks). */
  leakUrl(tag: string): string;
}

export interface HandlerContext {
  env: HostileEnv;
  /** Requests to this case's paths so far on this server, this one included. */
  hit: number;
}

export type HttpHandler = (req: http.IncomingMessage, res: http.ServerResponse, ctx: HandlerContext) => void;
export type RawHandler = (socket: net.Socket, ctx: HandlerContext) => void;

export type HostileRoute = { http: HttpHandler } | { raw: RawHandler } | { url: (env: HostileEnv) => string };

export interface CheckContext {
  db: Queryable;
  feedId: number;
  controlFeedIds: number[];
  server: HostileServer;
}

export interface HostileCase {
  /** Unique, URL-safe. */
  name: string;
  group: CaseGroup;
  /** One line for the torture table and test names. */
  title: string;
  route: HostileRoute;
  expect: Outcome;
  errorKind?: ErrorKind;
  /** How the error recorded on the feed starts (or a pattern it matches). */
  message?: string | RegExp;
  /** Items stored for the feed when expect is 'items' (default: at least one). */
  items?: { min: number; max?: number };
  /** What a second pass records, when it differs from the first (a server that fails every other request). */
  retry?: Outcome;
  /** Further assertions on what was stored (node:assert; throws on failure). */
  check?(ctx: CheckContext): Promise<void>;
}

export const HOSTILE_CASES: HostileCase[] = [...DOCUMENT_CASES, ...SERVER_CASES];

const duplicates = HOSTILE_CASES.map((c) => c.name).filter((n, i, all) => all.indexOf(n) !== i);
if (duplicates.length > 0) throw new Error(`hostile catalogue: duplicate case names ${duplicates.join(', ')}`);

/** The outlet each case's feed is filed under, so outputs can be filtered to one case. */
export const outletOf = (c: HostileCase): string => `Hostile ${c.name}`;

export interface ControlFeed {
  name: string;
  url: string;
  outlet: string;
  /** Fetches served so far; fetch n serves items 1..n. */
  readonly requests: number;
  /** The guid of item n. */
  guid(n: number): string;
}

export const CONTROL_NAMES = ['alpha', 'beta'] as const;
export const controlGuid = (name: string, n: number): string => `control-${name}-${n}`;

/** Control feed `name` as its n-th fetch sees it: items 1..n, newest first. */
function controlBody(name: string, n: number): string {
  const items = Array.from({ length: n }, (_, i) => n - i).map((k) =>
    rssItem(
      controlGuid(name, k),
      `Control ${name} report ${k}: harbour bridge repairs finish early`,
      `<pubDate>${new Date(Date.UTC(2025, 4, 6, 8, k)).toUTCString()}</pubDate>`,
    ),
  );
  return rssDoc(items.join(''), {
    channel: `<title>Control ${name}</title><link>https://control.example/${name}</link><description>control</description>`,
  });
}

export interface RecordedHit {
  server: 'http' | 'raw' | 'secret';
  path: string;
  headers: http.IncomingHttpHeaders | null;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface HostileServer {
  readonly env: HostileEnv;
  /** host:port pairs to put in ALLOW_PRIVATE_HOSTS (the HTTP and raw servers, not the secret one). */
  readonly allowPrivateHosts: string[];
  readonly controls: ControlFeed[];
  feedUrl(c: HostileCase): string;
  /** Every request received, in order. */
  readonly hits: RecordedHit[];
  /** Requests that reached the secret server or a leak path: must stay empty. */
  leaks(): RecordedHit[];
  hitsOf(c: HostileCase): RecordedHit[];
  openSockets(): number;
  /** Resolves when every accepted socket has closed; rejects after `ms` naming how many are open. */
  allClosed(ms?: number): Promise<void>;
  close(): Promise<void>;
}

const CASE_PATH = /^\/case\/([^/?]+)/;

/** Starts the three servers for the given cases. */
export async function startHostileServer(cases: HostileCase[] = HOSTILE_CASES): Promise<HostileServer> {
  const byName = new Map(cases.map((c) => [c.name, c]));
  const hits: RecordedHit[] = [];
  const counts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const count = (key: string): number => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    return n;
  };
  let env!: HostileEnv;

  const httpServer = http.createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const path = req.url ?? '/';
    hits.push({ server: 'http', path, headers: req.headers, at: Date.now() });
    const control = /^\/control\/([a-z]+)\.xml$/.exec(path)?.[1];
    if (control && (CONTROL_NAMES as readonly string[]).includes(control)) {
      res
        .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' })
        .end(controlBody(control, count(`control:${control}`)));
      return;
    }
    const found = byName.get(CASE_PATH.exec(path)?.[1] ?? '');
    if (found && 'http' in found.route) return found.route.http(req, res, { env, hit: count(found.name) });
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  const rawServer = net.createServer((socket) => {
    let head = '';
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n') && head.length < 8192) return;
      socket.off('data', onData);
      // Keep reading, as any server would, so the client's FIN is seen.
      socket.resume();
      const path = head.split(' ')[1] ?? '/';
      hits.push({ server: 'raw', path, headers: null, at: Date.now() });
      const found = byName.get(CASE_PATH.exec(path)?.[1] ?? '');
      if (found && 'raw' in found.route) found.route.raw(socket, { env, hit: count(found.name) });
      else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    };
    socket.on('data', onData);
  });
  const secretServer = http.createServer((req, res) => {
    hits.push({ server: 'secret', path: req.url ?? '/', headers: req.headers, at: Date.now() });
    res
      .writeHead(200, { 'content-type': 'application/rss+xml' })
      .end(rssDoc(rssItem('secret', 'SECRET-FROM-A-PRIVATE-ADDRESS')));
  });
  for (const server of [httpServer, rawServer, secretServer]) server.on('connection', track);
  const [httpPort, rawPort, secretPort] = await Promise.all([httpServer, rawServer, secretServer].map(listen));

  env = {
    httpOrigin: `http://127.0.0.1:${httpPort}`,
    httpPort: httpPort!,
    rawOrigin: `http://127.0.0.1:${rawPort}`,
    secretOrigin: `http://127.0.0.1:${secretPort}`,
    secretPort: secretPort!,
    caseUrl: (name, sub) => `http://127.0.0.1:${httpPort}/case/${name}${sub ? `/${sub}` : ''}`,
    leakUrl: (tag) => `http://127.0.0.1:${httpPort}/leak/${tag}`,
  };
  const feedUrl = (c: HostileCase): string => {
    if ('url' in c.route) return c.route.url(env);
    return 'raw' in c.route ? `${env.rawOrigin}/case/${c.name}` : env.caseUrl(c.name);
  };
  const controls: ControlFeed[] = CONTROL_NAMES.map((name) => ({
    name,
    url: `${env.httpOrigin}/control/${name}.xml`,
    outlet: `Control ${name}`,
    get requests() {
      return counts.get(`control:${name}`) ?? 0;
    },
    guid: (n: number) => controlGuid(name, n),
  }));

  return {
    env,
    allowPrivateHosts: [`127.0.0.1:${httpPort}`, `127.0.0.1:${rawPort}`],
    controls,
    feedUrl,
    hits,
    leaks: () => hits.filter((h) => h.server === 'secret' || h.path.startsWith('/leak/')),
    hitsOf: (c) => hits.filter((h) => CASE_PATH.exec(h.path)?.[1] === c.name),
    openSockets: () => sockets.size,
    allClosed: async (ms = 3000) => {
      const until = Date.now() + ms;
      while (sockets.size > 0) {
        if (Date.now() > until)
          throw new Error(`${sockets.size} socket(s) to the hostile servers still open after ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([httpServer, rawServer, secretServer].map((s) => new Promise((resolve) => s.close(resolve))));
    },
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** An OPML sources file listing the control feeds and every case's feed, each under its own outlet. */
export function hostileOpml(server: HostileServer, cases: HostileCase[] = HOSTILE_CASES): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  const outline = (outlet: string, url: string) =>
    `<outline type="rss" text="${attr(outlet)}" outlet="${attr(outlet)}" xmlUrl="${attr(url)}"/>`;
  const lines = [
    ...server.controls.map((c) => outline(c.outlet, c.url)),
    ...cases.map((c) => outline(outletOf(c), server.feedUrl(c))),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>hostile</title></head><body>\n${lines.join('\n')}\n</body></opml>\n`;
}

/** Whether a recorded error matches the case: kind and message. */
export function describeMismatch(
  c: HostileCase,
  recorded: { status: string; errorKind: string | null; error: string | null; items: number },
): string | null {
  if (c.expect === 'items') {
    if (recorded.status !== 'ok') return `expected items, got ${recorded.status}: ${recorded.error ?? ''}`;
    const { min, max } = c.items ?? { min: 1 };
    if (recorded.items < min || (max !== undefined && recorded.items > max))
      return `expected ${min}…${max ?? '∞'} items, got ${recorded.items}`;
    return null;
  }
  if (recorded.status !== 'failing' && recorded.status !== 'gone')
    return `expected an error, got ${recorded.status} with ${recorded.items} items`;
  if (c.errorKind && recorded.errorKind !== c.errorKind)
    return `expected a ${c.errorKind} error, got ${recorded.errorKind ?? 'none'}: ${recorded.error ?? ''}`;
  const message = recorded.error ?? '';
  if (typeof c.message === 'string' && !message.startsWith(c.message))
    return `expected the error to start "${c.message}", got "${message}"`;
  if (c.message instanceof RegExp && !c.message.test(message))
    return `expected the error to match ${c.message}, got "${message}"`;
  return null;
}
