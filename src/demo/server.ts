// Serves the demo week as real feeds on 127.0.0.1, so the service can be pointed at them offline.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FeedSource } from '../model.js';
import { writeOpml } from '../sources/opml.js';
import { readDemoItems } from './dataset.js';
import { buildDemoFeeds, type DemoFeed } from './rss.js';

export { DEMO_DATASET_PATH } from './dataset.js';

export interface DemoFeeds {
  /** One entry per feed of the dataset, pointing at this server. */
  sources: FeedSource[];
  origin: string;
  /** host:port, as ALLOW_PRIVATE_HOSTS wants it. */
  hostPort: string;
  close(): Promise<void>;
}

interface Resource {
  body: string;
  contentType: string;
  etag: string;
  lastModified: string;
}

/** Starts a local HTTP server (127.0.0.1, port 0) serving one RSS 2.0 feed per feed of the dataset, and /sources.opml. */
export async function startDemoFeeds(options: { datasetPath: string; format?: 'rss' }): Promise<DemoFeeds> {
  const items = await readDemoItems(options.datasetPath);
  const resources = new Map<string, Resource>();
  const server = http.createServer((req, res) => answer(resources, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  // The documents name their own URL (atom:link self), so they are built once the port is known.
  const feeds = buildDemoFeeds(items, origin);
  for (const feed of feeds) resources.set(feed.path, toFeedResource(feed));
  const sources = feeds.map((f) => f.source);
  const opml = writeOpml(sources, { title: 'Storyline demo feeds', now: latest(feeds) });
  resources.set('/sources.opml', toResource(opml, 'text/x-opml; charset=utf-8', latest(feeds)));
  return { sources, origin, hostPort: `127.0.0.1:${port}`, close: () => closeServer(server) };
}

function toFeedResource(feed: DemoFeed): Resource {
  return toResource(feed.xml, 'application/rss+xml; charset=utf-8', feed.updated);
}

function toResource(body: string, contentType: string, modified: Date): Resource {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, contentType, etag, lastModified: modified.toUTCString() };
}

function latest(feeds: DemoFeed[]): Date {
  return new Date(Math.max(0, ...feeds.map((f) => f.updated.getTime())));
}

function answer(resources: Map<string, Resource>, req: http.IncomingMessage, res: http.ServerResponse): void {
  const resource = resources.get((req.url ?? '/').split('?')[0]!);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed');
    return;
  }
  if (!resource) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const validators = { etag: resource.etag, 'last-modified': resource.lastModified };
  if (isNotModified(req, resource)) {
    res.writeHead(304, validators).end();
    return;
  }
  const headers = {
    ...validators,
    'content-type': resource.contentType,
    'content-length': Buffer.byteLength(resource.body),
  };
  res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : resource.body);
}

/** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
function isNotModified(req: http.IncomingMessage, resource: Resource): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(resource.etag);
  }
  const since = Date.parse(req.headers['if-modified-since'] ?? '');
  return !Number.isNaN(since) && Date.parse(resource.lastModified) <= since;
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.closeAllConnections();
    server.close((err) => (err ? reject(err) : resolve()));
  });
}
