import { expect, it } from 'vitest';
import { migrate, readMigrations, isSchemaCurrent } from '../../src/store/migrations.js';
import { describeEachDb } from '../helpers/db.js';

describeEachDb('migrations', (ctx) => {
  it('records every sql/ file once and applies nothing the second time', async () => {
    const rows = await ctx.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(ctx.db)).toEqual([]);
    expect(await isSchemaCurrent(ctx.db)).toBe(true);
  });

  it('lets two starters race without applying anything twice', async () => {
    const results = await Promise.all([migrate(ctx.db), migrate(ctx.db)]);
    expect(results.flat()).toEqual([]);
  });

  it('numbers migrations without gaps', () => {
    const versions = readMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
