// The Db interface over the embedded database running in its own worker thread (pglite-thread.ts):
// each call is one message, answered in order by the thread.
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { siblingModule, startThread } from '../../threads.js';
import type { Db, QueryResult, Tx } from './db.js';
import type { ThreadData, ThreadReply, ThreadRequest } from './pglite-thread.js';

type Call = ThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** An error from the thread, with the SQLSTATE code PGlite gave (as a local PGlite error has). */
function threadError(e: { message: string; code?: string }): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

function connect(worker: Worker): { call(c: Call): Promise<unknown>; ready: Promise<void> } {
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  let failed: Error | null = null;
  let ready!: { resolve(): void; reject(e: Error): void };
  const readyPromise = new Promise<void>((resolve, reject) => (ready = { resolve, reject }));
  const failAll = (err: Error): void => {
    failed = err;
    ready.reject(err);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on('message', (m: ThreadReply) => {
    if (m.id === 0) return m.ok ? ready.resolve() : failAll(threadError(m.error));
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(threadError(m.error));
  });
  worker.on('error', (err) =>
    failAll(new Error(`store: the embedded database thread failed: ${err.message}`, { cause: err })),
  );
  worker.on('exit', (code) => failAll(new Error(`store: the embedded database thread exited (code ${code})`)));
  return {
    ready: readyPromise,
    call: (c) =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed);
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...c, id });
      }),
  };
}

/**
 * The thread's JavaScript relays queries and their rows: about 15 MB live, but under V8's default young
 * generation (32 MB of semi-spaces) and heap growth its heap reached 50-75 MB in a first pass over 1,000
 * feeds; with 8 MB it stays near 30 MB (issue 15). The old generation is left unbounded: one large result
 * must not end the thread.
 */
const THREAD_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 8 };

/** Embedded Postgres in a worker thread; dataDir null keeps everything in memory; cacheBytes is its page cache. */
export async function openPgliteThreadDb(dataDir: string | null, cacheBytes: number): Promise<Db> {
  const data: ThreadData = { dataDir, cacheBytes };
  const worker = startThread(siblingModule(import.meta.url, 'pglite-thread'), data, THREAD_LIMITS);
  const { call, ready } = connect(worker);
  await ready.catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  const on = (tx: number | null): Tx => ({
    query: async <T>(sql: string, params?: readonly unknown[]) =>
      (await call({ op: 'query', tx, sql, params })) as QueryResult<T>,
    exec: async (sql) => void (await call({ op: 'exec', tx, sql })),
  });
  return {
    kind: 'pglite',
    ...on(null),
    transaction: async (fn) => {
      const tx = (await call({ op: 'begin' })) as number;
      let result;
      try {
        result = await fn(on(tx));
      } catch (err) {
        await call({ op: 'rollback', tx }).catch(() => undefined);
        throw err;
      }
      await call({ op: 'commit', tx });
      return result;
    },
    close: async () => {
      await call({ op: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
