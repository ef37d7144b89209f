// The only reader of process.env: one table of key, default, parser and one-line doc.
// `storyline config` prints the table; the README's configuration section is that table.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { ConfigError } from './errors.js';
import { hideCredentials } from './redact.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root in both the TypeScript sources and the compiled dist/. */
export const PACKAGE_ROOT = path.resolve(
  here,
  here.endsWith(`${path.sep}src`) || here.endsWith(`${path.sep}dist`) ? '..' : '../..',
);
export const DEFAULT_SOURCES_FILE = path.join(PACKAGE_ROOT, 'src', 'sources', 'default.opml');

type Parser<T> = (raw: string, key: string) => T;

const asFolder: Parser<string> = (raw, key) => {
  if (raw.trim() === '') throw new ConfigError(`${key} must name a folder, got an empty value`);
  return raw;
};

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text sent in HTTP headers: a control character would make every request invalid. */
const asHeaderText: Parser<string> = (raw, key) => {
  if (raw.trim() === '' || CONTROL.test(raw))
    throw new ConfigError(`${key} must be non-empty text without control characters`);
  return raw;
};

const asInt =
  (min: number, max: number): Parser<number> =>
  (raw, key) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ConfigError(`${key} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };

const asOptionalPort: Parser<number | null> = (raw, key) => (raw === '' ? null : asInt(0, 65535)(raw, key));

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Durations as "500ms", "30s", "10m", "6h", "90d" (a bare number is milliseconds). */
export const asDuration: Parser<number> = (raw, key) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!m) throw new ConfigError(`${key} must be a duration such as 30s, 10m or 6h, got "${raw}"`);
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']!);
};

/** A duration that must not be zero (a zero lease or timeout would make every fetch fail or repeat). */
const asPositiveDuration: Parser<number> = (raw, key) => {
  const ms = asDuration(raw, key);
  if (ms < 1) throw new ConfigError(`${key} must be longer than zero, got "${raw}"`);
  return ms;
};

const asBytes: Parser<number> = (raw, key) => {
  const m = /^(\d+)(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!m) throw new ConfigError(`${key} must be a size such as 512kb or 10mb, got "${raw}"`);
  const mult = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Number(m[1]) * mult;
};

const asBaseUrl: Parser<string | null> = (raw, key) => {
  if (raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${key} must be an absolute http(s) URL such as https://news.example.org, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`${key} must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, '');
};

// pg reads any string as a connection string ("garbage" becomes host "base"): only URLs go through.
const asDatabaseUrl: Parser<string | null> = (raw, key) => {
  if (raw === '') return null;
  const url = URL.parse(raw);
  const example = 'such as postgres://user:password@host:5432/storyline';
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:'))
    throw new ConfigError(`${key} must be a postgres:// connection string ${example}, got "${hideCredentials(raw)}"`);
  if (url.hostname === '' && !url.searchParams.has('host'))
    throw new ConfigError(`${key} names no host ${example}, got "${hideCredentials(raw)}"`);
  return raw;
};

const asCron: Parser<string> = (raw, key) => {
  if (!cron.validate(raw.trim()))
    throw new ConfigError(
      `${key} must be a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), such as "*/5 * * * *", got "${raw}"`,
    );
  return raw.trim();
};

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

const isHost = (host: string): boolean => net.isIP(host) !== 0 || HOST_NAME.test(host);

const asHost: Parser<string> = (raw, key) => {
  if (!isHost(raw))
    throw new ConfigError(`${key} must be a host name or IP address such as 127.0.0.1 or 0.0.0.0, got "${raw}"`);
  return raw;
};

const asSourcesFile: Parser<string | null> = (raw, key) => {
  if (raw === '') return null;
  try {
    fs.accessSync(raw, fs.constants.R_OK);
  } catch (err) {
    throw new ConfigError(`${key} names a file that cannot be read: ${(err as Error).message}`);
  }
  return raw;
};

/** A valid admin token is never rate-limited, so only its length stops guessing. */
const MIN_TOKEN_CHARS = 16;

// The admin check reads the token as one word after "Bearer": one with spaces could never match.
const asToken: Parser<string | null> = (raw, key) => {
  if (raw === '') return null;
  if (/[\s\u0000-\u001f\u007f]/.test(raw))
    throw new ConfigError(`${key} must not contain spaces or control characters`);
  if (raw.length < MIN_TOKEN_CHARS)
    throw new ConfigError(`${key} must be at least ${MIN_TOKEN_CHARS} characters (try: openssl rand -hex 32)`);
  return raw;
};

