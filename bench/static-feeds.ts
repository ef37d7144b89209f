// The ingest benchmarks' feeds: N RSS documents of 50 items each, written as static files and served on
// 127.0.0.1 the way a plain web server serves them (ETag and Last-Modified from the file, 304 to a
// conditional request that matches), so Storyline and a feed reader meet exactly the same site.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const ITEMS_PER_FEED = 50;

/** Feed f's document: 50 items spread over four weeks of May 2025, ten minutes apart within an hour. */
export function feedBody(f: number, items = ITEMS_PER_FEED): string {
  const list = Array.from({ length: items }, (_, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    return `<item><guid>https://bench.example/${f}/${i}</guid><title>Outlet ${f} reports development ${i} in the ongoing story about trade and tariffs</title>
<link>https://bench.example/${f}/${i}?utm_source=rss</link><description>&lt;p&gt;Summary of item ${i} from feed ${f}: officials said talks would continue next week.&lt;/p&gt;</description>
<pubDate>Tue, ${day} May 2025 10:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate><category>World</category></item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench feed ${f}</title><link>https://bench.example/${f}</link><description>d</description>\n${list}</channel></rss>`;
}

/** Writes feed/0.xml … feed/N-1.xml under dir. */
export function writeFeedFiles(dir: string, feeds: number): void {
  fs.mkdirSync(path.join(dir, 'feed'), { recursive: true });
  for (let f = 0; f < feeds; f++) fs.writeFileSync(path.join(dir, 'feed', `${f}.xml`), feedBody(f));
}

interface StaticFile {
  body: Buffer;
  etag: string;
  lastModified: string;
}

function readStatic(file: string): StaticFile {
  const stat = fs.statSync(file);
  // As nginx forms them: modification time and size, in hex.
  return {
    body: fs.readFileSync(file),
    etag: `"${Math.floor(stat.mtimeMs / 1000).toString(16)}-${stat.size.toString(16)}"`,
    lastModified: stat.mtime.toUTCString(),
  };
}

/** RFC 9110 §13.1.3: If-None-Match decides when present; otherwise If-Modified-Since. */
function isNotModified(req: http.IncomingMessage, file: StaticFile): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((tag) => tag.trim() === file.etag);
  const ims = req.headers['if-modified-since'];
  return ims !== undefined && Date.parse(ims) >= Date.parse(file.lastModified);
}

export interface StaticSite {
  origin: string;
  /** host:port, for ALLOW_PRIVATE_HOSTS. */
  hostPort: string;
  urls: string[];
  /** Responses by status since the last reset. */
  statuses: Map<number, number>;
  close(): Promise<void>;
}

/** Serves dir's files (read once, at start) on 127.0.0.1 with validators. */
export async function serveStatic(dir: string, feeds: number): Promise<StaticSite> {
  const files = new Map<string, StaticFile>();
  for (let f = 0; f < feeds; f++) files.set(`/feed/${f}.xml`, readStatic(path.join(dir, 'feed', `${f}.xml`)));
  const statuses = new Map<number, number>();
  const answer = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body?: Buffer): void => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    res.writeHead(status, headers).end(body);
  };
  const server = http.createServer((req, res) => {
    const file = files.get((req.url ?? '/').split('?')[0]!);
    if (!file) return answer(res, 404, {});
    const validators = { etag: file.etag, 'last-modified': file.lastModified };
    if (isNotModified(req, file)) return answer(res, 304, validators);
    answer(
      res,
      200,
      { ...validators, 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': file.body.length },
      file.body,
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = `http://${hostPort}`;
  return {
    origin,
    hostPort,
    urls: Array.from({ length: feeds }, (_, f) => `${origin}/feed/${f}.xml`),
    statuses,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An OPML sources file of the urls, one outlet per 20 feeds (as a newsroom's sections share an outlet). */
export function sourcesOpml(urls: string[]): string {
  const lines = urls.map(
    (u, f) => `<outline type="rss" text="Bench feed ${f}" outlet="Outlet ${Math.floor(f / 20)}" xmlUrl="${u}"/>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>bench</title></head><body>\n${lines.join('\n')}\n</body></opml>\n`;
}
