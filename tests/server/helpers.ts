// The real app on 127.0.0.1 port 0 over a test database, a raw HTTP client (no automatic
// decompression, so encodings can be checked), and a Db wrapper that counts queries.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { createSilentLogger } from '../../src/log.js';
import { createMetrics, type Metrics } from '../../src/metrics.js';
import { createApp, createResponseCache, type AdminActions, type ResponseCache } from '../../src/server/app.js';
import type { RenderGate } from '../../src/server/render-gate.js';
import type { Db } from '../../src/store/db/db.js';

export interface RunningApp {
  origin: string;
  cache: ResponseCache;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface AppOptions {
  env?: Record<string, string>;
  admin?: AdminActions;
  now?: () => Date;
  adminRateLimit?: number;
  dataVersionInterval?: number;
  dataVersionWait?: number;
  renders?: RenderGate;
}

export async function startApp(db: Db, options: AppOptions = {}): Promise<RunningApp> {
  const cache = createResponseCache();
  const metrics = createMetrics();
  const app = createApp({
    db,
    config: loadConfig({ PORT: '0', ...options.env }),
    metrics,
    logger: createSilentLogger(),
    cache,
    ...(options.admin ? { admin: options.admin } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.adminRateLimit ? { adminRateLimit: options.adminRateLimit } : {}),
    ...(options.dataVersionInterval !== undefined ? { dataVersionInterval: options.dataVersionInterval } : {}),
    ...(options.renders ? { renders: options.renders } : {}),
    ...(options.dataVersionWait !== undefined ? { dataVersionWait: options.dataVersionWait } : {}),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    cache,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
}

/** One request with exactly the headers given; the path is sent as written (no normalisation). */
export function request(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const text = body.toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** GET that expects a 200 and returns the body as text. */
export async function getText(origin: string, path: string): Promise<string> {
  const res = await request(origin, path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.text;
}

export async function getJson<T = any>(origin: string, path: string): Promise<T> {
  return JSON.parse(await getText(origin, path)) as T;
}

/** A Db that counts the queries made through it. */
export function countingDb(db: Db): { db: Db; count(): number } {
  let n = 0;
  const wrapped: Db = {
    kind: db.kind,
    query: (sql, params) => {
      n += 1;
      return db.query(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return { db: wrapped, count: () => n };
}