const asList: Parser<string[]> = (raw) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const asHostPorts: Parser<string[]> = (raw, key) => {
  const pairs = asList(raw, key);
  for (const pair of pairs) {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+):(\d{1,5})$/.exec(pair);
    if (!m || !isHost(m[1]!.replace(/^\[|\]$/g, '')) || Number(m[2]) > 65535)
      throw new ConfigError(`${key} lists "${pair}"; each entry is host:port, such as 127.0.0.1:8123`);
  }
  return pairs;
};

const asLevel: Parser<string> = (raw, key) => {
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(raw))
    throw new ConfigError(`${key} must be a log level (error, warn, info, debug…), got "${raw}"`);
  return raw;
};

const asRoles: Parser<Array<'worker' | 'server'>> = (raw, key) => {
  const roles = raw.trim() === 'both' ? ['worker', 'server'] : asList(raw, key);
  for (const r of roles)
    if (r !== 'worker' && r !== 'server') throw new ConfigError(`${key} lists "${r}"; use worker, server or both`);
  if (roles.length === 0) throw new ConfigError(`${key} must name worker, server or both`);
  return [...new Set(roles)] as Array<'worker' | 'server'>;
};

interface Setting<T> {
  key: string;
  default: string;
  parse: Parser<T>;
  doc: string;
}

const setting = <T>(key: string, def: string, parse: Parser<T>, doc: string): Setting<T> => ({
  key,
  default: def,
  parse,
  doc,
});

