// The embedded database in a worker thread of its own (started by pglite-thread-db.ts): PGlite runs
// each query synchronously on the thread that owns it, so on the server's thread one slow query
// would stop every request, /healthz included. Here it stops only the database's own queue.
// Messages carry one Db call each; a transaction is opened by "begin" and held until "commit" or
// "rollback", its queries naming it (PGlite queues every other query until it ends).
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { yieldToServing } from '../../threads.js';
import { openPgliteDb, type Db, type Tx } from './db.js';

export type ThreadRequest =
  | { id: number; op: 'query'; tx: number | null; sql: string; params: readonly unknown[] | undefined }
  | { id: number; op: 'exec'; tx: number | null; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

export type ThreadReply =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { message: string; code?: string } };

export interface ThreadData {
  dataDir: string | null;
  cacheBytes: number;
}

interface OpenTx {
  tx: Tx;
  end(commit: boolean, replyTo: number): void;
}

const port = parentPort!;
const reply = (message: ThreadReply): void => port.postMessage(message);
const failure = (id: number, err: unknown): ThreadReply => ({
  id,
  ok: false,
  error: {
    message: err instanceof Error ? err.message : String(err),
    ...((err as { code?: string }).code ? { code: (err as { code: string }).code } : {}),
  },
});

/** Thrown inside PGlite's transaction to roll it back. */
const ROLLBACK = Symbol('rollback');

function begin(db: Db, txs: Map<number, OpenTx>, id: number): void {
  let replyTo = id;
  db.transaction(
    (tx) =>
      new Promise<void>((resolve, reject) => {
        txs.set(id, { tx, end: (commit, to) => ((replyTo = to), commit ? resolve() : reject(ROLLBACK)) });
        reply({ id, ok: true, value: id });
      }),
  )
    .then(
      () => reply({ id: replyTo, ok: true, value: null }),
      (err: unknown) => reply(err === ROLLBACK ? { id: replyTo, ok: true, value: null } : failure(replyTo, err)),
    )
    .finally(() => txs.delete(id));
}

async function run(target: Tx, m: Extract<ThreadRequest, { op: 'query' | 'exec' }>): Promise<unknown> {
  return m.op === 'query' ? target.query(m.sql, m.params) : target.exec(m.sql);
}

async function serve(db: Db, txs: Map<number, OpenTx>, m: ThreadRequest): Promise<void> {
  switch (m.op) {
    case 'begin':
      return begin(db, txs, m.id);
    case 'commit':
    case 'rollback': {
      const open = txs.get(m.tx);
      return open
        ? open.end(m.op === 'commit', m.id)
        : reply(failure(m.id, new Error(`store: no open transaction ${m.tx}`)));
    }
    case 'close':
      await db.close();
      return reply({ id: m.id, ok: true, value: null });
    default: {
      const target: Tx | undefined = m.tx === null ? db : txs.get(m.tx)?.tx;
      if (!target) return reply(failure(m.id, new Error(`store: no open transaction ${m.tx}`)));
      try {
        reply({ id: m.id, ok: true, value: (await run(target, m)) ?? null });
      } catch (err) {
        reply(failure(m.id, err));
      }
    }
  }
}

/**
 * Postgres here is 9 MB of WebAssembly. V8 compiles it with its baseline compiler (Liftoff), then
 * recompiles the hot functions with TurboFan on background threads, whose code and compiler memory
 * stay resident: 40-55 MB more at the peak of a first pass over 1,000 feeds, for no measurable gain in
 * the pass's CPU time (issue 15). The flag is process-wide and read when a module is compiled, which
 * PGlite does when it opens, below; nothing else in the process runs much WebAssembly.
 */
v8.setFlagsFromString('--liftoff-only');
yieldToServing();
const data = workerData as ThreadData;
const txs = new Map<number, OpenTx>();
openPgliteDb(data.dataDir, data.cacheBytes).then(
  (db) => {
    port.on('message', (m: ThreadRequest) => void serve(db, txs, m));
    reply({ id: 0, ok: true, value: 'ready' });
  },
  (err: unknown) => reply(failure(0, err)),
);
