// The Postgres server restarted under a running worker and API: the worker reports the outage in a
// structured error line, reconnects and carries on; /readyz answers 503 meanwhile and 200 again
// without anyone restarting Storyline. Runs on a private cluster, never the shared server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, rss } from '../helpers/feeds.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { findPostgres, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import {
  eventually,
  mkTemp,
  removeDir,
  startStoryline,
  stopStoryline,
  writeSources,
  type LogLine,
  type RunningCli,
} from './service.js';
import { skipWithReason } from '../helpers/skip.js';

const found = findPostgres();
const after = (t: number) => (l: LogLine) => Date.parse(String(l.time)) >= t;

describe('the Postgres server restarted during a pass', () => {
  if ('reason' in found) {
    it('restarts with the worker recovering (needs a private Postgres)', (t) => skipWithReason(t, found.reason));
    return;
  }
  let pg: PrivatePostgres;
  let fixtures: FixtureServer;
  let cli: RunningCli | null = null;
  let dir: string;
  beforeAll(async () => {
    dir = mkTemp('storyline-pg-sources-');
    pg = await startPrivatePostgres(found.bin);
    fixtures = await startFixtureServer();
  }, 120_000);
  afterAll(async () => {
    if (cli) await stopStoryline(cli, 'SIGKILL');
    pg?.destroy();
    await fixtures?.close();
    removeDir(dir);
  });

  it('the worker reports it, reconnects and carries on; /readyz says 503 meanwhile and recovers by itself', async () => {
    const urls = Array.from({ length: 6 }, (_, i) => {
      fixtures.set(`/pg-${i}.xml`, {
        headers: { 'content-type': 'application/rss+xml' },
        body: rss(`Feed ${i}`, entries(`pg${i}`, 2)),
      });
      return fixtures.url(`/pg-${i}.xml`);
    });
    cli = await startStoryline({
      DATABASE_URL: pg.url,
      SOURCES_FILE: writeSources(dir, urls),
      ALLOW_PRIVATE_HOSTS: fixtures.hostPort,
      PORT: '0',
      RUN: 'worker,server',
      // Every feed due every 2 s, so there is always a pass to interrupt and one to carry on with.
      FETCH_SCHEDULE: '* * * * * *',
      POLL_INTERVAL: '2s',
      POLL_MIN_INTERVAL: '2s',
      BACKOFF_MAX: '2s',
      FETCH_LEASE: '3s',
    });
    const running = cli;
    const readyz = async () => {
      // A process that died of the outage cannot answer: say so, with what it printed last.
      if (running.child.exitCode !== null || running.child.signalCode !== null) {
        throw new Error(
          `the service exited (${running.child.exitCode ?? running.child.signalCode}) when Postgres went away:\n${running.text.slice(-12).join('\n')}`,
        );
      }
      return (await fetch(`${running.url}/readyz`)).status;
    };
    await running.waitForLog((l) => l.msg === 'feed refreshed', 60_000, 'a first feed refreshed');
    expect(await readyz()).toBe(200);

    const stoppedAt = Date.now();
    pg.stop();
    await eventually(async () => (await readyz()) === 503, 20_000, '/readyz answering 503 while the database is down');
    const reported = await running.waitForLog(
      (l) => l.level === 'error' && after(stoppedAt)(l),
      20_000,
      'an error line about the database',
    );
    expect(reported).toMatchObject({
      service: 'storyline',
      msg: expect.stringMatching(/database connection lost|worker pass failed/),
    });
    expect(typeof reported.reason).toBe('string');

    pg.start();
    const restartedAt = Date.now();
    await eventually(async () => (await readyz()) === 200, 30_000, '/readyz back to 200 after the restart');
    await running.waitForLog(
      (l) => l.msg === 'feed refreshed' && after(restartedAt)(l),
      30_000,
      'a feed refreshed after the restart',
    );
    const stopped = await stopStoryline(running, 'SIGTERM');
    cli = null;
    expect(stopped.code).toBe(0);
  }, 180_000);
});
