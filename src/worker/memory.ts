// A large document leaves tens of MB of garbage (its text, the prepared copy, the tree) that V8 would
// collect only at its next major collection, which on a machine with plenty of memory may be far
// off: the worker's resident memory would climb with every large document. Collecting right after
// one keeps the peak near what is live. Node exposes gc() only behind a flag; the flag can be set
// at run time, and a fresh context then offers the function.
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | null = null;

/** Runs a full garbage collection now. */
export function collectGarbage(): void {
  if (collect === null) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
}
