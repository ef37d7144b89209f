// Bad settings stop the real command before any work, with a message naming the variable and the
// cause (as the README promises); a port in use or an unknown HOST ends the process, non-zero,
// instead of leaving it alive with no server.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
let sources: string;
let busy: net.Server;
let busyPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-settings-'));
  sources = path.join(dir, 'sources.opml');
  fs.writeFileSync(sources, '<?xml version="1.0"?><opml version="2.0"><head><title>none</title></head><body/></opml>');
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('settings are checked before any work', () => {
  it.each([
    ['migrate', { DATABASE_URL: 'garbage' }, 'DATABASE_URL must be a postgres:// connection string'],
    ['start', { FETCH_SCHEDULE: 'everyminute' }, 'FETCH_SCHEDULE must be a cron expression of 5 fields'],
    ['start', { RUN: 'everything' }, 'RUN lists "everything"; use worker, server or both'],
    ['start', { HOST: 'no-such-host.invalid' }, 'HOST "no-such-host.invalid" cannot be resolved (ENOTFOUND)'],
    [
      'feeds list',
      { ALLOW_PRIVATE_HOSTS: 'localhost' },
      'ALLOW_PRIVATE_HOSTS lists "localhost"; each entry is host:port',
    ],
    ['start', { SOURCES_FILE: '/no/such/file.opml' }, 'SOURCES_FILE names a file that cannot be read'],
  ])('"storyline %s" with %o exits 1 naming the variable, and touches no database', async (command, env, message) => {
    const dataDir = path.join(dir, `untouched-${Object.keys(env)[0]}`);
    const run = await runCli(command.split(' '), { DATA_DIR: dataDir, SOURCES_FILE: sources, PORT: '0', ...env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/ENOTFOUND base|expected 5 or 6 fields|at .*\.ts:\d+/);
    expect(fs.existsSync(dataDir), 'the database folder was created').toBe(false);
  });

  it('says which DATABASE_URL cannot be reached, without its password', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: 'postgres://storyline:hunter2@127.0.0.1:1/storyline' });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      'database: cannot connect to DATABASE_URL (postgres://***@127.0.0.1:1/storyline): connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});

describe('a port in use', () => {
  const env = () => ({ DATA_DIR: path.join(dir, 'data'), SOURCES_FILE: sources, FETCH_SCHEDULE: '0 0 1 1 *' });

  it(
    'ends `storyline start` with exit 1 naming PORT, leaving nothing behind in DATA_DIR',
    { timeout: 120_000 },
    async () => {
      const run = await runCli(['start'], { ...env(), PORT: String(busyPort) }, 110_000);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`PORT ${busyPort} is already in use on 127.0.0.1 (EADDRINUSE)`);
      expect(run.stdout).not.toContain('running at');
      // The embedded database was created and closed: no lock, no scratch folder.
      expect(fs.readdirSync(env().DATA_DIR)).toEqual(['pglite']);
    },
  );

  it('ends a worker whose METRICS_PORT is taken with exit 1 naming METRICS_PORT', { timeout: 120_000 }, async () => {
    const run = await runCli(['start'], { ...env(), RUN: 'worker', METRICS_PORT: String(busyPort) }, 110_000);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`METRICS_PORT ${busyPort} is already in use on 127.0.0.1 (EADDRINUSE)`);
    expect(run.stdout).not.toContain('"msg":"worker');
  });
});
