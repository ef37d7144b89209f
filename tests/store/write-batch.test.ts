import { describe, expect, it } from 'vitest';
import { createWriteBatch } from '../../src/store/write-batch.js';

describe('a write batch (group commit)', () => {
  it('writes records added together in one call, and later ones in the next', async () => {
    const calls: number[][] = [];
    let release: () => void = () => undefined;
    const batch = createWriteBatch<number>(async (records) => {
      calls.push(records);
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
    }, 100);
    const first = [batch.add(1), batch.add(2), batch.add(3)];
    await new Promise((r) => setImmediate(r));
    // The first statement is running: these wait for it, then go out together.
    const second = [batch.add(4), batch.add(5)];
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual([[1, 2, 3]]);
    release();
    await Promise.all([...first, ...second]);
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('caps the records per write', async () => {
    const calls: number[][] = [];
    const batch = createWriteBatch<number>(async (records) => void calls.push(records), 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batch.add(n)));
    expect(calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects the callers of a failed write only, and carries on', async () => {
    let fail = true;
    const batch = createWriteBatch<number>(async () => {
      if (fail) throw new Error('database away');
    }, 10);
    const failed = batch.add(1);
    await expect(failed).rejects.toThrow('database away');
    fail = false;
    await expect(batch.add(2)).resolves.toBeUndefined();
  });
});