/** Every setting, in the order the README documents them. */
export const SETTINGS = {
  databaseUrl: setting(
    'DATABASE_URL',
    '',
    asDatabaseUrl,
    'Postgres connection string. Unset: the embedded PGlite database under DATA_DIR.',
  ),
  dataDir: setting(
    'DATA_DIR',
    './data',
    asFolder,
    'Folder for the embedded database (used only without DATABASE_URL).',
  ),
  embeddedCache: setting(
    'EMBEDDED_CACHE',
    '16mb',
    asBytes,
    "The embedded database's page cache (shared_buffers), held in the service's memory.",
  ),
  run: setting(
    'RUN',
    'worker,server',
    asRoles,
    'What `storyline start` runs in this process: worker, server or both (for several workers, run more processes with RUN=worker).',
  ),
  host: setting('HOST', '127.0.0.1', asHost, 'Address the HTTP server listens on (0.0.0.0 in a container).'),
  port: setting('PORT', '8080', asInt(0, 65535), 'HTTP port.'),
  metricsPort: setting(
    'METRICS_PORT',
    '',
    asOptionalPort,
    'Port of a listener of its own for /metrics and /healthz (on HOST), for RUN=worker processes; unset: only the server serves /metrics, on PORT.',
  ),
  baseUrl: setting(
    'BASE_URL',
    '',
    asBaseUrl,
    'Public URL of the service, used in feed self links. Default: http://HOST:PORT.',
  ),
  renderConcurrency: setting(
    'RENDER_CONCURRENCY',
    '2',
    asInt(1, 256),
    'Uncached responses the server renders at once; others wait in the render queue.',
  ),
  renderQueue: setting(
    'RENDER_QUEUE',
    '32',
    asInt(0, 10_000),
    'Uncached requests that may wait for a render; beyond it the server answers 503 with Retry-After.',
  ),
  renderRateLimit: setting(
    'RENDER_RATE_LIMIT',
    '600',
    asInt(0, 1_000_000),
    'Uncached renders allowed per client address per minute (429 beyond; cached answers are not counted); 0 turns it off.',
  ),
  statementTimeout: setting(
    'STATEMENT_TIMEOUT',
    '5s',
    asPositiveDuration,
    'Longest a server query may run on a Postgres server before it is cancelled (503); the embedded database cannot cancel.',
  ),
  serverParallelWorkers: setting(
    'SERVER_PARALLEL_WORKERS',
    '0',
    asInt(0, 64),
    'Parallel workers one server query may use on a Postgres server (max_parallel_workers_per_gather); 0: one backend per query, so concurrent renders share the cores.',
  ),
  sourcesFile: setting(
    'SOURCES_FILE',
    '',
    asSourcesFile,
    'OPML file of outlets and feeds; each feed in it is added at start if missing. Default: the bundled sources/default.opml.',
  ),
  fetchSchedule: setting(
    'FETCH_SCHEDULE',
    '*/1 * * * *',
    asCron,
    'node-cron expression for the worker tick; each tick fetches the feeds that are due.',
  ),
  pollInterval: setting(
    'POLL_INTERVAL',
    '30m',
    asPositiveDuration,
    'Interval between fetches of a feed that gives no signal of its own.',
  ),
  pollMinInterval: setting(
    'POLL_MIN_INTERVAL',
    '5m',
    asPositiveDuration,
    'Shortest interval between fetches of one feed, whatever it asks for.',
  ),
  pollMaxInterval: setting(
    'POLL_MAX_INTERVAL',
    '24h',
    asPositiveDuration,
    'Longest interval between fetches of one feed, whatever it asks for.',
  ),
  backoffMax: setting(
    'BACKOFF_MAX',
    '24h',
    asPositiveDuration,
    'Cap of the exponential backoff after repeated errors.',
  ),
  fetchLease: setting(
    'FETCH_LEASE',
    '5m',
    asPositiveDuration,
    'How long a worker holds a claimed feed before another may take it.',
  ),
  fetchBatch: setting('FETCH_BATCH', '100', asInt(1, 10_000), 'Most feeds one worker claims per tick.'),
  fetchConcurrency: setting('FETCH_CONCURRENCY', '8', asInt(1, 256), 'Fetches in flight at once per worker.'),
  fetchPerHost: setting('FETCH_PER_HOST', '2', asInt(1, 64), 'Fetches in flight at once to one host per worker.'),
  fetchConnectTimeout: setting(
    'FETCH_CONNECT_TIMEOUT',
    '10s',
    asPositiveDuration,
    'Time allowed to connect (and receive response headers).',
  ),
  fetchTimeout: setting('FETCH_TIMEOUT', '30s', asPositiveDuration, 'Total time allowed for one fetch, body included.'),
  fetchMaxBytes: setting('FETCH_MAX_BYTES', '10mb', asBytes, 'Largest feed body accepted (after decompression).'),
  fetchMaxRedirects: setting('FETCH_MAX_REDIRECTS', '5', asInt(0, 20), 'Most redirects followed for one fetch.'),
  storyBatch: setting(
    'STORY_BATCH',
    '2000',
    asInt(1, 100_000),
    'Items the story writer reads, decides and writes per transaction; a pass hands it the items it stores this many at a time while it goes on fetching.',
  ),
  maxItemsPerFetch: setting(
    'MAX_ITEMS_PER_FETCH',
    '500',
    asInt(1, 100_000),
    'Most entries kept from one feed document (the newest first).',
  ),
  userAgent: setting(
    'USER_AGENT',
    'Storyline/0.1 (+https://github.com/storyline-news/storyline)',
    asHeaderText,
    'User-Agent sent with every request.',
  ),
  allowPrivateHosts: setting(
    'ALLOW_PRIVATE_HOSTS',
    '',
    asHostPorts,
    'host:port pairs the fetcher may reach even though they are private or loopback (intranet feeds, tests).',
  ),
  opmlMaxFeeds: setting(
    'OPML_MAX_FEEDS',
    '10000',
    asInt(1, 10_000_000),
    'Most feeds one OPML import may hold; a larger document is refused.',
  ),
  retention: setting('RETENTION', '90d', asDuration, 'Items and stories older than this are pruned.'),
  adminToken: setting(
    'ADMIN_TOKEN',
    '',
    asToken,
    'Bearer token for the admin API, at least 16 characters; the admin API is off when unset.',
  ),
  logLevel: setting('LOG_LEVEL', 'info', asLevel, 'Log level (one JSON line per event on stdout).'),
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: Settings[K] extends Setting<infer T> ? T : never };

/** Reads and validates every setting once; fails fast with a message naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SETTINGS) as Array<[string, Setting<unknown>]>) {
    const raw = env[s.key];
    out[name] = s.parse(raw === undefined ? s.default : raw, s.key);
  }
  const config = out as Config;
  if (config.pollMinInterval > config.pollMaxInterval)
    throw new ConfigError('POLL_MIN_INTERVAL must not exceed POLL_MAX_INTERVAL');
  return config;
}

/** The public URL of the server. */
export function publicBaseUrl(config: Pick<Config, 'baseUrl' | 'host' | 'port'>): string {
  if (config.baseUrl) return config.baseUrl.replace(/\/+$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host}:${config.port}`;
}

/** The settings table as Markdown, for `storyline config` and the README. */
export function describeSettings(): string {
  const rows = Object.values(SETTINGS).map(
    (s) => `| \`${s.key}\` | ${s.default === '' ? '—' : `\`${s.default}\``} | ${s.doc} |`,
  );
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The sources file the service loads: SOURCES_FILE, else the bundled outlets. */
export function sourcesFile(config: Pick<Config, 'sourcesFile'>): string {
  return config.sourcesFile ?? DEFAULT_SOURCES_FILE;
}
