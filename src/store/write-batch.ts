// Coalesces small writes that arrive together (many feeds answering 304 at once) into one statement,
// as a group commit: while one statement runs, the records that arrive wait and go out together in
// the next; an idle batch writes at once. Each caller's promise settles when the statement carrying
// its record has run, so awaiting add() means the record is written, as with a write of its own.

export interface WriteBatch<T> {
  add(record: T): Promise<void>;
}

interface Pending<T> {
  record: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** `maxSize`: records written by one statement at most. */
export function createWriteBatch<T>(write: (records: T[]) => Promise<void>, maxSize: number): WriteBatch<T> {
  let pending: Array<Pending<T>> = [];
  let writing = false;
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (writing || pending.length === 0) return;
    writing = true;
    const batch = pending.slice(0, maxSize);
    pending = pending.slice(batch.length);
    write(batch.map((p) => p.record))
      .then(
        () => batch.forEach((p) => p.resolve()),
        (err: unknown) => batch.forEach((p) => p.reject(err)),
      )
      .finally(() => {
        writing = false;
        flush();
      });
  };

  return {
    add: (record) =>
      new Promise<void>((resolve, reject) => {
        pending.push({ record, resolve, reject });
        // Records added in the same turn of the event loop go out in one statement.
        if (!scheduled && !writing) {
          scheduled = true;
          setImmediate(flush);
        }
      }),
  };
}
