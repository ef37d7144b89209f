// Child process of embedded.ts: creates an embedded cluster in the folder given, closes it and exits,
// taking the memory initdb needed with it. Reports its verdict to the parent over IPC.
import { openPgliteDb } from './db.js';

interface Errno {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
}

const [folder, cache] = process.argv.slice(2);

try {
  const db = await openPgliteDb(folder!, Number(cache));
  await db.close();
  process.send!({ ok: true });
} catch (err) {
  const e = (err ?? {}) as Errno;
  const message = typeof e.message === 'string' ? e.message : String(err);
  process.send!({
    ok: false,
    message,
    code: typeof e.code === 'string' ? e.code : undefined,
    errno: typeof e.errno === 'number' ? e.errno : undefined,
  });
}
process.disconnect();
