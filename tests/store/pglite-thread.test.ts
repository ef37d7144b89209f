// The embedded database in its worker thread keeps the Db contract the in-thread adapter has, and
// leaves the calling thread free while it works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db/db.js';
import { migrate } from '../../src/store/migrations.js';
import { openPgliteThreadDb } from '../../src/store/db/pglite-thread-db.js';

describe('embedded database in a worker thread', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPgliteThreadDb(null, 16 * 1024 * 1024);
    await migrate(db);
    await db.exec('CREATE TABLE t (n int PRIMARY KEY, at timestamptz, tags text[])');
  });
  afterAll(async () => {
    await db.close();
  });

  it('answers queries with typed values and row counts', async () => {
    const at = new Date('2025-05-08T16:10:00Z');
    const ins = await db.query('INSERT INTO t VALUES ($1, $2, $3), (2, NULL, $4)', [1, at, ['a', 'b'], []]);
    expect(ins.rowCount).toBe(2);
    const res = await db.query<{ n: number; at: Date | null; tags: string[]; big: number }>(
      'SELECT n, at, tags, 9007199254740991::int8 AS big FROM t ORDER BY n',
    );
    expect(res.rows[0]).toEqual({ n: 1, at, tags: ['a', 'b'], big: 9007199254740991 });
    expect(res.rows[1]!.at).toBeNull();
  });

  it('commits a transaction, and rolls one back when it throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t (n) VALUES (10)');
      await tx.exec('INSERT INTO t (n) VALUES (11); INSERT INTO t (n) VALUES (12)');
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t (n) VALUES (20)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const ns = (await db.query<{ n: number }>('SELECT n FROM t WHERE n >= 10 ORDER BY n')).rows.map((r) => r.n);
    expect(ns).toEqual([10, 11, 12]);
  });

  it('keeps other queries out of an open transaction until it ends', async () => {
    let inside!: () => void;
    const held = new Promise<void>((resolve) => (inside = resolve));
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO t (n) VALUES (30)');
      await held;
      await t.query('UPDATE t SET tags = $1 WHERE n = 30', [['late']]);
    });
    const outside = db.query<{ tags: string[] | null }>('SELECT tags FROM t WHERE n = 30');
    inside();
    await tx;
    expect((await outside).rows).toEqual([{ tags: ['late'] }]);
  });

  it('reports SQL errors with their SQLSTATE and stays usable', async () => {
    const err = await db.query('INSERT INTO t (n) VALUES (1)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: string }).code).toBe('23505');
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n).toBeGreaterThan(0);
  });

  it('leaves this thread free while a long query runs', async () => {
    let done = false;
    const slow = db.query('SELECT count(*) FROM generate_series(1, 3000000)').then(() => (done = true));
    // In the caller's thread the query would run to its end before any callback got a turn.
    const turnBeforeEnd = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!done)));
    await slow;
    expect(turnBeforeEnd).toBe(true);
  });
});
