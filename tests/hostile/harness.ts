// Runs hostile cases through the real worker (createWorkerDeps + runPass) into a real database,
// with the two control feeds in the same pass, and checks what each feed row recorded.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createSilentLogger } from '../../src/log.js';
import { createWorkerDeps } from '../../src/worker/deps.js';
import { createMetrics } from '../../src/metrics.js';
import type { FeedReport } from '../../src/model.js';
import { createApp } from '../../src/server/app.js';
import type { Db } from '../../src/store/db/db.js';
import { addFeed, listFeedReports } from '../../src/store/feeds.js';
import type { RefreshReport } from '../../src/worker/refresh.js';
import { runPass } from '../../src/worker/worker.js';
import { describeMismatch, outletOf, type HostileCase, type HostileServer } from '../helpers/hostile.js';

/**
 * Small limits so every case ends fast; wide concurrency so no case waits behind a slow one. Each
 * suite passes its own timeouts: parsing a few MB of hostile XML holds the event loop for a second
 * or more (several on a loaded machine), and the hostile servers share this process, so the
 * timeouts must stay well above that or a busy loop is taken for a slow server.
 */
export function hostileConfig(server: HostileServer, env: Record<string, string> = {}): Config {
  return loadConfig({
    ALLOW_PRIVATE_HOSTS: server.allowPrivateHosts.join(','),
    FETCH_CONNECT_TIMEOUT: '2s',
    FETCH_TIMEOUT: '3s',
    FETCH_MAX_BYTES: '5mb',
    FETCH_CONCURRENCY: '64',
    FETCH_PER_HOST: '64',
    FETCH_BATCH: '200',
    POLL_MIN_INTERVAL: '1m',
    ...env,
  });
}

export interface CaseResult {
  feedId: number;
  report: RefreshReport;
  feed: FeedReport;
}

export interface PassResult {
  byCase: Map<string, CaseResult>;
  controls: CaseResult[];
  wallMs: number;
}

const source = (url: string, outlet: string) => ({ url, outlet, section: null, title: null, site: null, region: null });

/** Stores the control feeds and the cases' feeds (each under its own outlet). */
export async function addHostileFeeds(
  db: Db,
  server: HostileServer,
  cases: HostileCase[],
): Promise<{ caseIds: Map<string, number>; controlIds: number[] }> {
  const controlIds: number[] = [];
  for (const c of server.controls) controlIds.push((await addFeed(db, source(c.url, c.outlet))).feed.id);
  return { caseIds: await addCaseFeeds(db, server, cases), controlIds };
}

/** Stores the cases' feeds only. */
export async function addCaseFeeds(db: Db, server: HostileServer, cases: HostileCase[]): Promise<Map<string, number>> {
  const caseIds = new Map<string, number>();
  for (const c of cases) caseIds.set(c.name, (await addFeed(db, source(server.feedUrl(c), outletOf(c)))).feed.id);
  return caseIds;
}

/** One pass over every active feed (or, with dueOnly, the feeds due now); returns each case's report and feed row. */
export async function runHostilePass(
  db: Db,
  server: HostileServer,
  cases: HostileCase[],
  ids: { caseIds: Map<string, number>; controlIds: number[] },
  env: Record<string, string> = {},
  options: { dueOnly?: boolean } = {},
): Promise<PassResult> {
  const deps = createWorkerDeps(db, hostileConfig(server, env), createSilentLogger());
  const started = Date.now();
  const reports = await runPass(deps, { everyFeed: !options.dueOnly });
  const wallMs = Date.now() - started;
  const reportOf = new Map(reports.map((r) => [r.feedId, r]));
  const feedOf = new Map((await listFeedReports(db)).map((f) => [f.id, f]));
  const result = (feedId: number): CaseResult => ({ feedId, report: reportOf.get(feedId)!, feed: feedOf.get(feedId)! });
  const byCase = new Map(cases.map((c) => [c.name, result(ids.caseIds.get(c.name)!)]));
  return { byCase, controls: ids.controlIds.map(result), wallMs };
}

export interface Expectation {
  /** No case may take longer than this, whatever it serves (a hang or an expansion would). */
  limitMs: number;
  /** What this pass should record (a second pass of a flaky server differs). */
  outcome?: HostileCase['expect'];
}

/** The recorded outcome matches the case, in bounded time, and the case's own checks pass. */
export async function expectHandled(
  c: HostileCase,
  run: CaseResult,
  db: Db,
  server: HostileServer,
  controlIds: number[],
  { limitMs, outcome = c.expect }: Expectation,
): Promise<void> {
  expect(run.report, `${c.name} was not fetched in the pass`).toBeDefined();
  expect(describeMismatch({ ...c, expect: outcome }, run.feed)).toBeNull();
  expect(run.report.durationMs).toBeLessThan(limitMs);
  if (outcome === c.expect) await c.check?.({ db, feedId: run.feedId, controlFeedIds: controlIds, server });
}

/** The control feeds fetched fine in this pass and hold every item served so far. */
export function expectControlsUpdated(result: PassResult, server: HostileServer): void {
  for (const [i, control] of server.controls.entries()) {
    const { feed, report } = result.controls[i]!;
    expect(report, `control ${control.name} not fetched`).toBeDefined();
    expect(report.outcome).toBe('ok');
    expect(feed).toMatchObject({ status: 'ok', items: control.requests });
  }
}

export interface RunningApp {
  origin: string;
  get(path: string): Promise<{ status: number; type: string; body: string }>;
  close(): Promise<void>;
}

/** The real app over the same database on 127.0.0.1, port 0. */
export async function startAppOn(db: Db): Promise<RunningApp> {
  const app = createApp({
    db,
    config: loadConfig({ PORT: '0' }),
    metrics: createMetrics(),
    logger: createSilentLogger(),
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    get: async (path) => {
      const res = await fetch(origin + path);
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
