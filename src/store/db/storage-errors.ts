// Why the embedded database's folder failed, in words an operator can act on. PGlite reports file
// errors as emscripten errno numbers ("ErrnoError { errno: 51 }"); Node reports codes (ENOSPC).
import fs from 'node:fs';

// Emscripten's numbering (ERRNO_CODES in PGlite's build) for the codes worth naming.
const EMSCRIPTEN_CODES: Record<number, string> = {
  2: 'EACCES',
  19: 'EDQUOT',
  29: 'EIO',
  51: 'ENOSPC',
  63: 'EPERM',
  69: 'EROFS',
};

const CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is on a read-only file system',
  EACCES: 'this user may not write to the folder',
  EPERM: 'this user may not write to the folder',
  EIO: 'the disk reported an input/output error',
};

/** Below this much free space a failed creation is put down to a full disk (a cluster takes ~40 MB). */
const LOW_SPACE_BYTES = 64 * 1024 * 1024;

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
}

function codeOf(err: ErrorLike): string | null {
  if (typeof err.code === 'string' && err.code in CAUSES) return err.code;
  if (typeof err.errno === 'number' && err.errno in EMSCRIPTEN_CODES) return EMSCRIPTEN_CODES[err.errno]!;
  return null;
}

function freeBytes(folder: string): number | null {
  try {
    const s = fs.statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** "the disk is full (ENOSPC)", or the error's own message when its cause is not a known one. */
export function storageFailure(err: unknown, folder: string): string {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as ErrorLike;
  const code = codeOf(e);
  if (code) return `${CAUSES[code]} (${code})`;
  const free = freeBytes(folder);
  if (free !== null && free < LOW_SPACE_BYTES) return `${CAUSES.ENOSPC}: ${Math.floor(free / 1024 / 1024)} MB free`;
  return typeof e.message === 'string' && e.message ? e.message : String(err);
}
