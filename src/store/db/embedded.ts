// The embedded database (PGlite) under DATA_DIR. Three things the plain adapter in db.ts cannot do:
// - Create the cluster in a short-lived child process: initdb grows the WASM heap to ~700 MB, which
//   never shrinks, while opening an existing cluster needs ~170 MB (issue 13). The first start then
//   costs what a restart costs.
// - Build it in a scratch folder renamed into place once complete, so a full disk or a kill during
//   creation leaves no half-built cluster behind; errors name the folder and the cause.
// - Hold a lock file: only one process may open an embedded database (which is also why every lease
//   found in it at start is stale).
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseError } from '../../errors.js';
import { DEFAULT_EMBEDDED_CACHE_BYTES, type Db } from './db.js';
import { openPgliteThreadDb } from './pglite-thread-db.js';
import { storageFailure } from './storage-errors.js';

const CLUSTER = 'pglite';
const SCRATCH_PREFIX = 'pglite.creating-';
const LOCK = 'pglite.lock';

const here = fileURLToPath(import.meta.url);
// The child runs the same build as this file: .ts under tsx (tests), .js from dist/.
const INIT_ENTRY = path.join(path.dirname(here), `embedded-init${path.extname(here)}`);

const where = (folder: string): string => `DATA_DIR (${folder})`;

/** Creates the folder if needed and proves it writable, so a read-only one fails here, named. */
function prepareFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
  } catch (err) {
    throw new DatabaseError(`cannot use ${where(folder)}: ${storageFailure(err, folder)}`, { cause: err });
  }
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder's lock (a file naming our pid); a lock whose process is gone is taken over. */
function lockFolder(folder: string): () => void {
  const file = path.join(folder, LOCK);
  const holder = Number.parseInt(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '', 10);
  // In a container the service is often pid 1 on every start: our own pid in the lock is a past life.
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new DatabaseError(
      `${where(folder)} is in use by process ${holder}: only one process can open the embedded database (stop that one, or set DATABASE_URL to share a Postgres server; if no Storyline runs as ${holder}, delete ${file})`,
    );
  }
  fs.writeFileSync(file, String(process.pid));
  return () => fs.rmSync(file, { force: true });
}

/** Scratch folders of creations that died (killed, power lost) are removed. */
function removeAbandonedScratch(folder: string): void {
  for (const name of fs.readdirSync(folder)) {
    if (name.startsWith(SCRATCH_PREFIX)) fs.rmSync(path.join(folder, name), { recursive: true, force: true });
  }
}

const hasCluster = (dir: string): boolean => fs.existsSync(path.join(dir, 'PG_VERSION'));

interface InitResult {
  ok: boolean;
  message?: string;
  code?: string;
  errno?: number;
}

/** Runs initdb in a child process into `scratch`; resolves with its verdict. */
function runInit(scratch: string, cacheBytes: number): Promise<InitResult> {
  return new Promise((resolve) => {
    const child = fork(INIT_ENTRY, [scratch, String(cacheBytes)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let verdict: InitResult | null = null;
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('message', (m) => (verdict = m as InitResult));
    child.on('error', (err) => resolve({ ok: false, message: err.message }));
    child.on('exit', (code, signal) =>
      resolve(
        verdict ?? {
          ok: false,
          message: `the process creating it ended (${signal ?? `exit code ${code}`}) ${stderr.trim()}`.trim(),
        },
      ),
    );
  });
}

async function createCluster(folder: string, cluster: string, cacheBytes: number): Promise<void> {
  if (fs.existsSync(cluster) && fs.readdirSync(cluster).length > 0) {
    throw new DatabaseError(
      `${cluster} holds files but no database (a creation interrupted by an earlier version?): move it away and start again`,
    );
  }
  const scratch = path.join(folder, `${SCRATCH_PREFIX}${process.pid}`);
  const result = await runInit(scratch, cacheBytes);
  if (!result.ok) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw new DatabaseError(
      `cannot create the embedded database in ${where(folder)}: ${storageFailure(result, folder)}`,
    );
  }
  fs.rmSync(cluster, { recursive: true, force: true });
  fs.renameSync(scratch, cluster);
}

/** Opens (creating if needed) the embedded database in DATA_DIR/pglite. */
export async function openEmbeddedDb(dataDir: string, cacheBytes?: number): Promise<Db> {
  const folder = path.resolve(dataDir);
  prepareFolder(folder);
  const unlock = lockFolder(folder);
  try {
    removeAbandonedScratch(folder);
    const cluster = path.join(folder, CLUSTER);
    if (!hasCluster(cluster)) await createCluster(folder, cluster, cacheBytes ?? DEFAULT_EMBEDDED_CACHE_BYTES);
    const db = await openCluster(folder, cluster, cacheBytes);
    const close = async (): Promise<void> => {
      try {
        await db.close();
      } finally {
        unlock();
      }
    };
    return { ...db, close };
  } catch (err) {
    unlock();
    throw err;
  }
}

async function openCluster(folder: string, cluster: string, cacheBytes: number | undefined): Promise<Db> {
  try {
    // In a worker thread of its own: queries never hold the event loop the server answers on.
    return await openPgliteThreadDb(cluster, cacheBytes ?? DEFAULT_EMBEDDED_CACHE_BYTES);
  } catch (err) {
    throw new DatabaseError(`cannot open the embedded database in ${where(folder)}: ${storageFailure(err, folder)}`, {
      cause: err,
    });
  }
}
