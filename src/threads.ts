// Worker threads started from a module of ours, whether it runs compiled (dist/*.js) or from the
// TypeScript sources (tests, `tsx`): a .ts module is loaded through tsx's loader, registered in the
// thread itself (a thread does not inherit the loader hooks of the thread that starts it). And the
// one-task-at-a-time threads that take heavy pure work (writing a large feed, parsing a large
// document) off the thread serving requests.
import os from 'node:os';
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';

/** The URL of a sibling module of `from` (an import.meta.url), with the extension `from` has. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}

/** Starts `module` in a worker thread with `workerData` (and the V8 heap limits given, if any). */
export function startThread(module: URL, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData, ...limits });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); })`;
  return new Worker(boot, { eval: true, workerData, ...limits });
}

/**
 * Lowers the calling thread's scheduling priority (on Linux a thread's nice value is its own), so
 * on a busy machine the thread answering requests runs first and heavy work waits its turn.
 */
export function yieldToServing(): void {
  try {
    os.setPriority(0, 10);
  } catch {
    // Not permitted or not supported here: the thread keeps the process's priority.
  }
}

/** What a task thread sends back for a failed task: enough to rebuild the error's kind. */
export interface TaskFailure {
  name: string;
  message: string;
}

type Reply<R> = { id: number; value: R } | { id: number; failure: TaskFailure };

/** In a task thread's module: answers each task posted to the thread with `handle`. */
export function serveTasks<T, R>(handle: (task: T) => Promise<R> | R): void {
  yieldToServing();
  const port = parentPort!;
  port.on('message', async (m: { id: number; task: T }) => {
    try {
      port.postMessage({ id: m.id, value: await handle(m.task) } satisfies Reply<R>);
    } catch (err) {
      const failure =
        err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
      port.postMessage({ id: m.id, failure } satisfies Reply<R>);
    }
  });
}

export interface TaskThread<T, R> {
  run(task: T): Promise<R>;
}

/**
 * A thread running `module` (which calls serveTasks), started on the first task, keeping the process
 * alive only while a task is out, and started again after it dies. `toError` rebuilds a failed task's error.
 */
export function taskThread<T, R>(module: URL, toError: (f: TaskFailure) => Error): TaskThread<T, R> {
  let current: { worker: Worker; pending: Map<number, { resolve(v: R): void; reject(e: Error): void }> } | null = null;
  let next = 1;
  const start = (): NonNullable<typeof current> => {
    const state = {
      worker: startThread(module, null),
      pending: new Map<number, { resolve(v: R): void; reject(e: Error): void }>(),
    };
    state.worker.on('message', (m: Reply<R>) => {
      const p = state.pending.get(m.id);
      state.pending.delete(m.id);
      if (state.pending.size === 0) state.worker.unref();
      if ('value' in m) p?.resolve(m.value);
      else p?.reject(toError(m.failure));
    });
    const fail = (err: Error): void => {
      if (current === state) current = null;
      for (const p of state.pending.values()) p.reject(err);
      state.pending.clear();
    };
    state.worker.on('error', (err) =>
      fail(new Error(`thread ${module.pathname} failed: ${err.message}`, { cause: err })),
    );
    state.worker.on('exit', (code) => fail(new Error(`thread ${module.pathname} exited (code ${code})`)));
    return state;
  };
  return {
    run: (task) =>
      new Promise((resolve, reject) => {
        current ??= start();
        const id = next++;
        // Held while a task is out (the caller waits for it), let go when none is.
        if (current.pending.size === 0) current.worker.ref();
        current.pending.set(id, { resolve, reject });
        current.worker.postMessage({ id, task });
      }),
  };
}
