// A real database with every statement sent to it written down (transactions included): how a test
// sees which queries a piece of work ran, without standing in for the database.
import type { Db, Tx } from '../../src/store/db/db.js';

export interface RecordedDb {
  db: Db;
  /** Each statement's SQL, in the order sent. */
  statements: string[];
}

export function recordStatements(inner: Db): RecordedDb {
  const statements: string[] = [];
  const wrap = (q: Tx): Tx => ({
    query: (sql, params) => {
      statements.push(sql);
      return q.query(sql, params);
    },
    exec: (sql) => {
      statements.push(sql);
      return q.exec(sql);
    },
  });
  const db: Db = {
    ...wrap(inner),
    kind: inner.kind,
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    close: () => inner.close(),
  };
  return { db, statements };
}
