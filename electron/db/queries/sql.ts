import type { Database, RunResult, Statement } from 'better-sqlite3-multiple-ciphers';

/**
 * The one place SQL becomes a prepared statement (docs/store.md, "Queries"). A query is declared
 * once, in `electron/db/queries/<domain>.ts` (or in the migration that owns it), with the types of
 * its parameters and of its rows; it is prepared the first time it runs on a connection and kept
 * for that connection (a WeakMap per query, so a closed database takes its statements with it).
 * Callers pass the database and typed parameters and get typed rows: nobody casts a row by hand,
 * and nothing outside this folder calls `prepare`.
 */

/** What SQLite binds. */
export type SqlValue = string | number | bigint | Buffer | null;

export interface Query<P extends readonly SqlValue[], R> {
  readonly source: string;
  /** The first row, or undefined. */
  get(db: Database, ...params: P): R | undefined;
  all(db: Database, ...params: P): R[];
  /** Rows one at a time (a scan of a million audit entries never holds them all). */
  iterate(db: Database, ...params: P): IterableIterator<R>;
  run(db: Database, ...params: P): RunResult;
}

function declare<P extends readonly SqlValue[], R>(source: string, raw: boolean): Query<P, R> {
  const prepared = new WeakMap<Database, Statement<unknown[]>>();
  const fresh = (db: Database): Statement<unknown[]> => {
    const statement = db.prepare<unknown[]>(source);
    if (raw) statement.raw(true);
    return statement;
  };
  const statement = (db: Database): Statement<unknown[]> => {
    let cached = prepared.get(db);
    if (!cached) {
      cached = fresh(db);
      prepared.set(db, cached);
    }
    // A statement still iterating (a generator not yet finished) cannot run again: use another one.
    return cached.busy ? fresh(db) : cached;
  };
  return {
    source,
    get: (db, ...params) => statement(db).get(...params) as R | undefined,
    all: (db, ...params) => statement(db).all(...params) as R[],
    iterate: (db, ...params) => statement(db).iterate(...params) as IterableIterator<R>,
    run: (db, ...params) => statement(db).run(...params),
  };
}

/** A statement whose rows are objects keyed by column name (alias columns with AS to match R). */
export function sql<P extends readonly SqlValue[] = [], R = never>(source: string): Query<P, R> {
  return declare<P, R>(source, false);
}

/** A SELECT whose rows are arrays of column values, in order: for scans where objects per row cost too much. */
export function sqlRows<P extends readonly SqlValue[], R extends readonly unknown[]>(source: string): Query<P, R> {
  return declare<P, R>(source, true);
}
