// Small real file systems for tests of a full or read-only disk: a tmpfs mounted on a temporary
// folder. Needs the privilege to mount (root in CI's container); without it the caller skips, saying why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Mounted {
  dir: string;
  /** Makes the whole file system read-only. */
  makeReadOnly(): void;
  remove(): void;
}

/** A tmpfs of `sizeMb` on a new folder, or the reason it could not be mounted. */
export function mountTmpfs(sizeMb: number): Mounted | { reason: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-mount-'));
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.error || mount.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      reason: `cannot mount a tmpfs (${(mount.error?.message ?? mount.stderr).trim()}): run the suite as root, as .ci/run does`,
    };
  }
  return {
    dir,
    makeReadOnly: () => {
      const r = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`remount read-only failed: ${r.stderr}`);
    },
    remove: () => {
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
