// Every hostile server and forbidden address of the catalogue through the real worker into a real
// database, in one pass with two control feeds: a clear error on each feed, in bounded time, no
// socket left open, and nothing reaching a private address.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { describeEachDb } from '../helpers/db.js';
import { HOSTILE_CASES, startHostileServer, type HostileServer } from '../helpers/hostile.js';
import { addHostileFeeds, expectControlsUpdated, expectHandled, hostileConfig, runHostilePass, type PassResult } from './harness.js';

const CASES = HOSTILE_CASES.filter((c) => c.group === 'server' || c.group === 'address');
const RETRIED = CASES.filter((c) => c.retry !== undefined);

/** Timeouts well above any pause a loaded machine gives the event loop, so only the hostile servers hit them. */
const SERVER_ENV = { FETCH_CONNECT_TIMEOUT: '5s', FETCH_TIMEOUT: '8s' };
/** Every case ends by its timeouts; anything beyond this is a fetch that ignored them. */
const LIMIT_MS = 20_000;

describeEachDb('hostile servers through the worker', (ctx) => {
  let server: HostileServer;
  let ids: Awaited<ReturnType<typeof addHostileFeeds>>;
  let first: PassResult;
  beforeAll(async () => {
    server = await startHostileServer(CASES);
    ids = await addHostileFeeds(ctx.db, server, CASES);
    first = await runHostilePass(ctx.db, server, CASES, ids, SERVER_ENV);
  }, 120_000);
  afterAll(() => server?.close());

  for (const c of CASES) {
    it(`${c.name}: ${c.title} → ${c.expect === 'error' ? `${c.errorKind} error` : 'items'}`, async () => {
      await expectHandled(c, first.byCase.get(c.name)!, ctx.db as Db, server, ids.controlIds, { limitMs: LIMIT_MS });
    });
  }

  it('time-limited cases end at their limit, not before and not long after', () => {
    const { fetchTimeout, fetchConnectTimeout } = hostileConfig(server, SERVER_ENV);
    for (const name of ['drip-headers', 'never-answers']) {
      const ms = first.byCase.get(name)!.report.durationMs;
      expect(ms, name).toBeGreaterThanOrEqual(fetchConnectTimeout - 50);
      expect(ms, name).toBeLessThan(fetchConnectTimeout + 5000);
    }
    const drip = first.byCase.get('drip-body')!.report.durationMs;
    expect(drip).toBeGreaterThanOrEqual(fetchTimeout - 50);
    expect(drip).toBeLessThan(fetchTimeout + 5000);
  });

  it('the control feeds updated in the same pass', () => {
    expectControlsUpdated(first, server);
  });

  it('no request reached the secret server or any private address', () => {
    expect(server.leaks()).toEqual([]);
  });

  it('left no socket open', async () => {
    await server.allClosed();
  });

  it('a second pass: flaky servers recover, gone feeds are not asked again, controls update again', async () => {
    const gone = CASES.find((c) => c.name === 'status-410')!;
    const goneHits = server.hitsOf(gone).length;
    const second = await runHostilePass(ctx.db, server, CASES, ids, SERVER_ENV);
    expectControlsUpdated(second, server);
    for (const c of RETRIED) await expectHandled(c, second.byCase.get(c.name)!, ctx.db as Db, server, ids.controlIds, { limitMs: LIMIT_MS, outcome: c.retry! });
    expect(second.byCase.get(gone.name)!.report).toBeUndefined();
    expect(server.hitsOf(gone)).toHaveLength(goneHits);
    expect(server.leaks()).toEqual([]);
    await server.allClosed();
  }, 60_000);
});
