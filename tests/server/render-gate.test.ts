// The bound on uncached work: the gate by itself (slots, queue, per-client allowance), then through
// the real app: a render in progress does not delay cached answers or /healthz, and requests beyond
// the bounds are refused at once with 503 or 429 and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db/db.js';
import { createRenderGate } from '../../src/server/render-gate.js';
import { HttpError } from '../../src/server/errors.js';
import { describeEachDb } from '../helpers/db.js';
import { request, startApp, type RunningApp } from './helpers.js';
import { seedNewsWeek } from './seed.js';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const refusal = (p: Promise<unknown>): Promise<HttpError> =>
  p.then(
    () => Promise.reject(new Error('admitted')),
    (e: HttpError) => e,
  );

describe('render gate', () => {
  const now = () => new Date('2025-05-09T12:00:00Z');

  it('runs at most `concurrency` at once, queues `queue` more in order, and refuses the next with 503', async () => {
    const gate = createRenderGate({ concurrency: 2, queue: 1, perMinute: 0, now });
    const hold = deferred();
    const order: string[] = [];
    const job = (name: string) =>
      gate.admit('c', async () => {
        order.push(`start ${name}`);
        await hold.promise;
        return name;
      });
    const running = [job('a'), job('b'), job('c')];
    expect(gate.stats).toMatchObject({ running: 2, waiting: 1 });
    const refused = await refusal(job('d'));
    expect(refused.status).toBe(503);
    expect(refused.headers['Retry-After']).toMatch(/^\d+$/);
    hold.resolve();
    expect(await Promise.all(running)).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['start a', 'start b', 'start c']);
    expect(gate.stats).toMatchObject({ running: 0, waiting: 0, refused: 1 });
  });

  it('frees the slot of a render that fails', async () => {
    const gate = createRenderGate({ concurrency: 1, queue: 0, perMinute: 0, now });
    await expect(gate.admit('c', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.admit('c', async () => 'next')).toBe('next');
  });

  it('allows each client `perMinute` renders, then 429 with the seconds to wait; other clients are not affected', async () => {
    const gate = createRenderGate({ concurrency: 4, queue: 4, perMinute: 2, now });
    await gate.admit('1.2.3.4', async () => 1);
    await gate.admit('1.2.3.4', async () => 2);
    const refused = await refusal(gate.admit('1.2.3.4', async () => 3));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['Retry-After'])).toBeGreaterThan(0);
    expect(await gate.admit('5.6.7.8', async () => 'other')).toBe('other');
  });
});

/** A Db whose queries containing `marker` (by default the story listing) wait until released. */
function holdingDb(db: Db, marker = 'WHERE s.merged_into IS NULL'): { db: Db; hold(): void; release(): void } {
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  return {
    db: {
      ...db,
      kind: db.kind,
      query: async (sql, params) => {
        if (gate && sql.includes(marker)) await gate;
        return db.query(sql, params);
      },
      transaction: (fn) => db.transaction(fn),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
    },
    hold: () => {
      gate = new Promise((r) => (open = r));
    },
    release: () => {
      gate = null;
      open();
    },
  };
}

describeEachDb('uncached renders through the real app', (ctx) => {
  let app: RunningApp;
  let held: ReturnType<typeof holdingDb>;
  const gate = createRenderGate({ concurrency: 1, queue: 1, perMinute: 0, now: () => new Date() });

  beforeAll(async () => {
    await seedNewsWeek(ctx.db);
    held = holdingDb(ctx.db);
    app = await startApp(held.db, { renders: gate });
  });
  afterAll(() => app.close());

  it('answers cached routes and /healthz while a render is held, and refuses renders beyond the queue with 503', async () => {
    expect((await request(app.origin, '/feed.json')).status).toBe(200);
    held.hold();
    const slow = request(app.origin, '/feed.xml');
    const queued = request(app.origin, '/api/stories?limit=3');
    // Give both time to reach the gate: the first renders (held), the second waits in the queue.
    while (gate.stats.waiting < 1) await new Promise((r) => setTimeout(r, 5));
    const busy = await request(app.origin, '/api/stories?limit=4');
    expect(busy.status).toBe(503);
    expect(busy.headers['retry-after']).toMatch(/^\d+$/);
    expect(busy.json<{ error: { code: string } }>().error.code).toBe('busy');
    const cached = await request(app.origin, '/feed.json');
    expect(cached.status).toBe(200);
    expect(cached.headers['x-cache']).toBe('hit');
    expect((await request(app.origin, '/healthz')).status).toBe(200);
    held.release();
    expect((await slow).status).toBe(200);
    expect((await queued).status).toBe(200);
  });
});

describeEachDb('per-client render allowance through the real app', (ctx) => {
  let app: RunningApp;

  beforeAll(async () => {
    await seedNewsWeek(ctx.db);
    app = await startApp(ctx.db, { env: { RENDER_RATE_LIMIT: '3' } });
  });
  afterAll(() => app.close());

  it('refuses a client’s uncached requests past its allowance with 429, and still answers it from the cache', async () => {
    expect((await request(app.origin, '/feed.xml')).status).toBe(200);
    for (const q of ['a', 'b']) expect((await request(app.origin, `/api/search?q=${q}`)).status).toBe(200);
    const limited = await request(app.origin, '/api/search?q=c');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const cached = await request(app.origin, '/feed.xml');
    expect(cached.status).toBe(200);
    expect(cached.headers['x-cache']).toBe('hit');
  });
});

describeEachDb('a slow data-version check', (ctx) => {
  let app: RunningApp;
  let held: ReturnType<typeof holdingDb>;
  let clock = Date.parse('2025-05-09T12:00:00Z');

  beforeAll(async () => {
    await seedNewsWeek(ctx.db);
    held = holdingDb(ctx.db, 'data_versions');
    app = await startApp(held.db, { now: () => new Date(clock), dataVersionInterval: 1000, dataVersionWait: 20 });
  });
  afterAll(() => app.close());

  it('does not hold cached answers: they are served while it runs, and the cache drops when it ends', async () => {
    await request(app.origin, '/feed.json');
    held.hold();
    clock += 1500;
    await ctx.db.query(
      "UPDATE stories SET headline = 'Headline from another process' WHERE id = (SELECT min(id) FROM stories)",
    );
    const during = await request(app.origin, '/feed.json');
    expect(during.headers['x-cache']).toBe('hit');
    expect(during.text).not.toContain('Headline from another process');
    held.release();
    let after = await request(app.origin, '/feed.json');
    while (after.headers['x-cache'] === 'hit') after = await request(app.origin, '/feed.json');
    expect(after.text).toContain('Headline from another process');
  });
});
